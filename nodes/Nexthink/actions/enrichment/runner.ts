/**
 * Runs the enrichments of all input items and turns each request's result into output items:
 * one per input item (per-item mode) or one per request (bulk), rejected entries as errors.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { asNodeError, errorItem, pairedWith } from '../../shared/items';
import { mapWithConcurrency } from '../../transport/batching';
import {
	planRequests,
	send,
	type EntryFailure,
	type ItemEnrichments,
	type NexthinkObjectError,
	type RequestResult,
} from './requests';

export type { Enrichment, EntryFailure, ItemEnrichments, NexthinkObjectError } from './requests';

export interface EnrichmentRunOptions {
	/** `perItem`: one output item per input item; `bulk`: one output item per request. */
	mode: 'perItem' | 'bulk';
	combine: boolean;
	maxPerRequest: number;
	concurrency: number;
	/** Reads and validates one item; throw (NodeOperationError) to fail that item alone. */
	prepare(itemIndex: number): ItemEnrichments;
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

/** Runs the enrichments of all input items; see the module comments here and in ./requests. */
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
