/**
 * Options > Wait for Outcome of Workflow > Trigger and Remote Action > Execute (README "Wait for
 * Outcome", docs/nexthink-api.md §5.4, §6.7). After the engine has sent the trigger requests, the
 * node follows what Nexthink accepted: it runs the table's saved NQL query with each request ID
 * until every execution has reached a final state or the time-out, and outputs one item per
 * execution (its target, status, times, outputs), paired with the input items that named its
 * target. An operation adds the options to its Options and ends its execute() with
 * `runTasksAndWaitForOutcome` instead of `runTasks`; everything else is here.
 *
 * Fleet safety: nothing is ever sent again. The saved query is checked before the trigger (a
 * missing query or permission stops the run while nothing has started); a wait that fails after
 * the trigger says which requests Nexthink accepted (IDs, targets, input items) and, with
 * Continue On Fail, still returns their items.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type IPairedItemData,
} from 'n8n-workflow';

import { downloadExportById, startExport, waitForExport } from '../api/exports';
import { NQL_EXECUTE_ROW_CAP } from '../api/nql';
import { cancelledError, isCancellation, waitUnlessCancelled } from '../transport/cancel';
import { parseCsv } from './csv';
import {
	errorOutput,
	runTasks,
	type NodeError,
	type OutputItem,
	type RunOptions,
	type Task,
} from './engine';
import {
	isFinalStatus,
	queryExecutions,
	readRequestIdParameter,
	rowDevice,
	rowExecutionId,
	rowOutputs,
	rowStatus,
	rowStatusDetails,
	rowTargets,
	rowTimes,
	rowUser,
	savedQueryHint,
	withDefault,
	type ExecutionsQuery,
	type ExecutionsTable,
	type RowTarget,
} from './executions';
import { exportText } from './exportOutput';
import { readConcurrency, readOptions } from './options';
import { quote } from './text';
import { checkNqlQueryId, invalidField } from './validation';

const DEFAULT_TIMEOUT_SECONDS = 600;
const MAX_TIMEOUT_SECONDS = 86_400;
const DEFAULT_POLL_SECONDS = 30;
const MAX_POLL_SECONDS = 3_600;
/** Status checks of an export that follows a large request: as NQL > Export's default, or faster polls. */
const EXPORT_CHECK_MS = 5_000;
/** An export started near the time-out still gets this long to complete. */
const EXPORT_MIN_WAIT_MS = 60_000;
/** The request ID of the check before the trigger: no execution has it. */
const NO_REQUEST = '00000000-0000-0000-0000-000000000000';

const FIELDS = {
	query: 'Outcome Query ID',
	parameter: 'Outcome Request ID Parameter',
	timeout: 'Outcome Time-Out (Seconds)',
	interval: 'Outcome Poll Interval (Seconds)',
} as const;

const whenWaiting = { show: { waitForOutcome: [true] } };

/** The options an operation adds to its Options collection: Wait for Outcome, and its settings while on. */
export function waitForOutcomeOptions(table: ExecutionsTable): INodeProperties[] {
	return [
		{
			displayName: 'Wait for Outcome',
			name: 'waitForOutcome',
			type: 'boolean',
			default: false,
			description: `Whether to wait, once Nexthink has accepted the requests, until every execution they started has reached a final state (or the time-out), and return one item per execution with its target, status, times and outputs instead of what Output says. Nexthink reports executions through NQL (${table.table}), so this needs a saved query.`,
			hint: `Needs the saved NQL query ${table.defaultQueryId} (or the one under ${FIELDS.query}), which Nexthink has only once you create it: Administration > NQL API queries > New, Query ID ${table.defaultQueryId}, NQL <code>${table.nql}</code>`,
		},
		withDefault(
			{
				displayName: FIELDS.query,
				name: 'outcomeQueryId',
				type: 'string',
				default: '',
				placeholder: table.defaultQueryId,
				description: `The saved NQL query over ${table.table} that Wait for Outcome runs with each request ID (checked before the trigger is sent)`,
				hint: savedQueryHint(table),
				displayOptions: whenWaiting,
			},
			table.defaultQueryId,
		),
		{
			displayName: FIELDS.parameter,
			name: 'outcomeRequestIdParameter',
			type: 'string',
			default: 'request_id',
			description: `The $placeholder of the outcome query that receives the ${table.requestNoun}, without the $`,
			displayOptions: whenWaiting,
		},
		{
			displayName: FIELDS.timeout,
			name: 'outcomeTimeout',
			type: 'number',
			default: DEFAULT_TIMEOUT_SECONDS,
			typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
			description:
				'How long to wait, from the moment Nexthink accepted the requests, for every execution to finish. Executions not finished by then come out with finished: false; they go on in Nexthink.',
			displayOptions: whenWaiting,
		},
		{
			displayName: FIELDS.interval,
			name: 'outcomePollInterval',
			type: 'number',
			default: DEFAULT_POLL_SECONDS,
			typeOptions: { minValue: 1, maxValue: MAX_POLL_SECONDS },
			description:
				'How often to run the outcome query while executions are not finished: one NQL call per unfinished request each time (at most Concurrency at once; a 429 is waited out as Nexthink says)',
			displayOptions: whenWaiting,
		},
	];
}

interface OutcomeSettings {
	queryId: string;
	parameterName: string;
	timeoutMs: number;
	pollIntervalMs: number;
	concurrency: number;
}

/** A whole number of seconds from 1 to `max`, or the default when the option is not set. */
function readSeconds(
	this: IExecuteFunctions,
	value: unknown,
	fallback: number,
	field: string,
	max: number,
): number {
	if (value === undefined || value === null || value === '') return fallback;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 1 && seconds <= max) return seconds;
	throw invalidField.call(
		this,
		0,
		field,
		`${quote(value)} is out of range`,
		`Use a number of seconds from 1 to ${max.toLocaleString('en-US')}.`,
	);
}

/** The run's Wait for Outcome settings (from the first item), checked; undefined when it is off. */
function readOutcomeSettings(
	this: IExecuteFunctions,
	table: ExecutionsTable,
): OutcomeSettings | undefined {
	const options = readOptions.call(this);
	if (options.waitForOutcome !== true) return undefined;
	return {
		queryId: checkNqlQueryId.call(
			this,
			options.outcomeQueryId ?? table.defaultQueryId,
			0,
			FIELDS.query,
		),
		parameterName: readRequestIdParameter.call(
			this,
			options.outcomeRequestIdParameter ?? 'request_id',
			0,
			FIELDS.parameter,
		),
		timeoutMs:
			readSeconds.call(
				this,
				options.outcomeTimeout,
				DEFAULT_TIMEOUT_SECONDS,
				FIELDS.timeout,
				MAX_TIMEOUT_SECONDS,
			) * 1000,
		pollIntervalMs:
			readSeconds.call(
				this,
				options.outcomePollInterval,
				DEFAULT_POLL_SECONDS,
				FIELDS.interval,
				MAX_POLL_SECONDS,
			) * 1000,
		concurrency: readConcurrency.call(this),
	};
}

/** A planned trigger request (shared/plan.ts): its targets, and the input items that named each. */
export interface PlannedRequest<Target> {
	targets: Target[];
	itemIndexes: number[];
	itemsOf(target: Target): number[];
}

/** An accepted request being followed. */
interface Followed {
	requestId: string;
	request: PlannedRequest<unknown>;
	/** The trigger's output items for it, and the first one's json. */
	items: OutputItem[];
	trigger: IDataObject;
	/** What the engine's reports say of it ("request 3f… for 2 devices"). */
	described: string;
	/** Execution IDs the trigger answered (workflows), lower case; else none. */
	expectedIds: string[];
	/** Executions to expect: one per execution ID, else one per target. */
	expected: number;
	/** More than NQL execute returns: followed through exports instead. */
	viaExport: boolean;
	rows: IDataObject[];
	polls: number;
	done: boolean;
	error?: NodeError;
}

const pairedWith = (itemIndexes: number[]): IPairedItemData | IPairedItemData[] =>
	itemIndexes.length === 1 ? { item: itemIndexes[0] } : itemIndexes.map((item) => ({ item }));

const union = (lists: number[][]) => [...new Set(lists.flat())].sort((a, b) => a - b);

const lower = (value: unknown) => String(value).trim().toLowerCase();

/** The identifiers of a planned target: a collector UUID (remote actions), or `{kind, ids}` (workflows). */
function targetValues(target: unknown): RowTarget[] {
	if (typeof target === 'string') return [{ kind: 'device', value: lower(target) }];
	if (target && typeof target === 'object') {
		const { kind, ids } = target as { kind?: unknown; ids?: Record<string, unknown> };
		if ((kind === 'device' || kind === 'user') && ids)
			return Object.values(ids).map((value) => ({ kind, value: lower(value) }));
	}
	return [];
}

function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (isCancellation(error)) return cancelledError(context.getNode(), { requestInFlight: false });
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/**
 * Checks, before anything is triggered, that the outcome query runs: it exists, takes the
 * parameter, and the credential may run it. Its error says that nothing was triggered.
 */
async function checkOutcomeQuery(
	context: IExecuteFunctions,
	table: ExecutionsTable,
	settings: OutcomeSettings,
): Promise<void> {
	let failure: unknown;
	try {
		await queryExecutions.call(context, table, queryOf(settings, NO_REQUEST, 0));
	} catch (error) {
		failure = error;
	}
	if (failure === undefined) return;
	const error = asNodeError(context, failure, 0);
	if (!isCancellation(error))
		error.description = `${error.description ? `${error.description} ` : ''}Nothing was triggered: Wait for Outcome checks its saved query before ${table.trigger} sends anything.`;
	throw error;
}

function queryOf(settings: OutcomeSettings, requestId: string, itemIndex: number): ExecutionsQuery {
	return {
		queryId: settings.queryId,
		parameterName: settings.parameterName,
		requestId,
		queryField: FIELDS.query,
		parameterField: FIELDS.parameter,
		itemIndex,
	};
}

/**
 * A request's executions through an export (more than NQL execute's 1,000 rows): the saved query
 * exported with the request ID, waited for, downloaded and read as CSV (values are text).
 */
async function exportedRows(
	context: IExecuteFunctions,
	query: ExecutionsQuery,
	settings: OutcomeSettings,
	deadline: number,
): Promise<IDataObject[]> {
	const { itemIndex } = query;
	const exportId = await startExport.call(
		context,
		{ queryId: query.queryId, parameters: { [query.parameterName]: query.requestId } },
		'NONE',
		itemIndex,
	);
	const status = await waitForExport.call(
		context,
		exportId,
		{
			intervalMs: Math.min(EXPORT_CHECK_MS, settings.pollIntervalMs),
			timeoutMs: Math.max(deadline - Date.now(), EXPORT_MIN_WAIT_MS),
		},
		itemIndex,
	);
	const { file } = await downloadExportById.call(context, exportId, { status, itemIndex });
	const text = file.data ? await exportText(file.data) : '';
	return parseCsv(text ?? '');
}

/** Whether every execution of the request has been seen in a final state. */
function isDone(followed: Followed): boolean {
	const { rows } = followed;
	if (rows.length < followed.expected) return false;
	if (!rows.every((row) => isFinalStatus(rowStatus(row)))) return false;
	if (!followed.expectedIds.length) return true;
	const seen = new Set(rows.map(rowExecutionId));
	return followed.expectedIds.every((id) => seen.has(id));
}

/** Runs `work` for each entry, at most `concurrency` at once; after a failure none starts, and it is thrown. */
async function inTurn<T>(
	entries: T[],
	concurrency: number,
	work: (entry: T) => Promise<void>,
): Promise<void> {
	let next = 0;
	let failed = false;
	let failure: unknown;
	const worker = async () => {
		while (!failed && next < entries.length) {
			const entry = entries[next++];
			try {
				await work(entry);
			} catch (error) {
				if (!failed) failure = error;
				failed = true;
			}
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(concurrency) || 1, entries.length));
	await Promise.all(Array.from({ length: workers }, worker));
	if (failed) throw failure;
}

/**
 * Polls every followed request until all are done (or failed, with Continue On Fail) or the
 * time-out: at once, then every poll interval, with a last look at the time-out. Each wait ends at
 * once on cancel; NQL calls are the transport's (429 and 5xx waited out and retried). Returns
 * whether the time-out ended it.
 */
async function follow(
	context: IExecuteFunctions,
	table: ExecutionsTable,
	settings: OutcomeSettings,
	followed: Followed[],
): Promise<boolean> {
	const deadline = Date.now() + settings.timeoutMs;
	const continueOnFail = context.continueOnFail();
	for (;;) {
		const open = followed.filter((entry) => !entry.done && !entry.error);
		await inTurn(open, settings.concurrency, async (entry) => {
			const query = queryOf(settings, entry.requestId, entry.request.itemIndexes[0]);
			let failure: unknown;
			try {
				entry.rows = entry.viaExport
					? await exportedRows(context, query, settings, deadline)
					: await queryExecutions.call(context, table, query);
				entry.polls++;
				entry.done = isDone(entry);
			} catch (error) {
				failure = error;
			}
			if (failure === undefined) return;
			const error = asNodeError(context, failure, query.itemIndex ?? 0);
			if (isCancellation(error) || !continueOnFail) throw error;
			entry.error = error;
		});
		if (followed.every((entry) => entry.done || entry.error)) return false;
		const left = deadline - Date.now();
		if (left <= 0) return true;
		await waitUnlessCancelled(context, Math.min(settings.pollIntervalMs, left));
	}
}

const plural = (count: number, unit: string) =>
	`${count.toLocaleString('en-US')} ${unit}${count === 1 ? '' : 's'}`;

/**
 * The error a wait stops with, told what Nexthink had already accepted: the description lists
 * the requests (IDs, targets, input items) and says not to run the node again; the same is in
 * `context.nexthinkRun`, in the engine's shape (README "When a request fails half-way").
 */
function reportAccepted(
	context: IExecuteFunctions,
	table: ExecutionsTable,
	failure: unknown,
	followed: Followed[],
): NodeError {
	const error = asNodeError(context, failure, followed[0]?.request.itemIndexes[0] ?? 0);
	const listed = followed.slice(0, 5).map((entry) => entry.described);
	const more = followed.length > 5 ? `; and ${followed.length - 5} more` : '';
	const them = followed.length === 1 ? 'it' : 'them';
	const sentence = `The wait stopped, but Nexthink had accepted ${plural(followed.length, 'request')} before it began: ${listed.join('; ')}${more}. ${followed.length === 1 ? 'It runs' : 'They run'} in Nexthink whatever happens to this node: running the node again would trigger ${them} again. Follow ${them} with ${table.getExecutions} and ${followed.length === 1 ? 'its request ID' : 'their request IDs'} instead (every request ID and target is in the error's context, nexthinkRun).`;
	error.description = `${error.description ? `${error.description} ` : ''}${sentence}`;
	error.context.nexthinkRun = {
		accepted: followed.map((entry) => ({
			inputItems: entry.request.itemIndexes,
			targets: entry.request.targets as IDataObject[],
			[table.requestKey]: entry.requestId,
			results: entry.items.map((item) => item.json),
		})),
		failed: [],
		notSent: [],
	};
	return error;
}

/** The item of one execution as NQL reported it (or, with `row` null, of one it has not recorded). */
function executionItem(
	table: ExecutionsTable,
	followed: Followed,
	timedOut: boolean,
	row: IDataObject | null,
	absent: { executionId?: string; target?: unknown } = {},
): IDataObject {
	const json: IDataObject = { [table.requestKey]: followed.requestId };
	for (const key of table.carry)
		if (followed.trigger[key] !== undefined) json[key] = followed.trigger[key];
	const status = row ? rowStatus(row) : null;
	const finished = isFinalStatus(status);
	if (table.hasUsers) json.executionId = row ? rowExecutionId(row) : (absent.executionId ?? null);
	json.status = status;
	json.finished = finished;
	json.timedOut = timedOut && !finished;
	if (row) {
		json.device = rowDevice(row);
		if (table.hasUsers) json.user = rowUser(row);
	} else {
		const values = targetValues(absent.target);
		const ids = (absent.target as { ids?: Record<string, string> } | undefined)?.ids ?? {};
		const device = typeof absent.target === 'string' || values[0]?.kind === 'device';
		json.device =
			typeof absent.target === 'string'
				? { collectorUid: absent.target, name: null }
				: device && values.length
					? { collectorUid: ids.collectorUid ?? null, name: ids.name ?? null }
					: null;
		if (table.hasUsers)
			json.user = !device && values.length ? { sid: ids.sid ?? null, upn: ids.upn ?? null } : null;
	}
	json.statusDetails = row ? rowStatusDetails(row) : null;
	const outputs = row ? rowOutputs(row) : null;
	if (!table.hasUsers || outputs) json.outputs = outputs;
	json.times = row ? rowTimes(row) : {};
	json.execution = row;
	return json;
}

/**
 * One item per execution of a request, in the order of the targets they ran on; each paired with
 * the input items that named its target (all of the request's when its row names none of them).
 * Executions not recorded yet come out too (by execution ID, else by target), not finished.
 */
function executionItems(
	table: ExecutionsTable,
	followed: Followed,
	timedOut: boolean,
): INodeExecutionData[] {
	const { request } = followed;
	// Each identifier of a target, to the targets that have it: rows are matched by look-up.
	const key = ({ kind, value }: RowTarget) => `${kind}\u0000${value}`;
	const positions = new Map<string, number[]>();
	request.targets.forEach((target, position) => {
		for (const value of targetValues(target)) {
			const list = positions.get(key(value));
			if (!list) positions.set(key(value), [position]);
			else if (list[list.length - 1] !== position) list.push(position);
		}
	});
	const matched = new Set<number>();
	const seenIds = new Set<string>();
	let named = false;
	const rows = followed.rows.map((row, position) => {
		const found = rowTargets(row);
		if (found.length) named = true;
		const targets = union(found.map((value) => positions.get(key(value)) ?? []));
		for (const index of targets) matched.add(index);
		const id = rowExecutionId(row);
		if (id) seenIds.add(id);
		const itemIndexes = targets.length
			? union(targets.map((index) => request.itemsOf(request.targets[index])))
			: request.itemIndexes;
		return {
			order: targets.length ? targets[0] : request.targets.length + position,
			item: {
				json: executionItem(table, followed, timedOut, row),
				pairedItem: pairedWith(itemIndexes),
			},
		};
	});
	rows.sort((a, b) => a.order - b.order);
	const items = rows.map((entry) => entry.item);
	if (followed.expectedIds.length) {
		for (const executionId of followed.expectedIds)
			if (!seenIds.has(executionId))
				items.push({
					json: executionItem(table, followed, timedOut, null, { executionId }),
					pairedItem: pairedWith(request.itemIndexes),
				});
	} else if (named || followed.rows.length === 0) {
		request.targets.forEach((target, index) => {
			if (matched.has(index)) return;
			items.push({
				json: executionItem(table, followed, timedOut, null, { target }),
				pairedItem: pairedWith(request.itemsOf(target)),
			});
		});
	}
	return items;
}

/**
 * The operation's runTasks, followed by Wait for Outcome when the option is on: the options are
 * checked and the outcome query tried before anything is triggered; the engine then sends the
 * trigger requests under its usual rules, and each accepted request's items are replaced by one
 * item per execution. Failed requests (Continue On Fail) and bad items keep their error items.
 */
export async function runTasksAndWaitForOutcome<Answer, Target>(
	context: IExecuteFunctions,
	table: ExecutionsTable,
	requests: Array<PlannedRequest<Target>>,
	tasks: Array<Task<Answer>>,
	options: RunOptions<Answer>,
): Promise<INodeExecutionData[]> {
	const settings = readOutcomeSettings.call(context, table);
	if (!settings || tasks.length === 0) return await runTasks(context, tasks, options);
	await checkOutcomeQuery(context, table, settings);

	const accepted = new Map<Task<Answer>, Followed | undefined>();
	const output = await runTasks(context, tasks, {
		...options,
		toItems: (answer, task) => {
			const items = options.toItems(answer, task);
			if (!accepted.has(task)) {
				const index = tasks.indexOf(task);
				const request = (requests[index] as PlannedRequest<unknown> | undefined) ?? {
					targets: task.targets ?? [],
					itemIndexes: task.itemIndexes,
					itemsOf: () => task.itemIndexes,
				};
				const trigger = items[0]?.json ?? {};
				const requestId = trigger[table.requestKey];
				const expectedIds = Array.isArray(trigger.executionsUuids)
					? trigger.executionsUuids.map(lower)
					: [];
				const expected = expectedIds.length || request.targets.length;
				accepted.set(
					task,
					typeof requestId === 'string' && requestId
						? {
								requestId,
								request,
								items,
								trigger,
								described:
									options.describeAccepted?.(answer, task) ??
									`request ${requestId} (${plural(request.targets.length, table.targetNoun)})`,
								expectedIds,
								expected,
								viaExport: expected > NQL_EXECUTE_ROW_CAP,
								rows: [],
								polls: 0,
								done: false,
							}
						: undefined,
				);
			}
			return items;
		},
	});
	const followed = [...accepted.values()].filter((entry): entry is Followed => !!entry);
	if (!followed.length) return output;

	let timedOut = false;
	let failure: unknown;
	try {
		timedOut = await follow(context, table, settings, followed);
	} catch (error) {
		failure = error;
	}
	if (failure !== undefined) throw reportAccepted(context, table, failure, followed);

	const byJson = new Map<IDataObject, Followed>();
	for (const entry of followed) for (const item of entry.items) byJson.set(item.json, entry);
	const byId = new Map(followed.map((entry) => [entry.requestId, entry]));
	const result: INodeExecutionData[] = [];
	const emitted = new Set<Followed>();
	for (const item of output) {
		const id = item.json[table.requestKey];
		const entry =
			byJson.get(item.json) ??
			(typeof id === 'string' && !item.json.error ? byId.get(id) : undefined);
		if (!entry) {
			result.push(item);
			continue;
		}
		const first = !emitted.has(entry);
		emitted.add(entry);
		if (entry.error) {
			// The wait failed: the request's own items, then one error item that says so.
			result.push(item);
			if (first) {
				const error = errorOutput(entry.error, entry.request.itemIndexes, {
					[table.requestKey]: entry.requestId,
					triggered: true,
				});
				result.push({ json: error.json, pairedItem: pairedWith(entry.request.itemIndexes) });
			}
		} else if (first) {
			result.push(...executionItems(table, entry, timedOut));
		}
	}
	addOutcomeHints(context, table, settings, followed, accepted.size - followed.length, timedOut);
	return result;
}

function addOutcomeHints(
	context: IExecuteFunctions,
	table: ExecutionsTable,
	settings: OutcomeSettings,
	followed: Followed[],
	withoutId: number,
	timedOut: boolean,
): void {
	const waited = followed.filter((entry) => !entry.error);
	if (timedOut) {
		const open = waited.filter((entry) => !entry.done);
		const executions = waited.reduce(
			(sum, entry) => sum + Math.max(entry.expected, entry.rows.length),
			0,
		);
		const finished = waited.reduce(
			(sum, entry) => sum + entry.rows.filter((row) => isFinalStatus(rowStatus(row))).length,
			0,
		);
		context.addExecutionHints({
			message: `Wait for Outcome stopped at its time-out (${settings.timeoutMs / 1000} s): ${plural(executions - finished, 'execution')} of ${plural(open.length, 'request')} had not finished, and come out with finished: false (status null: not recorded in NQL yet). They go on in Nexthink: follow them with ${table.getExecutions}.`,
			location: 'outputPane',
		});
	}
	const noStatus = waited.some((entry) =>
		entry.rows.some(
			(row) => !Object.keys(row).some((name) => name === 'status' || name.endsWith('.status')),
		),
	);
	if (noStatus)
		context.addExecutionHints({
			message: `The outcome query ${settings.queryId} lists no status column, so no execution can be seen to finish: add status to its list clause (${table.nql}).`,
			location: 'outputPane',
		});
	const exported = waited.filter((entry) => entry.viaExport);
	if (exported.length)
		context.addExecutionHints({
			message: `${plural(exported.length, 'request')} started more than ${NQL_EXECUTE_ROW_CAP.toLocaleString('en-US')} executions, more than NQL Execute returns: ${exported.length === 1 ? 'it was' : 'they were'} followed through NQL exports (one per check; the export status call has a daily limit, so keep the poll interval long for such requests).`,
			location: 'outputPane',
		});
	if (withoutId)
		context.addExecutionHints({
			message: `Nexthink answered ${plural(withoutId, 'request')} without a request ID, so ${withoutId === 1 ? 'its' : 'their'} executions cannot be followed: ${withoutId === 1 ? 'its item comes' : 'their items come'} out as the trigger returned ${withoutId === 1 ? 'it' : 'them'}.`,
			location: 'outputPane',
		});
}
