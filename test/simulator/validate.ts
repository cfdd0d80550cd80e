/**
 * Small checks from the specs. The identifiers (UUIDs, SIDs, UPNs, NQL IDs…) are the package's one
 * vocabulary, nodes/Nexthink/shared/identifiers.ts: the simulator holds requests to each one's
 * `apiPattern` (what docs/nexthink-api.md says Nexthink takes) and looks objects up with its `same`.
 * That file is the only one of nodes/ the simulator imports.
 */
import { isRecord } from './http';

export * as ids from '../../nodes/Nexthink/shared/identifiers';

/** Whether a value is a string the identifier's documented pattern takes. */
export const accepts = (identifier: { apiPattern: RegExp }, value: unknown): value is string =>
	typeof value === 'string' && identifier.apiPattern.test(value);

/** A readable rendering of a value for error messages. */
export function show(value: unknown): string {
	const text = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
	return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Checks a string→string map. Returns an error message naming the offending key, or undefined. */
export function checkStringMap(
	value: unknown,
	field: string,
	options: { nonEmptyValues?: boolean } = {},
): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (!isRecord(value)) return `${field} must be an object of string values, got ${show(value)}`;
	for (const [key, v] of Object.entries(value)) {
		if (typeof v !== 'string') return `${field}.${key} must be a string, got ${show(v)}`;
		if (options.nonEmptyValues && v.length === 0) return `${field}.${key} must not be empty`;
	}
	return undefined;
}

export const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
