/**
 * Sends enrichments in as few requests as the API takes and turns Nexthink's per-object answer
 * (200, 207, or 400 with every object rejected) back into per-entry results.
 *
 * Nexthink reports a rejected object by its identification only, not by its position. So that
 * every rejection maps to exactly one entry, a request never carries two entries with the same
 * identification: a repeated identification goes into the next request that does not have it.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { asNodeError, errorItem } from '../../shared/items';
import { mapWithConcurrency } from '../../transport/batching';
import { nexthinkRequest } from '../../transport/request';
import type { FieldValue } from './fields';

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

export interface EnrichmentRunOptions {
	/** `perItem`: one output item per input item; `bulk`: one output item per request. */
	mode: 'perItem' | 'bulk';
	combine: boolean;
	maxPerRequest: number;
	concurrency: number;
	/** Reads and validates one item; throw (NodeOperationError) to fail that item alone. */
	prepare(itemIndex: number): ItemEnrichments;
}

interface PlannedRequest {
	domain: string;
	entries: Enrichment[];
	keys: Set<string>;
	itemIndexes: number[];
}

interface RequestResult {
	request: PlannedRequest;
	/** HTTP status of Nexthink's answer (400 when it rejected every object). */
	status: number;
	failures: EntryFailure[];
	/** Rejections Nexthink reported for an identification the request does not hold. */
	unattributed: EntryFailure[];
	/** The request failed as a whole (also set, with `failures`, for a 400 that rejected every object). */
	error?: NodeApiError | NodeOperationError;
}

const identificationKey = (name: string, value: string) => `${name}\u0000${value.toLowerCase()}`;

/** Packs entries into requests: same domain, at most `max` each, no identification twice. */
function planRequests(
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
function attribute(
	request: PlannedRequest,
	list: unknown,
	everyEntryFailed: boolean,
	fallbackMessage: string,
): Pick<RequestResult, 'failures' | 'unattributed'> {
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

const REQUEST_LIMIT_FIX =
	'Lower Options > Enrichments per Request to the limit Nexthink names (5,000 on tenants that still have the older limit), then run again.';

async function send(this: IExecuteFunctions, request: PlannedRequest): Promise<RequestResult> {
	try {
		const { status, body } = await nexthinkRequest.call(this, {
			method: 'POST',
			path: '/api/v1/enrichment/data/fields',
			body: {
				enrichments: request.entries.map((entry) => ({
					identification: [entry.identification],
					fields: entry.fields,
				})),
				domain: request.domain,
			},
			operation: 'Enrichment',
			domain: 'enrichment',
			triggersAction: true,
			itemIndex: request.itemIndexes[0],
		});
		const answer = (body ?? {}) as IDataObject;
		return {
			request,
			status,
			...attribute(request, answer.errors, false, 'Nexthink rejected this entry without a reason'),
		};
	} catch (caught) {
		const error = asNodeError.call(this, caught, request.itemIndexes[0]);
		const response = (error instanceof NodeApiError ? error.errorResponse : undefined) as
			| IDataObject
			| undefined;
		if (response?.nexthinkCode === 'ENRICH_042') error.description = REQUEST_LIMIT_FIX;
		if (
			error instanceof NodeApiError &&
			error.httpCode === '400' &&
			Array.isArray(response?.nexthinkErrors)
		) {
			return {
				request,
				status: 400,
				error,
				...attribute(
					request,
					response.nexthinkErrors,
					true,
					'Nexthink rejected every entry of the request',
				),
			};
		}
		return {
			request,
			status: Number(error instanceof NodeApiError ? error.httpCode : 0) || 0,
			failures: [],
			unattributed: [],
			error,
		};
	}
}

function fixFor(errors: NexthinkObjectError[]): string {
	if (errors.some((error) => error.code === 'ENRICH_011'))
		return 'Nexthink refused the type of a value: custom fields and the documented text fields take text, Desktop Broker and Type take their numbers, Last Update takes an ISO 8601 date. Correct the value and send this entry again.';
	return 'Correct the entry as Nexthink says (identification, field name or value) and send it again.';
}

/** A rejected entry as an n8n error: Nexthink's words and codes, the identification, the fix. */
function entryError(
	this: IExecuteFunctions,
	failure: EntryFailure,
	status: number,
	itemIndex: number | undefined,
): NodeApiError {
	const first = failure.errors[0] ?? {};
	const { name, value } = failure.identification;
	const what = name === undefined ? 'an entry' : `${String(name)} "${String(value)}"`;
	const more = failure.errors.length > 1 ? ` (and ${failure.errors.length - 1} more)` : '';
	const message = `Nexthink rejected the enrichment of ${what}: ${first.message ?? 'no reason given'}${first.code ? ` [${first.code}]` : ''}${more}`;
	const response: JsonObject = {
		httpCode: String(status),
		nexthinkErrors: failure.errors as JsonObject[],
	};
	if (first.code) response.nexthinkCode = first.code;
	if (first.message) response.nexthinkMessage = first.message;
	const error = new NodeApiError(this.getNode(), response, {
		message,
		description: fixFor(failure.errors),
		httpCode: String(status),
		itemIndex,
	});
	error.message = message;
	return error;
}

function describeFailure(failure: EntryFailure): IDataObject {
	const result: IDataObject = {};
	if (failure.entry) {
		result.itemIndex = failure.entry.itemIndex;
		result.index = failure.entry.index;
	}
	result.identification = failure.identification;
	result.errors = failure.errors as IDataObject[];
	return result;
}

const pairedWith = (indexes: number[]) =>
	indexes.length === 1 ? { item: indexes[0] } : indexes.map((item) => ({ item }));

/** Runs the enrichments of all input items; see the module comment. */
export async function runEnrichments(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	options: EnrichmentRunOptions,
): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const output: Array<{ order: number; items: INodeExecutionData[] }> = [];
	const prepared = new Map<number, ItemEnrichments>();
	items.forEach((_item, itemIndex) => {
		try {
			prepared.set(itemIndex, options.prepare(itemIndex));
		} catch (caught) {
			const error = asNodeError.call(this, caught, itemIndex);
			if (!continueOnFail) throw error;
			output.push({ order: itemIndex, items: [errorItem(error, itemIndex)] });
		}
	});

	const requests = planRequests(prepared, options.combine, options.maxPerRequest);
	const outcomes = await mapWithConcurrency(
		requests,
		options.concurrency,
		async (request) => await send.call(this, request),
	);
	const results = outcomes.map((outcome, position): RequestResult => {
		if (outcome.status === 'fulfilled') return outcome.value;
		const request = requests[position];
		const error = asNodeError.call(this, outcome.reason, request.itemIndexes[0]);
		return { request, status: 0, failures: [], unattributed: [], error };
	});

	/** The errors the node stops with when Continue On Fail is off, by item. */
	const stops: Array<{ order: number; error: NodeApiError | NodeOperationError }> = [];
	/** Errors that are Nexthink's rejection of one entry (not a failed request). */
	const rejections = new Set<NodeApiError>();
	let rejected = 0;
	let sent = 0;

	for (const result of results) {
		const { request } = result;
		sent += request.entries.length;
		if (options.mode === 'bulk') {
			const failed = [...result.failures, ...result.unattributed].map(describeFailure);
			if (result.error) {
				stops.push({ order: request.itemIndexes[0], error: result.error });
				const details: IDataObject = failed.length ? { failed } : {};
				output.push({
					order: request.itemIndexes[0],
					items: [errorItem(result.error, request.itemIndexes, details)],
				});
				continue;
			}
			rejected += failed.length;
			output.push({
				order: request.itemIndexes[0],
				items: [
					{
						json: {
							status: failed.length ? 'partial_success' : 'success',
							domain: request.domain,
							sent: request.entries.length,
							accepted: Math.max(0, request.entries.length - failed.length),
							rejected: failed.length,
							failed,
						},
						pairedItem: pairedWith(request.itemIndexes),
					},
				],
			});
			continue;
		}

		// One enrichment per item: every input item gets its own success or error item.
		const failedEntries = new Map(result.failures.map((failure) => [failure.entry!, failure]));
		for (const entry of request.entries) {
			const failure = failedEntries.get(entry);
			let error: NodeApiError | NodeOperationError | undefined;
			if (failure) {
				error = entryError.call(this, failure, result.status, entry.itemIndex);
				rejections.add(error);
			} else if (result.error) error = result.error;
			if (error) {
				rejected++;
				stops.push({ order: entry.itemIndex, error });
				output.push({
					order: entry.itemIndex,
					items: [
						errorItem(error, entry.itemIndex, { identification: { ...entry.identification } }),
					],
				});
				continue;
			}
			output.push({
				order: entry.itemIndex,
				items: [
					{
						json: {
							status: 'accepted',
							domain: request.domain,
							identification: { ...entry.identification },
							fields: entry.fields.map((field) => ({ ...field })),
						},
						pairedItem: { item: entry.itemIndex },
					},
				],
			});
		}
		for (const failure of result.unattributed) {
			const error = entryError.call(this, failure, result.status, request.itemIndexes[0]);
			error.description = `Nexthink named an identification this request did not hold, so the node cannot tell which input item it means. ${error.description ?? ''}`;
			stops.push({ order: request.itemIndexes[0], error });
			output.push({
				order: request.itemIndexes[0],
				items: [errorItem(error, request.itemIndexes, { identification: failure.identification })],
			});
		}
	}

	if (!continueOnFail && stops.length) {
		const first = stops.sort((a, b) => a.order - b.order)[0].error;
		if (first instanceof NodeApiError && rejections.has(first) && stops.length < items.length)
			first.description = `${first.description ?? ''} ${stops.length} of ${items.length} items were not enriched; the others were accepted by Nexthink. Set Settings > On Error to "Continue (using error output)" to keep the accepted ones and route the rejected ones.`;
		throw first;
	}
	if (options.mode === 'bulk' && rejected > 0) {
		this.addExecutionHints({
			message: `Nexthink rejected ${rejected} of ${sent} enrichments: each is listed under "failed" in the output, with Nexthink's code and message.`,
			location: 'outputPane',
		});
	}
	return output.sort((a, b) => a.order - b.order).flatMap((entry) => entry.items);
}
