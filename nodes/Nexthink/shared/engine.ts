/**
 * The execution engine: every operation's requests run through here, per item, combined or
 * enrichment. Its rules, the same for all (README "When a request fails half-way"):
 *
 * - Requests run at most `concurrency` at a time, and none starts once the execution is
 *   cancelled.
 * - Continue On Fail off: no request starts after the first failure. The node then fails with
 *   the error of the earliest failed input item; for an operation that triggers something in
 *   Nexthink, that error also says (in its description, and in `context.nexthinkRun` for error
 *   workflows) what Nexthink had already accepted, what failed, and what was not sent.
 * - Continue On Fail on: every request runs. An accepted request gives the operation's output
 *   items; a failed one gives one error item paired with exactly its own input items and
 *   listing exactly its own targets.
 *
 * The engine never decides what an answer means: operations plan the requests, and shape each
 * answer into output items through `toItems`. Pairing with input items is decided here only.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { cancelledError, isCancellation, isCancelled } from '../transport/cancel';
import { mayHaveBeenProcessed } from '../transport/errors';
import { DEFAULT_CONCURRENCY } from './options';

export type NodeError = NodeApiError | NodeOperationError;

/** `pairedItem` for an output item that comes from the given input items. */
const pairedWith = (itemIndexes: number[]) =>
	itemIndexes.length === 1 ? { item: itemIndexes[0] } : itemIndexes.map((item) => ({ item }));

/**
 * The item n8n shows (regular output) or routes (error output) for an input that failed.
 * n8n routes an item to the error output when its json holds only `error`, `message` and
 * `details` (an `item.error` would make n8n replace the json with the bare message), so what
 * Nexthink said goes under `details`.
 */
function errorItem(
	error: NodeError,
	pairedItems: number | number[],
	extraDetails: IDataObject = {},
): INodeExecutionData {
	const details: IDataObject = {};
	if (error.description) details.description = error.description;
	if (error instanceof NodeApiError) {
		if (error.httpCode) details.httpCode = error.httpCode;
		const response = error.errorResponse as IDataObject | undefined;
		for (const key of ['nexthinkCode', 'nexthinkMessage', 'nexthinkErrors'])
			if (response?.[key] !== undefined) details[key] = response[key];
	}
	Object.assign(details, extraDetails);
	return {
		json: { error: error.message, details },
		pairedItem: pairedWith(Array.isArray(pairedItems) ? pairedItems : [pairedItems]),
	};
}

/** Any error from an operation, as the n8n error type that names the item. */
function asNodeError(this: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}

/** One planned request (or, for per-item operations, one item's calls). */
export interface Task<Answer> {
	/** The input items it serves, in input order. */
	itemIndexes: number[];
	/** What it carries (devices, users, enrichments), listed in reports and error items. */
	targets?: unknown[];
	send(): Promise<Answer>;
}

type Outcome<Answer> =
	| { state: 'accepted'; task: Task<Answer>; answer: Answer }
	| { state: 'failed'; task: Task<Answer>; error: NodeError }
	| { state: 'notSent'; task: Task<Answer> };

/** An output item an operation makes of an answer. */
export interface OutputItem {
	json: IDataObject;
	binary?: INodeExecutionData['binary'];
	/** The input items it comes from, when fewer than all of its task's (default: all of them). */
	itemIndexes?: number[];
}

export interface RunOptions<Answer> {
	/** Requests in flight at once. */
	concurrency: number;
	/** True for operations that start something in Nexthink (no retry after 5xx, reports). */
	triggersAction: boolean;
	/** What a target is, for reports: "device", "user", "enrichment". */
	targetNoun?: string;
	/** Input items that failed validation (only with Continue On Fail: otherwise they throw). */
	invalid?: Map<number, NodeError>;
	/** Output items for an accepted answer. */
	toItems(answer: Answer, task: Task<Answer>): OutputItem[];
	/** For reports of triggering operations: what Nexthink accepted, in a few words ("request 3f…"). */
	describeAccepted?(answer: Answer, task: Task<Answer>): string;
	/**
	 * For answers that Nexthink accepted in part (enrichment 207): the error that stands for the
	 * rejected part. An accepted answer with a rejection counts as a failure: without Continue On
	 * Fail no request starts after it, and the node stops with the earliest such error.
	 */
	rejection?(answer: Answer, task: Task<Answer>): NodeError | undefined;
	/** Error items for a failed task (Continue On Fail); default: one, listing its targets. */
	toErrorItems?(error: NodeError, task: Task<Answer>): OutputItem[];
}

/**
 * Reads and checks every input item before anything is sent. Without Continue On Fail the first
 * bad item throws (nothing has been sent yet); with it, bad items are collected and the rest go on.
 */
export function prepareItems<Prepared>(
	context: IExecuteFunctions,
	count: number,
	prepare: (itemIndex: number) => Prepared,
): { prepared: Map<number, Prepared>; invalid: Map<number, NodeError> } {
	const prepared = new Map<number, Prepared>();
	const invalid = new Map<number, NodeError>();
	const continueOnFail = context.continueOnFail();
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			prepared.set(itemIndex, prepare(itemIndex));
		} catch (error) {
			const nodeError = asNodeError.call(context, error, itemIndex);
			if (!continueOnFail) throw nodeError;
			invalid.set(itemIndex, nodeError);
		}
	}
	return { prepared, invalid };
}

/** Sends the tasks under the rules above and reports every one: accepted, failed or not sent. */
async function sendTasks<Answer>(
	context: IExecuteFunctions,
	tasks: Array<Task<Answer>>,
	options: Pick<RunOptions<Answer>, 'concurrency' | 'rejection'>,
): Promise<Array<Outcome<Answer>>> {
	const outcomes: Array<Outcome<Answer>> = tasks.map((task) => ({ state: 'notSent', task }));
	const stopOnFailure = !context.continueOnFail();
	let stopped = false;
	let next = 0;
	const worker = async () => {
		while (!stopped && next < tasks.length) {
			if (isCancelled(context)) {
				stopped = true;
				return;
			}
			const position = next++;
			const task = tasks[position];
			try {
				const answer = await task.send();
				outcomes[position] = { state: 'accepted', task, answer };
				if (stopOnFailure && options.rejection?.(answer, task)) stopped = true;
			} catch (error) {
				const cancelled = isCancellation(error);
				outcomes[position] = {
					state: 'failed',
					task,
					error: asNodeError.call(context, error, task.itemIndexes[0]),
				};
				if (cancelled || stopOnFailure) stopped = true;
			}
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(options.concurrency) || 1, tasks.length));
	await Promise.all(Array.from({ length: workers }, worker));
	return outcomes;
}

/** Plans are sent and turned into output: the one function operations call. */
export async function runTasks<Answer>(
	context: IExecuteFunctions,
	tasks: Array<Task<Answer>>,
	options: RunOptions<Answer>,
): Promise<INodeExecutionData[]> {
	const outcomes = await sendTasks(context, tasks, options);
	return toOutput(context, outcomes, options);
}

/** Output items of the outcomes, or the error the node stops with (see the module comment). */
function toOutput<Answer>(
	context: IExecuteFunctions,
	outcomes: Array<Outcome<Answer>>,
	options: RunOptions<Answer>,
): INodeExecutionData[] {
	const stops: Array<{ order: number; error: NodeError }> = [];
	for (const outcome of outcomes) {
		const error =
			outcome.state === 'failed'
				? outcome.error
				: outcome.state === 'accepted'
					? options.rejection?.(outcome.answer, outcome.task)
					: undefined;
		if (!error) continue;
		const order = (error.context.itemIndex as number | undefined) ?? outcome.task.itemIndexes[0];
		if (isCancellation(error)) stops.unshift({ order: -1, error });
		else stops.push({ order, error });
	}
	// Cancelled between requests: nothing failed, but what was not sent must not pass unnoticed.
	if (isCancelled(context) && stops[0]?.order !== -1)
		stops.unshift({
			order: -1,
			error: cancelledError(context.getNode(), { requestInFlight: false }),
		});
	if (stops.length && (stops[0].order === -1 || !context.continueOnFail())) {
		const first = stops.reduce((best, stop) => (stop.order < best.order ? stop : best));
		if (options.triggersAction) report(first.error, outcomes, options);
		throw first.error;
	}

	// One output item each, in input order (each at its first input item, stable), built once:
	// an export gives a million of them, so no copies, no spread arguments and no sort unless needed.
	const items: INodeExecutionData[] = [];
	const orders: number[] = [];
	let ordered = true;
	const add = (entry: OutputItem, taskItems: number[]) => {
		const itemIndexes = entry.itemIndexes?.length ? entry.itemIndexes : taskItems;
		const item: INodeExecutionData = { json: entry.json, pairedItem: pairedWith(itemIndexes) };
		if (entry.binary) item.binary = entry.binary;
		if (orders.length && itemIndexes[0] < orders[orders.length - 1]) ordered = false;
		orders.push(itemIndexes[0]);
		items.push(item);
	};
	for (const outcome of outcomes) {
		const { task } = outcome;
		if (outcome.state === 'accepted') {
			for (const entry of options.toItems(outcome.answer, task)) add(entry, task.itemIndexes);
		} else if (outcome.state === 'failed') {
			const entries = options.toErrorItems?.(outcome.error, task) ?? [
				errorOutput(outcome.error, task.itemIndexes, {
					...(task.targets ? { targets: task.targets as IDataObject[] } : {}),
					...(options.triggersAction ? { mayHaveRun: mayHaveBeenProcessed(outcome.error) } : {}),
				}),
			];
			for (const entry of entries) add(entry, task.itemIndexes);
		}
	}
	for (const [itemIndex, error] of options.invalid ?? []) add(errorOutput(error, [itemIndex]), []);
	if (ordered) return items;
	const positions = items.map((_item, position) => position);
	positions.sort((a, b) => orders[a] - orders[b] || a - b);
	return positions.map((position) => items[position]);
}

/** An error as an output item (Continue On Fail), for `toItems` and `toErrorItems`. */
export function errorOutput(
	error: NodeError,
	itemIndexes: number[],
	extraDetails: IDataObject = {},
): OutputItem {
	const { json } = errorItem(error, itemIndexes, extraDetails);
	return { json, itemIndexes };
}

const count = (value: number, unit: string) =>
	`${value.toLocaleString('en-US')} ${unit}${value === 1 ? '' : 's'}`;

/** Input item positions as people read them: "items 0–4, 7". */
function itemRanges(itemIndexes: number[]): string {
	const sorted = [...new Set(itemIndexes)].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let start = 0; start < sorted.length; ) {
		let end = start;
		while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
		parts.push(start === end ? `${sorted[start]}` : `${sorted[start]}–${sorted[end]}`);
		start = end + 1;
	}
	return `${sorted.length === 1 ? 'item' : 'items'} ${parts.join(', ')}`;
}

const targetCount = (tasks: Array<Task<unknown>>) =>
	tasks.reduce((sum, task) => sum + (task.targets?.length ?? 0), 0);

/**
 * Tells, on the error the node stops with, what Nexthink already did: accepted requests (with
 * what the operation says of them), failed ones (and whether they may have run), requests never
 * sent. The description says it in words; `context.nexthinkRun` holds it whole for error workflows.
 */
function report<Answer>(
	error: NodeError,
	outcomes: Array<Outcome<Answer>>,
	options: RunOptions<Answer>,
): void {
	const accepted = outcomes.filter(
		(outcome): outcome is Outcome<Answer> & { state: 'accepted' } => outcome.state === 'accepted',
	);
	const failed = outcomes.filter(
		(outcome): outcome is Outcome<Answer> & { state: 'failed' } => outcome.state === 'failed',
	);
	const notSent = outcomes.filter((outcome) => outcome.state === 'notSent');
	const unit = options.targetNoun ?? 'target';

	/** "3 requests (25,000 devices, items 0–4)". */
	const summary = (group: Array<Outcome<Answer>>) => {
		const tasks = group.map((outcome) => outcome.task);
		return `${count(tasks.length, 'request')} (${count(targetCount(tasks), unit)}, ${itemRanges(tasks.flatMap((task) => task.itemIndexes))})`;
	};
	const lines: string[] = [];
	if (accepted.length) {
		const what = accepted
			.map((outcome) => options.describeAccepted?.(outcome.answer, outcome.task))
			.filter(Boolean);
		const listed = what.length
			? `: ${what.slice(0, 5).join('; ')}${what.length > 5 ? `; and ${what.length - 5} more` : ''}`
			: '';
		const them = accepted.length === 1 ? 'it' : 'them';
		lines.push(
			`Before the node stopped, Nexthink accepted ${summary(accepted)}${listed}. Running the node again as it is would send ${them} again: remove ${accepted.length === 1 ? 'its' : 'their'} ${unit}s first.`,
		);
	} else {
		lines.push('Nexthink accepted no request of this run.');
	}
	const mayHaveRun = failed.filter((outcome) => mayHaveBeenProcessed(outcome.error));
	const refused = failed.filter((outcome) => !mayHaveBeenProcessed(outcome.error));
	if (mayHaveRun.length)
		lines.push(
			`Failed, and may still have run in Nexthink: ${summary(mayHaveRun)}; check there before sending ${mayHaveRun.length === 1 ? 'it' : 'them'} again.`,
		);
	if (refused.length) lines.push(`Refused by Nexthink, nothing ran: ${summary(refused)}.`);
	if (notSent.length) lines.push(`Not sent: ${summary(notSent)}.`);
	lines.push("Every request ID and target is in the error's context (nexthinkRun).");

	const entry = (task: Task<Answer>): IDataObject => ({
		inputItems: task.itemIndexes,
		...(task.targets ? { targets: task.targets as IDataObject[] } : {}),
	});
	error.context.nexthinkRun = {
		accepted: accepted.map((outcome) => ({
			...entry(outcome.task),
			results: options.toItems(outcome.answer, outcome.task).map((item) => item.json),
		})),
		failed: failed.map((outcome) => ({
			...entry(outcome.task),
			error: outcome.error.message,
			mayHaveRun: mayHaveBeenProcessed(outcome.error),
		})),
		notSent: notSent.map((outcome) => entry(outcome.task)),
	};
	error.description = `${error.description ? `${error.description} ` : ''}${lines.join(' ')}`;
}

/**
 * A read-only operation run once per input item: each item's calls are one task; the result is
 * paired with its item.
 */
export async function runPerItem(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	run: (itemIndex: number) => Promise<IDataObject[] | INodeExecutionData[]>,
	concurrency = DEFAULT_CONCURRENCY,
): Promise<INodeExecutionData[]> {
	const tasks = items.map(
		(_item, itemIndex): Task<Array<IDataObject | INodeExecutionData>> => ({
			itemIndexes: [itemIndex],
			send: async () => await run(itemIndex),
		}),
	);
	return await runTasks(this, tasks, {
		concurrency,
		triggersAction: false,
		toItems: (results) =>
			results.map((result) =>
				isExecutionData(result) ? { json: result.json, binary: result.binary } : { json: result },
			),
	});
}

function isExecutionData(value: IDataObject | INodeExecutionData): value is INodeExecutionData {
	return typeof value.json === 'object' && value.json !== null && !Array.isArray(value.json);
}
