/**
 * Event "New or Changed Rows" of the Nexthink Trigger: runs a saved NQL query on each poll and
 * emits only the rows whose key (the user's Key Columns) is new since the last poll, or, if the
 * user asks, whose other values changed. What it remembers is a compact fingerprint per key
 * (./rowMemory.ts), in the workflow's static data.
 *
 * Where the rows come from: NQL Execute (as CSV, so that both ways give the same text) while the
 * result stays under Execute's cap of 1,000 rows; an export beyond it (and from then on, while
 * the result stays that large). A poll waits for its export up to Options > Export Wait; one still
 * running then is followed by the next polls, as NQL Export Completed follows its own.
 */
import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeProperties,
	type IPollFunctions,
} from 'n8n-workflow';

import {
	checkExportUntil,
	downloadExportById,
	exportFailedError,
	getExportStatus,
	isCompleted,
	isFailed,
	startExport,
	type ExportStatus,
} from '../Nexthink/api/exports';
import { executeSavedQuery, NQL_EXECUTE_ROW_CAP, type NqlQuery } from '../Nexthink/api/nql';
import { convertCsvTypes, parseCsv } from '../Nexthink/shared/csv';
import { convertTypesOption, exportText, truncationMessage } from '../Nexthink/shared/exportOutput';
import {
	queryIdField,
	queryIdNotice,
	queryNotFoundHint,
	queryParametersField,
	readQuery,
} from '../Nexthink/shared/nqlFields';
import { readList } from '../Nexthink/shared/parameters';
import { shorten } from '../Nexthink/shared/text';
import { nexthinkError } from '../Nexthink/transport/errors';
import {
	DEFAULT_EXPORT_TIMEOUT_MINUTES,
	httpCodeOf,
	MANUAL_WAIT_MS,
	pollBudgetMs,
	rememberRetryAfter,
	startPoll,
} from './poll';
import {
	compareWithMemory,
	DEFAULT_MAX_KEYS,
	keyRows,
	MAX_KEYS_LIMIT,
	RECORD_CHARS,
	type Change,
} from './rowMemory';

/** Options > Export Wait (Seconds) unless set. */
const DEFAULT_EXPORT_WAIT_SECONDS = 60;
/** Status checks while a poll waits for its export: 1 s, 2 s, 4 s… then every 10 s. */
const FIRST_CHECK_MS = 1_000;
const CHECK_EVERY_MAX_MS = 10_000;

const KEY_COLUMNS = 'Key Columns';
const IGNORE_COLUMNS = 'Options > Columns to Ignore for Changes';
const MAX_KEYS = 'Options > Max Remembered Keys';

/** The fields of the New or Changed Rows event, shown for that event only. */
export const newOrChangedRowsProperties: INodeProperties[] = [
	queryIdField,
	queryIdNotice,
	queryParametersField,
	{
		displayName: 'Key Columns',
		name: 'keyColumns',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'device.name',
		description:
			'The columns that identify a row, as the query returns them (NQL field names such as device.name or device.collector.uid), separated by commas. A row whose key was not in the last poll is new.',
	},
	{
		displayName: 'Emit',
		name: 'emit',
		type: 'options',
		default: 'newOrChanged',
		options: [
			{
				name: 'New or Changed Rows',
				value: 'newOrChanged',
				description: 'Rows with a new key, and rows of a known key whose other values changed',
			},
			{
				name: 'New Rows Only',
				value: 'new',
				description: 'Rows with a new key; changed values of known keys are not emitted',
			},
		],
		description: 'Which rows a poll emits: each once, with _change saying new or changed',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Columns to Ignore for Changes',
				name: 'ignoreColumns',
				type: 'string',
				default: '',
				placeholder: 'device.last_seen',
				description:
					'Columns whose changes do not count, separated by commas: a timestamp or a counter that moves on every poll',
			},
			convertTypesOption,
			{
				displayName: 'Count Returning Rows as New',
				name: 'returningAreNew',
				type: 'boolean',
				default: false,
				description:
					'Whether a key that left the results and comes back counts as new again. Off: the trigger remembers a key while it is gone, and its return is silent (or a change, when its values differ and changes are emitted).',
			},
			{
				displayName: 'Emit Present Rows on First Poll',
				name: 'emitOnFirstPoll',
				type: 'boolean',
				default: false,
				description:
					'Whether the first poll (of a new trigger, or after Query ID, Query Parameters or Key Columns changed) emits the rows present then, each as new. Off: it records them and emits nothing.',
			},
			{
				displayName: 'Export Time-Out (Minutes)',
				name: 'exportTimeoutMinutes',
				type: 'number',
				default: DEFAULT_EXPORT_TIMEOUT_MINUTES,
				typeOptions: { minValue: 1 },
				description:
					'Results over 1,000 rows: how long to follow an export that has not completed. After that the trigger reports an error once and the next poll starts over.',
			},
			{
				displayName: 'Export Wait (Seconds)',
				name: 'exportWaitSeconds',
				type: 'number',
				default: DEFAULT_EXPORT_WAIT_SECONDS,
				typeOptions: { minValue: 0 },
				description:
					'Results over 1,000 rows: how long a poll waits for its export to complete (at most the time n8n gives a poll). One still running then is checked by the next polls.',
			},
			{
				displayName: 'Max Remembered Keys',
				name: 'maxKeys',
				type: 'number',
				default: DEFAULT_MAX_KEYS,
				typeOptions: { minValue: 1, maxValue: MAX_KEYS_LIMIT },
				description:
					"The most keys the trigger remembers, 20 bytes each in the workflow's static data (10,000: 200 KB). Past it, the keys gone from the results longest are forgotten, and count as new if they come back; a result with more keys than this fails, emitting nothing.",
			},
		],
	},
	{
		displayName: `The first poll records the rows the query returns and emits nothing (Options > Emit Present Rows on First Poll emits them). Each later poll emits, once, the rows whose key is new and (with Emit: New or Changed Rows) those of a known key whose other values changed; _change says which. Results up to 1,000 rows come from NQL Execute, larger ones from an export, which a poll waits for up to Options > Export Wait; _via says which was used. The trigger remembers 20 bytes per key in the workflow's static data, at most Options > Max Remembered Keys (default ${DEFAULT_MAX_KEYS.toLocaleString('en-US')}): past it the keys gone longest are forgotten, and a result with more keys fails without emitting. Changing Query ID, Query Parameters or Key Columns starts over. "Fetch Test Event" emits the present rows as new and leaves what the trigger remembers alone.`,
		name: 'rowsNotice',
		type: 'notice',
		default: '',
	},
];

type Via = 'execute' | 'export';

/** An export this event follows across polls (its result was not ready within Export Wait). */
interface FollowedExport extends IDataObject {
	exportId: string;
	startedAt: string;
	/** The query and key columns it was started for. */
	config: string;
}

/** What the event keeps between polls, under `newOrChangedRows` in the node's static data. */
interface RowsState extends IDataObject {
	/** Query, parameters and key columns the remembered keys belong to (JSON). */
	config?: string;
	/** The columns the fingerprints cover, sorted (JSON). */
	columns?: string;
	/** The remembered keys (./rowMemory.ts), `present` of them in the last result. */
	records?: string;
	present?: number;
	/** Rows of the last result: from the cap on, the next poll exports straight away. */
	rows?: number;
	via?: Via;
	polledAt?: string;
	export?: FollowedExport;
}

const STATE_KEY = 'newOrChangedRows';

interface Settings {
	query: NqlQuery;
	keyColumns: string[];
	ignoreColumns: string[];
	changed: boolean;
	emitOnFirstPoll: boolean;
	returningAreNew: boolean;
	maxKeys: number;
	convertTypes: boolean;
	exportWaitMs: number;
	timeoutMinutes: number;
}

/** One result of the query, as CSV rows whichever way it came. */
interface QueryResult {
	rows: Array<Record<string, string>>;
	via: Via;
	/** A truncated export (206): rows may be missing. */
	truncated: boolean;
	exportId?: string;
}

/** readQuery's overload for polls (no item index). */
const readPollQuery: (this: IPollFunctions) => NqlQuery = readQuery;

const unique = (values: string[]) => [...new Set(values)];

function readSettings(this: IPollFunctions): Settings {
	const query = readPollQuery.call(this);
	const keyColumns = unique(readList(this.getNodeParameter('keyColumns', '')));
	if (!keyColumns.length)
		throw new NodeOperationError(this.getNode(), `${KEY_COLUMNS}: nothing is given`, {
			description:
				'Name the column or columns that identify a row, as the query returns them, separated by commas: for example device.name, or device.collector.uid.',
		});
	const options = (this.getNodeParameter('options', {}) ?? {}) as IDataObject;
	const maxKeys = options.maxKeys === undefined ? DEFAULT_MAX_KEYS : Number(options.maxKeys);
	if (!Number.isInteger(maxKeys) || maxKeys < 1 || maxKeys > MAX_KEYS_LIMIT)
		throw new NodeOperationError(
			this.getNode(),
			`${MAX_KEYS}: ${shorten(options.maxKeys)} is not a whole number from 1 to ${MAX_KEYS_LIMIT.toLocaleString('en-US')}`,
			{
				description: `Each key takes ${RECORD_CHARS} bytes of the workflow's static data: ${MAX_KEYS_LIMIT.toLocaleString('en-US')} keys take 2 MB. For more, narrow the query.`,
			},
		);
	const waitSeconds = Number(options.exportWaitSeconds ?? DEFAULT_EXPORT_WAIT_SECONDS);
	const timeoutMinutes = Number(options.exportTimeoutMinutes);
	return {
		query,
		keyColumns,
		ignoreColumns: unique(readList(options.ignoreColumns)).filter(
			(column) => !keyColumns.includes(column),
		),
		changed: this.getNodeParameter('emit', 'newOrChanged') !== 'new',
		emitOnFirstPoll: options.emitOnFirstPoll === true,
		returningAreNew: options.returningAreNew === true,
		maxKeys,
		convertTypes: options.convertTypes === true,
		exportWaitMs:
			Number.isFinite(waitSeconds) && waitSeconds > 0
				? waitSeconds * 1000
				: waitSeconds === 0
					? 0
					: DEFAULT_EXPORT_WAIT_SECONDS * 1000,
		timeoutMinutes:
			Number.isFinite(timeoutMinutes) && timeoutMinutes > 0
				? timeoutMinutes
				: DEFAULT_EXPORT_TIMEOUT_MINUTES,
	};
}

function nodeData(this: IPollFunctions): IDataObject {
	return this.getWorkflowStaticData('node');
}

/** The state as it is now: read again after every await (see poll.ts, stateOf). */
function rowsState(this: IPollFunctions): RowsState {
	return { ...((nodeData.call(this)[STATE_KEY] ?? {}) as RowsState) };
}

/** One assignment: n8n's static data sees one change, whatever the state holds. */
function saveRowsState(this: IPollFunctions, state: RowsState): void {
	const plain: RowsState = {};
	for (const [name, value] of Object.entries(state)) if (value !== undefined) plain[name] = value;
	nodeData.call(this)[STATE_KEY] = plain;
}

function forgetExport(this: IPollFunctions): void {
	const state = rowsState.call(this);
	if (state.export === undefined) return;
	delete state.export;
	saveRowsState.call(this, state);
}

function logMeta(this: IPollFunctions) {
	return { workflowId: this.getWorkflow().id, node: this.getNode().name };
}

/** `POST /api/v2/nql/execute` with `Accept: text/csv`: the rows as the export would write them. */
async function executeRows(
	this: IPollFunctions,
	query: NqlQuery,
): Promise<Array<Record<string, string>>> {
	const answer = await executeSavedQuery.call(this, query, {
		csv: true,
		operation: 'NQL Execute',
		notFoundHint: queryNotFoundHint(shorten(query.queryId)),
	});
	return parseCsv(answer.csv ?? '');
}

function emptyExportError(this: IPollFunctions, exportId: string) {
	const message = 'The export file is empty';
	return nexthinkError(this.getNode(), {
		message,
		description:
			'Nexthink returned a file with no content, not even a header row. The next poll runs the query again; if it persists, check the query.',
		response: { exportId },
	});
}

/** The rows of a completed export; `undefined` for an empty file (not even a header row). */
async function downloadRows(
	this: IPollFunctions,
	status: ExportStatus,
): Promise<QueryResult | undefined> {
	const { file, status: used } = await downloadExportById.call(this, status.exportId, { status });
	const text = file.bytes === 0 ? undefined : await exportText(file.data ?? Buffer.alloc(0));
	if (text === undefined) return undefined;
	return {
		rows: parseCsv(text),
		via: 'export',
		truncated: used.truncated,
		exportId: status.exportId,
	};
}

/** Exports the query and waits for it; in a poll of an active workflow, follows it on if not done. */
async function exportRows(
	this: IPollFunctions,
	settings: Settings,
	config: string,
	manual: boolean,
): Promise<QueryResult | undefined> {
	const exportId = await startExport.call(this, settings.query, 'NONE');
	const startedAt = new Date().toISOString();
	const budgetMs = pollBudgetMs.call(this) - 10_000;
	const waitMs = manual
		? Math.max(FIRST_CHECK_MS, Math.min(MANUAL_WAIT_MS, budgetMs))
		: Math.max(0, Math.min(settings.exportWaitMs, budgetMs));
	const status = await checkExportUntil.call(this, exportId, {
		intervalMs: FIRST_CHECK_MS,
		maxIntervalMs: CHECK_EVERY_MAX_MS,
		timeoutMs: waitMs,
	});
	if (isCompleted(status)) {
		const result = await downloadRows.call(this, status);
		if (!result) throw emptyExportError.call(this, exportId);
		return result;
	}
	if (manual) {
		const message = `The NQL export did not complete within ${Math.round(waitMs / 1000)} s (last status ${status.status})`;
		throw nexthinkError(this.getNode(), {
			message,
			description: `The query returned more than ${NQL_EXECUTE_ROW_CAP.toLocaleString('en-US')} rows, so the trigger exports it, and this export is still running in Nexthink (ID ${shorten(exportId)}). Fetch the test event again in a while; an active trigger follows its exports across polls.`,
			response: { exportId, status: status.status },
		});
	}
	saveRowsState.call(this, { ...rowsState.call(this), export: { exportId, startedAt, config } });
	return undefined;
}

/** A poll on the export a previous poll left running: its rows, `undefined` while it runs. */
async function followedRows(
	this: IPollFunctions,
	settings: Settings,
	followed: FollowedExport,
): Promise<QueryResult | 'gone' | undefined> {
	let status: ExportStatus | undefined;
	let failure: unknown;
	try {
		status = await getExportStatus.call(this, followed.exportId);
	} catch (error) {
		failure = error;
	}
	if (status === undefined) {
		if (httpCodeOf(failure) !== '404') throw failure;
		this.logger.warn(
			`Nexthink Trigger: Nexthink no longer knows export ${shorten(followed.exportId)} (404: expired or deleted); running the query again`,
			logMeta.call(this),
		);
		forgetExport.call(this);
		return 'gone';
	}
	if (isFailed(status)) {
		forgetExport.call(this);
		throw exportFailedError.call(this, status);
	}
	if (isCompleted(status)) {
		// A failed download leaves the export followed: the next poll tries again.
		const result = await downloadRows.call(this, status);
		if (result) return result;
		forgetExport.call(this);
		throw emptyExportError.call(this, followed.exportId);
	}
	const followedMs = Date.now() - Date.parse(followed.startedAt);
	if (!(followedMs < settings.timeoutMinutes * 60_000)) {
		forgetExport.call(this);
		throw new NodeOperationError(
			this.getNode(),
			`NQL export ${shorten(followed.exportId)} did not complete within the trigger's time-out of ${settings.timeoutMinutes} minutes (last status ${status.status})`,
			{
				description:
					'The trigger stopped following it, and its next poll runs the query again. If the query needs longer, raise Options > Export Time-Out (Minutes); if it never completes, check it in Nexthink.',
			},
		);
	}
	return undefined;
}

/**
 * The query's rows now: from the export a previous poll left running, else NQL Execute, else
 * (Execute's cap reached, now or in the last result) a new export. `undefined` while an export
 * runs on.
 */
async function currentRows(
	this: IPollFunctions,
	settings: Settings,
	config: string,
	manual: boolean,
): Promise<QueryResult | undefined> {
	const state = manual ? {} : rowsState.call(this);
	const followed = state.export?.config === config ? state.export : undefined;
	if (followed) {
		const result = await followedRows.call(this, settings, followed);
		if (result !== 'gone') return result;
	}
	const large = state.config === config && (state.rows ?? 0) >= NQL_EXECUTE_ROW_CAP;
	if (!large) {
		const rows = await executeRows.call(this, settings.query);
		if (rows.length < NQL_EXECUTE_ROW_CAP) return { rows, via: 'execute', truncated: false };
	}
	return await exportRows.call(this, settings, config, manual);
}

/**
 * Checks the user's columns against the result's; returns the columns the fingerprints cover
 * (sorted), `undefined` for a result without rows (nothing to check).
 */
function valueColumnsOf(
	this: IPollFunctions,
	rows: ReadonlyArray<Record<string, string>>,
	settings: Settings,
): string[] | undefined {
	if (!rows.length) return undefined;
	const columns = Object.keys(rows[0]);
	const known = new Set(columns);
	const check = (field: string, names: string[], fix: string) => {
		const missing = names.find((name) => !known.has(name));
		if (missing === undefined) return;
		throw new NodeOperationError(
			this.getNode(),
			`${field}: the query's rows have no column "${shorten(missing)}"`,
			{
				description: `The rows of ${shorten(settings.query.queryId)} have the columns ${shorten(columns.join(', '), 600)}. ${fix}`,
			},
		);
	};
	check(
		KEY_COLUMNS,
		settings.keyColumns,
		'Write Key Columns with those names exactly (NQL field names, such as device.name), separated by commas.',
	);
	check(
		IGNORE_COLUMNS,
		settings.ignoreColumns,
		'Name only columns of the query there, or leave it empty.',
	);
	const skipped = new Set([...settings.keyColumns, ...settings.ignoreColumns]);
	return columns.filter((column) => !skipped.has(column)).sort();
}

function itemsOf(
	result: QueryResult,
	changes: ReadonlyMap<number, Change>,
	convertTypes: boolean,
): INodeExecutionData[] {
	if (!changes.size) return [];
	// Types by the whole result, so that a column has one type whichever rows are emitted.
	const rows: IDataObject[] = convertTypes ? convertCsvTypes(result.rows) : result.rows;
	const markTruncated =
		result.truncated && !Object.prototype.hasOwnProperty.call(rows[0] ?? {}, 'truncated');
	const items: INodeExecutionData[] = [];
	for (let index = 0; index < rows.length; index++) {
		const change = changes.get(index);
		if (change === undefined) continue;
		const json: IDataObject = { ...rows[index], _change: change, _via: result.via };
		if (markTruncated) json.truncated = true;
		items.push({ json });
	}
	return items;
}

/** One poll of an active workflow, alone for its node in this process. */
async function pollTracked(
	this: IPollFunctions,
	settings: Settings,
	config: string,
): Promise<INodeExecutionData[][] | null> {
	const result = await currentRows.call(this, settings, config, false);
	if (!result) return null;
	// From here on the result is in hand: an export it came from is no longer followed, whatever
	// the comparison finds.
	forgetExport.call(this);
	const state = rowsState.call(this);
	const first = state.config !== config || state.records === undefined;
	const valueColumns = valueColumnsOf.call(this, result.rows, settings);
	const columns = valueColumns ? JSON.stringify(valueColumns) : state.columns;
	const keyed = keyRows(result.rows, settings.keyColumns, valueColumns ?? []);
	if (keyed.length > settings.maxKeys) {
		const count = keyed.length.toLocaleString('en-US');
		throw new NodeOperationError(
			this.getNode(),
			`The query returned ${count} keys, more than the ${settings.maxKeys.toLocaleString('en-US')} the trigger remembers (${MAX_KEYS})`,
			{
				description: `Nothing was emitted, and what the trigger remembers stays as it was. Raise ${MAX_KEYS} to ${count} or more (at most ${MAX_KEYS_LIMIT.toLocaleString('en-US')}, ${RECORD_CHARS} bytes of the workflow's static data per key), or narrow the query with a where clause.`,
			},
		);
	}
	const comparison = compareWithMemory(
		first ? undefined : { records: state.records ?? '', present: state.present ?? 0 },
		keyed,
		{
			changed: settings.changed,
			compareValues: columns === state.columns,
			returningAreNew: settings.returningAreNew,
			partial: result.truncated,
			maxKeys: settings.maxKeys,
		},
	);
	let { changes } = comparison;
	if (first && settings.emitOnFirstPoll)
		changes = new Map(result.rows.map((_row, index) => [index, 'new' as Change]));
	const items = itemsOf(result, changes, settings.convertTypes);

	saveRowsState.call(this, {
		config,
		columns,
		records: comparison.next.records,
		present: comparison.next.present,
		rows: result.rows.length,
		via: result.via,
		polledAt: new Date().toISOString(),
	});

	const meta = logMeta.call(this);
	const why =
		result.via === 'export'
			? `an export (${shorten(result.exportId)}): the result reached NQL Execute's cap of ${NQL_EXECUTE_ROW_CAP.toLocaleString('en-US')} rows`
			: 'NQL Execute';
	this.logger.debug(
		`Nexthink Trigger: ${result.rows.length} rows from ${why}; ${first ? 'first poll, recorded' : `${comparison.newKeys} new and ${comparison.changedKeys} changed keys`}`,
		meta,
	);
	if (comparison.forgotten)
		this.logger.warn(
			`Nexthink Trigger: ${comparison.forgotten} keys gone from the results were forgotten to stay within ${MAX_KEYS} (${settings.maxKeys}); they count as new if they come back`,
			meta,
		);
	if (result.truncated)
		this.logger.warn(`Nexthink Trigger: ${truncationMessage(result.exportId)}`, meta);
	return items.length ? [items] : null;
}

/**
 * Event "New or Changed Rows". In an active workflow each poll compares the query's rows with
 * what the trigger remembers and emits the new (and changed) ones; a poll that fails emits
 * nothing and leaves what it remembers as it was. "Fetch Test Event" emits the present rows as
 * new and leaves the stored state alone.
 */
export async function pollNewOrChangedRows(
	this: IPollFunctions,
): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings.call(this);
	const config = JSON.stringify({ query: settings.query, keyColumns: settings.keyColumns });

	if (this.getMode() === 'manual') {
		const result = await currentRows.call(this, settings, config, true);
		if (!result) return null;
		valueColumnsOf.call(this, result.rows, settings);
		const all = new Map(result.rows.map((_row, index) => [index, 'new' as Change]));
		const items = itemsOf(result, all, settings.convertTypes);
		return items.length ? [items] : null;
	}

	const release = startPoll.call(this, Date.now());
	if (!release) return null;
	try {
		return await pollTracked.call(this, settings, config).catch((error: unknown) => {
			throw rememberRetryAfter.call(this, error);
		});
	} finally {
		release();
	}
}
