/** Patterns and small checks from the specs (NEXTHINK-API.md §2.1, §6.1–6.2). */
import { isRecord } from './http';

export const UUID_RE =
	/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const SID_RE = /^S(-\d+){2,10}$|^0$/;
export const UPN_RE = /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/;
export const QUERY_ID_RE = /^#[a-z0-9_]{2,255}$/;

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

/** NQL IDs with or without the leading `#`. */
export const withHash = (id: string) => (id.startsWith('#') ? id : `#${id}`);
