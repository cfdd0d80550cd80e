/**
 * Runs the enrichments of all input items and turns each request's result into output items:
 * one per entry, its input item's (per-item mode), rejected entries as errors; or one per request
 * (bulk mode, or per-item mode with Output > One Item per Request), rejected entries listed in it.
 */
import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { enrichFields, type EnrichmentAnswer } from '../../api/enrichment';
import {
	errorOutput,
	prepareItems,
	runTasks,
	type NodeError,
	type OutputItem,
	type Task,
} from '../../shared/engine';
import {
	attribute,
	planRequests,
	type Attribution,
	type EntryFailure,
	type ItemEnrichments,
	type NexthinkObjectError,
	type PlannedRequest,
} from './requests';
import { quote } from '../../shared/text';
import { nexthinkError } from '../../transport/errors';

interface EnrichmentRunOptions {
	/** `entry`: one output item per entry (its input item's); `request`: one per request. */
	output: 'entry' | 'request';
	combine: boolean;
	maxPerRequest: number;
	concurrency: number;
	/** Reads and validates one item; throw (NodeOperationError) to fail that item alone. */
	prepare(itemIndex: number): ItemEnrichments;
}

/** A request as sent, with the entries Nexthink rejected (207). */
interface Sent extends Attribution {
	request: PlannedRequest;
	status: number;
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
	const what = name === undefined ? 'an entry' : `${String(name)} ${quote(value)}`;
	const more = failure.errors.length > 1 ? ` (and ${failure.errors.length - 1} more)` : '';
	const message = `Nexthink rejected the enrichment of ${what}: ${first.message ?? 'no reason given'}${first.code ? ` [${first.code}]` : ''}${more}`;
	const response: JsonObject = {
		httpCode: String(status),
		nexthinkErrors: failure.errors as JsonObject[],
	};
	if (first.code) response.nexthinkCode = first.code;
	if (first.message) response.nexthinkMessage = first.message;
	return nexthinkError(this.getNode(), {
		message,
		description: fixFor(failure.errors),
		response,
		httpCode: status,
		itemIndex,
	});
}

function unattributedError(
	this: IExecuteFunctions,
	failure: EntryFailure,
	status: number,
	request: PlannedRequest,
): NodeApiError {
	const error = entryError.call(this, failure, status, request.itemIndexes[0]);
	error.description = `Nexthink named an identification this request did not hold, so the node cannot tell which input item it means. ${error.description ?? ''}`;
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

/** Nexthink's per-object errors of a 400 that rejected every entry, matched to the entries. */
function rejectedWhole(error: NodeError, request: PlannedRequest): Attribution | undefined {
	const response = (error instanceof NodeApiError ? error.errorResponse : undefined) as
		| IDataObject
		| undefined;
	if (!(error instanceof NodeApiError && error.httpCode === '400')) return undefined;
	if (!Array.isArray(response?.nexthinkErrors)) return undefined;
	return attribute(
		request,
		response.nexthinkErrors,
		true,
		'Nexthink rejected every entry of the request',
	);
}

/** Runs the enrichments of all input items; see the module comments here and in ./requests. */
export async function runEnrichments(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	options: EnrichmentRunOptions,
): Promise<INodeExecutionData[]> {
	const { prepared, invalid } = prepareItems(this, items.length, options.prepare);
	const requests = planRequests(prepared, options.combine, options.maxPerRequest);
	const requestOf = new Map<Task<Sent>, PlannedRequest>();
	const tasks = requests.map(
		(request): Task<Sent> => ({
			itemIndexes: request.itemIndexes,
			targets: request.entries.map((entry) => ({ ...entry.identification })),
			send: async () => {
				const answer: EnrichmentAnswer = await enrichFields(
					this,
					{
						domain: request.domain,
						enrichments: request.entries.map((entry) => ({
							identification: [entry.identification],
							fields: entry.fields,
						})),
					},
					request.itemIndexes[0],
				);
				return {
					request,
					status: answer.status,
					...attribute(
						request,
						answer.objectErrors,
						false,
						'Nexthink rejected this entry without a reason',
					),
				};
			},
		}),
	);

	/** Output per entry: one item per entry, accepted or rejected. */
	const perEntry = (
		request: PlannedRequest,
		status: number,
		attribution: Attribution,
		whole?: NodeError,
	) => {
		const failed = new Map(attribution.failures.map((failure) => [failure.entry!, failure]));
		const output: OutputItem[] = request.entries.map((entry) => {
			const failure = failed.get(entry);
			// The entry's own objects, not copies: each belongs to this one item (50,000 items at a time).
			const { identification } = entry;
			if (failure || whole)
				return errorOutput(
					failure ? entryError.call(this, failure, status, entry.itemIndex) : whole!,
					[entry.itemIndex],
					{ identification },
				);
			return {
				json: {
					status: 'accepted',
					domain: request.domain,
					identification,
					fields: entry.fields,
				},
				itemIndexes: [entry.itemIndex],
			};
		});
		for (const failure of attribution.unattributed)
			output.push(
				errorOutput(unattributedError.call(this, failure, status, request), request.itemIndexes, {
					identification: failure.identification,
				}),
			);
		return output;
	};

	tasks.forEach((task, position) => requestOf.set(task, requests[position]));
	const output = await runTasks(this, tasks, {
		concurrency: options.concurrency,
		triggersAction: true,
		targetNoun: 'enrichment',
		invalid,
		describeAccepted: ({ request, failures, unattributed }) =>
			`${request.entries.length - failures.length - unattributed.length} of ${request.entries.length} enrichments`,
		// Output per request: a 207 is a result (its item lists what was rejected); per entry,
		// each rejected entry is its item's failure.
		rejection: ({ request, status, failures, unattributed }) => {
			const failure = failures[0] ?? unattributed[0];
			if (!failure || options.output === 'request') return undefined;
			if (!failure.entry) return unattributedError.call(this, failure, status, request);
			return entryError.call(this, failure, status, failure.entry.itemIndex);
		},
		toItems: ({ request, status, failures, unattributed }) => {
			if (options.output === 'entry') return perEntry(request, status, { failures, unattributed });
			const failed = [...failures, ...unattributed].map(describeFailure);
			return [
				{
					json: {
						status: failed.length ? 'partial_success' : 'success',
						domain: request.domain,
						sent: request.entries.length,
						accepted: Math.max(0, request.entries.length - failed.length),
						rejected: failed.length,
						failed,
					},
				},
			];
		},
		toErrorItems: (error, task) => {
			const request = requestOf.get(task)!;
			const whole = rejectedWhole(error, request);
			if (options.output === 'entry')
				return perEntry(
					request,
					400,
					whole ?? { failures: [], unattributed: [] },
					whole ? undefined : error,
				);
			const failed = whole ? [...whole.failures, ...whole.unattributed].map(describeFailure) : [];
			return [errorOutput(error, request.itemIndexes, failed.length ? { failed } : {})];
		},
	}).catch((error: unknown) => {
		throw options.output === 'entry' ? withCounts(error, items.length) : error;
	});
	let sent = 0;
	let rejected = 0;
	for (const { json } of output) {
		if (typeof json.sent === 'number') sent += json.sent;
		if (typeof json.rejected === 'number') rejected += json.rejected;
	}
	if (options.output === 'request' && rejected > 0) {
		this.addExecutionHints({
			message: `Nexthink rejected ${rejected} of ${sent} enrichments: each is listed under "failed" in the output, with Nexthink's code and message.`,
			location: 'outputPane',
		});
	}
	return output;
}

/** A stop on a rejected entry says how many input items were not enriched; the others were. */
function withCounts(error: unknown, itemCount: number): unknown {
	const run = (error as NodeError | undefined)?.context?.nexthinkRun as
		| { accepted?: Array<{ results?: IDataObject[] }> }
		| undefined;
	if (!run || !(error instanceof NodeApiError) || error.httpCode !== '207') return error;
	const enriched = (run.accepted ?? [])
		.flatMap((entry) => entry.results ?? [])
		.filter((result) => result.status === 'accepted').length;
	error.description = `${itemCount - enriched} of ${itemCount} items were not enriched; the others were accepted by Nexthink. Set Settings > On Error to "Continue (using error output)" to keep the accepted ones and route the rejected ones. ${error.description ?? ''}`;
	return error;
}
