/**
 * Packs enrichments into as few requests as the API takes, and matches Nexthink's per-object
 * answer (200, 207, or 400 with every object rejected) to the entries it is about.
 *
 * Nexthink reports a rejected object by its identification only, not by its position. So that
 * every rejection maps to exactly one entry, a request never carries two entries with the same
 * identification: a repeated identification goes into the next request that does not have it.
 */
import type { IDataObject } from 'n8n-workflow';

import { IDENTIFICATION_BY_NAME, type FieldValue } from './fields';

export interface Enrichment {
	itemIndex: number;
	/** Position in its input item's list (always 0 with one enrichment per item). */
	index: number;
	identification: { name: string; value: string };
	fields: Array<{ name: string; value: FieldValue }>;
}

export interface ItemEnrichments {
	domain: string;
	entries: Enrichment[];
}

export interface NexthinkObjectError {
	code?: string;
	message?: string;
}

export interface EntryFailure {
	/** The entry Nexthink named, when the node could match it. */
	entry?: Enrichment;
	identification: IDataObject;
	errors: NexthinkObjectError[];
}

export interface PlannedRequest {
	domain: string;
	entries: Enrichment[];
	keys: Set<string>;
	itemIndexes: number[];
}

export interface Attribution {
	failures: EntryFailure[];
	/** Rejections Nexthink reported for an identification the request does not hold. */
	unattributed: EntryFailure[];
}

/** Two identifications are the same when their names are and their values compare equal. */
const identificationKey = (name: string, value: string) =>
	`${name}\u0000${IDENTIFICATION_BY_NAME.get(name)?.identifier.key(value) ?? value}`;

/** Packs entries into requests: same domain, at most `max` each, no identification twice. */
export function planRequests(
	prepared: Map<number, ItemEnrichments>,
	combine: boolean,
	max: number,
): PlannedRequest[] {
	const groups = new Map<string, { requests: PlannedRequest[]; firstOpen: number }>();
	const all: PlannedRequest[] = [];
	for (const [itemIndex, { domain, entries }] of prepared) {
		const groupKey = combine ? domain : `${itemIndex}\u0000${domain}`;
		let group = groups.get(groupKey);
		if (!group) {
			group = { requests: [], firstOpen: 0 };
			groups.set(groupKey, group);
		}
		for (const entry of entries) {
			const key = identificationKey(entry.identification.name, entry.identification.value);
			let position = group.firstOpen;
			while (
				position < group.requests.length &&
				(group.requests[position].entries.length >= max || group.requests[position].keys.has(key))
			)
				position++;
			if (position === group.requests.length) {
				const request: PlannedRequest = { domain, entries: [], keys: new Set(), itemIndexes: [] };
				group.requests.push(request);
				all.push(request);
			}
			const request = group.requests[position];
			request.entries.push(entry);
			request.keys.add(key);
			if (request.itemIndexes[request.itemIndexes.length - 1] !== itemIndex)
				request.itemIndexes.push(itemIndex);
			while (
				group.firstOpen < group.requests.length &&
				group.requests[group.firstOpen].entries.length >= max
			)
				group.firstOpen++;
		}
	}
	for (const request of all)
		request.itemIndexes = [...new Set(request.itemIndexes)].sort((a, b) => a - b);
	return all;
}

function readObjectErrors(
	list: unknown,
): Array<{ identification?: IDataObject; errors: NexthinkObjectError[] }> {
	if (!Array.isArray(list)) return [];
	return list.map((raw) => {
		const object = (raw ?? {}) as IDataObject;
		const ids = object.identification;
		const id = (Array.isArray(ids) ? ids[0] : ids) as IDataObject | undefined;
		const errors = (Array.isArray(object.errors) ? object.errors : []).map((error) => {
			const e = (error ?? {}) as IDataObject;
			const result: NexthinkObjectError = {};
			if (e.code !== undefined) result.code = String(e.code);
			if (e.message !== undefined) result.message = String(e.message);
			return result;
		});
		return {
			identification: id && typeof id === 'object' ? { name: id.name, value: id.value } : undefined,
			errors,
		};
	});
}

/** Matches Nexthink's rejections to the entries of the request. */
export function attribute(
	request: PlannedRequest,
	list: unknown,
	everyEntryFailed: boolean,
	fallbackMessage: string,
): Attribution {
	const byKey = new Map(
		request.entries.map((entry) => [
			identificationKey(entry.identification.name, entry.identification.value),
			entry,
		]),
	);
	const failures = new Map<Enrichment, EntryFailure>();
	const unattributed: EntryFailure[] = [];
	for (const { identification, errors } of readObjectErrors(list)) {
		const entry =
			identification && typeof identification.name === 'string'
				? byKey.get(identificationKey(identification.name, String(identification.value ?? '')))
				: undefined;
		if (!entry) {
			unattributed.push({ identification: identification ?? {}, errors });
			continue;
		}
		const known = failures.get(entry);
		if (known) known.errors.push(...errors);
		else failures.set(entry, { entry, identification: { ...entry.identification }, errors });
	}
	if (everyEntryFailed) {
		for (const entry of request.entries) {
			if (!failures.has(entry))
				failures.set(entry, {
					entry,
					identification: { ...entry.identification },
					errors: [{ message: fallbackMessage }],
				});
		}
	}
	for (const failure of failures.values())
		if (failure.errors.length === 0) failure.errors.push({ message: fallbackMessage });
	return {
		failures: [...failures.values()].sort(
			(a, b) => a.entry!.itemIndex - b.entry!.itemIndex || a.entry!.index - b.entry!.index,
		),
		unattributed,
	};
}
