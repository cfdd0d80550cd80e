/**
 * What a workflow or a remote action did, as Nexthink reports it: rows of the NQL tables
 * `workflow.executions` and `remote_action.executions`, read by request ID through a saved query
 * (docs/nexthink-api.md §5.4, §6.7). The one home of both tables: Workflow > Get Executions and
 * Remote Action > Get Executions are this file's operation for one table each, and Wait for
 * Outcome (./outcome.ts) reads executions through `queryExecutions` too.
 */
import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { executeSavedQuery, NQL_EXECUTE_ROW_CAP } from '../api/nql';
import type { NexthinkContext } from '../transport/request';
import { runPerItem } from './engine';
import { concurrencyOption, optionsCollection, requestTimeoutOption } from './fields';
import { REQUEST_UUID } from './identifiers';
import { queryIdNotice } from './nqlFields';
import { readConcurrency, readOptions } from './options';
import { quote } from './text';
import { checkNqlQueryId, invalidField, type ItemFields } from './validation';

/** One NQL table of executions and the words the node uses for it. */
export interface ExecutionsTable {
	/** The NQL table: `workflow.executions`. */
	table: string;
	resource: 'workflow' | 'remoteAction';
	/** The trigger's output key that holds the request ID, and the field of Get Executions. */
	requestKey: 'requestUuid' | 'requestId';
	/** The field's display name: "Request UUID". */
	requestLabel: string;
	/** In sentences: "request UUID". */
	requestNoun: string;
	/** The operation that starts the executions: "Workflow > Trigger". */
	trigger: string;
	/** The operation that lists them: "Workflow > Get Executions". */
	getExecutions: string;
	/** In error messages: "Workflow Get Executions". */
	operation: string;
	/** In sentences: "workflow executions". */
	noun: string;
	/** What executions run on, in reports: "target", "device". */
	targetNoun: string;
	/** The saved query the node suggests, and its NQL (README, field hints, the simulator). */
	defaultQueryId: string;
	nql: string;
	/** Keys of the trigger's output copied onto each execution item (Wait for Outcome). */
	carry: string[];
	/** Whether executions name a user too (workflows), beside the device. */
	hasUsers: boolean;
}

export const WORKFLOW_EXECUTIONS: ExecutionsTable = {
	table: 'workflow.executions',
	resource: 'workflow',
	requestKey: 'requestUuid',
	requestLabel: 'Request UUID',
	requestNoun: 'request UUID',
	trigger: 'Workflow > Trigger',
	getExecutions: 'Workflow > Get Executions',
	operation: 'Workflow Get Executions',
	noun: 'workflow executions',
	targetNoun: 'target',
	defaultQueryId: '#workflow_executions',
	nql: 'workflow.executions | where request_id == $request_id | list request_id, execution_id, status, time, workflow.nql_id, workflow.name, device.name, device.collector.uid, user.sid, user.upn',
	carry: ['workflowId'],
	hasUsers: true,
};

export const REMOTE_ACTION_EXECUTIONS: ExecutionsTable = {
	table: 'remote_action.executions',
	resource: 'remoteAction',
	requestKey: 'requestId',
	requestLabel: 'Request ID',
	requestNoun: 'request ID',
	trigger: 'Remote Action > Execute',
	getExecutions: 'Remote Action > Get Executions',
	operation: 'Remote Action Get Executions',
	noun: 'remote action executions',
	targetNoun: 'device',
	defaultQueryId: '#remote_action_executions',
	nql: 'remote_action.executions | where request_id == $request_id | list request_id, status, status_details, outputs, request_time, remote_action.nql_id, remote_action.name, device.name, device.collector.uid',
	carry: ['remoteActionId'],
	hasUsers: false,
};

/**
 * Statuses after which an execution changes no more (docs/nexthink-api.md §5.4, §6.7): NQL's
 * `success` and `failure` for both tables, and the endings the sources name for a run that stopped
 * (`expired`: a device that never came online; `cancelled`), in the spellings clients meet.
 * Anything else (`pending`, `in_progress`, `waiting` for an event, a status unknown to the node,
 * none at all) is not final: the node goes on waiting for it.
 */
export const FINAL_STATUSES: ReadonlySet<string> = new Set([
	'success',
	'failure',
	'failed',
	'error',
	'expired',
	'cancelled',
	'canceled',
	'timeout',
	'timed_out',
	'completed',
]);

/** Whether NQL's status of an execution is final. */
export function isFinalStatus(status: string | null | undefined): boolean {
	return typeof status === 'string' && FINAL_STATUSES.has(status.trim().toLowerCase());
}

/** The value of the first column whose name is one of `names`, or ends in `.<name>`. */
function column(row: IDataObject, names: string[]): IDataObject[string] | undefined {
	const keys = Object.keys(row);
	for (const name of names) {
		const key = keys.find((k) => k === name) ?? keys.find((k) => k.endsWith(`.${name}`));
		if (key !== undefined) return row[key];
	}
	return undefined;
}

const text = (value: unknown): string | null =>
	value === undefined || value === null || value === '' ? null : String(value);

/** The status column of a row, whatever the saved query calls it; null when it has none. */
export function rowStatus(row: IDataObject): string | null {
	const key =
		Object.keys(row).find((name) => name.endsWith('executions.status')) ??
		Object.keys(row).find((name) => name === 'status' || name.endsWith('.status'));
	return key === undefined ? null : text(row[key]);
}

/** A row's execution ID (workflows: `workflow.executions.execution_id`), lower case. */
export function rowExecutionId(row: IDataObject): string | null {
	return text(column(row, ['execution_id']))?.toLowerCase() ?? null;
}

/** A device or user the row names, by the identifiers the query lists (lower case, to compare). */
export interface RowTarget {
	kind: 'device' | 'user';
	value: string;
}

const DEVICE_COLUMNS = ['device.collector.uid', 'device.name', 'device.uid'];
const USER_COLUMNS = ['user.sid', 'user.upn', 'user.uid'];

/** Every identifier of a device or user in the row, as `{kind, value}` in lower case. */
export function rowTargets(row: IDataObject): RowTarget[] {
	const found: RowTarget[] = [];
	for (const [kind, columns] of [
		['device', DEVICE_COLUMNS],
		['user', USER_COLUMNS],
	] as const) {
		for (const name of columns) {
			const value = text(row[name]);
			if (value) found.push({ kind, value: value.toLowerCase() });
		}
	}
	return found;
}

/** The device (and user) of a row as an execution item shows them: what NQL listed, else null. */
export function rowDevice(row: IDataObject): IDataObject | null {
	const collectorUid = text(row['device.collector.uid']);
	const name = text(row['device.name']);
	return collectorUid || name ? { collectorUid, name } : null;
}

export function rowUser(row: IDataObject): IDataObject | null {
	const sid = text(row['user.sid']);
	const upn = text(row['user.upn']);
	return sid || upn ? { sid, upn } : null;
}

/** `status_details`, where the query lists it. */
export function rowStatusDetails(row: IDataObject): string | null {
	return text(column(row, ['status_details']));
}

/**
 * A remote action's outputs, where the query lists them: the `outputs` column (JSON text read as
 * an object), and any `….outputs.<name>` column under its name. Null when the query lists none.
 */
export function rowOutputs(row: IDataObject): IDataObject | null {
	let outputs: IDataObject | null = null;
	const whole = column(row, ['outputs']);
	if (typeof whole === 'string' && whole.trim().startsWith('{')) {
		try {
			outputs = JSON.parse(whole) as IDataObject;
		} catch {
			outputs = { value: whole };
		}
	} else if (whole && typeof whole === 'object' && !Array.isArray(whole)) {
		outputs = { ...(whole as IDataObject) };
	} else if (whole !== undefined && whole !== null && whole !== '') {
		outputs = { value: whole };
	}
	for (const [name, value] of Object.entries(row)) {
		const at = name.indexOf('.outputs.');
		if (at < 0) continue;
		outputs ??= {};
		outputs[name.slice(at + '.outputs.'.length)] = value;
	}
	return outputs;
}

/** The row's times (`time`, `request_time`, `…_time`), by their last name part. */
export function rowTimes(row: IDataObject): IDataObject {
	const times: IDataObject = {};
	for (const [name, value] of Object.entries(row)) {
		const last = name.slice(name.lastIndexOf('.') + 1);
		if (last === 'time' || last.endsWith('_time')) times[last] = value;
	}
	return times;
}

/** The field's words when the query hint is shown (Get Executions' Query ID, Wait for Outcome). */
export function savedQueryHint(table: ExecutionsTable): string {
	return `Nexthink has no such query until you create it: Administration > NQL API queries > New, Query ID ${table.defaultQueryId}, NQL <code>${table.nql}</code>`;
}

/** A 404 of the table's saved query: which one is missing, and how to create it. */
export function savedQueryNotFound(table: ExecutionsTable, queryId: string): string {
	return `Nexthink has no saved NQL query ${queryId}. Create it under Administration > NQL API queries with NQL such as: ${table.nql}`;
}

/**
 * The $placeholder that receives the request ID, without its `$`: checked before any request
 * (`field` names it in the error).
 */
export function readRequestIdParameter(
	this: ItemFields,
	value: unknown,
	itemIndex: number,
	field: string,
): string {
	const name = String(value ?? '')
		.trim()
		.replace(/^\$/, '');
	if (/^[A-Za-z0-9_]+$/.test(name)) return name;
	throw invalidField.call(
		this,
		itemIndex,
		field,
		name ? `${quote(name)} is not a parameter name` : 'it is empty',
		'Give the name of the $placeholder in the where clause of the saved query, without the $, for example request_id.',
	);
}

/** What one read of a request's executions needs. */
export interface ExecutionsQuery {
	queryId: string;
	/** The $placeholder (without `$`) that receives the request ID. */
	parameterName: string;
	requestId: string;
	utcTimes?: boolean;
	/** The fields that name the query and the parameter, for a 400 about them. */
	queryField?: string;
	parameterField?: string;
	itemIndex?: number;
}

/**
 * The rows of one request's executions: the saved query run with the request ID (NQL execute,
 * 1,000 rows at most: callers with more use an export). Read-only, so the transport retries it
 * (429 as Retry-After says, 5xx); a 404 says how to create the query.
 */
export async function queryExecutions(
	this: NexthinkContext,
	table: ExecutionsTable,
	query: ExecutionsQuery,
): Promise<IDataObject[]> {
	const queryField = query.queryField ?? 'Query ID';
	const parameterField = query.parameterField ?? 'Request ID Parameter';
	const { rows } = await executeSavedQuery.call(
		this,
		{ queryId: query.queryId, parameters: { [query.parameterName]: query.requestId } },
		{
			utcTimes: query.utcTimes === true,
			operation: table.operation,
			notFoundHint: savedQueryNotFound(table, query.queryId),
			badRequest: {
				named: [
					[
						/param|placeholder/i,
						`The node sends the saved query one parameter, the ${table.requestNoun}, named as ${parameterField} says: set it to the $placeholder of the where clause (without the $), and use a saved query with no other $placeholder.`,
					],
				],
				otherwise: `Check ${queryField} (a saved query over ${table.table}, for example ${table.defaultQueryId}) and ${parameterField} (its $placeholder, without the $).`,
			},
			itemIndex: query.itemIndex,
		},
	);
	return rows;
}

/**
 * A field whose default is set apart from its literal (the table's saved query): n8n's linter
 * takes only a literal as a default.
 */
export function withDefault(property: INodeProperties, value: string): INodeProperties {
	const field = { ...property };
	field.default = value;
	return field;
}

/** The fields of Get Executions for one table: the request, the saved query, the output. */
export function getExecutionsDescription(table: ExecutionsTable): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: table.requestLabel,
			name: table.requestKey,
			type: 'string',
			required: true,
			default: '',
			placeholder: '7fbd96a7-b717-43a7-8973-9c6adbca3a56',
			description: `The ${table.requestKey} that ${table.trigger} returned: every execution it started carries it`,
		},
		withDefault(
			{
				displayName: 'Query ID',
				name: 'queryId',
				type: 'string',
				required: true,
				default: '',
				placeholder: table.defaultQueryId,
				description: `A saved NQL query over ${table.noun}, with a $placeholder for the ${table.requestNoun}: Nexthink's API runs only saved queries`,
				// Under the field, not in a tooltip: the default names a query that Nexthink has only once you create it.
				hint: savedQueryHint(table),
			},
			table.defaultQueryId,
		),
		queryIdNotice,
		{
			displayName: 'Request ID Parameter',
			name: 'requestIdParameter',
			type: 'string',
			required: true,
			default: 'request_id',
			description: `The $placeholder of the saved query that receives the ${table.requestNoun}, without the $`,
		},
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			default: 'executions',
			options: [
				{
					name: 'One Item per Execution',
					value: 'executions',
					description:
						'Each row of the query as an item; nothing when no execution is recorded yet',
				},
				{
					name: 'One Summary per Request',
					value: 'summary',
					description:
						'One item with the number of executions, the count per status and the rows, even when there are none yet: handy in a wait-and-check loop',
				},
			],
			description: 'How to return the executions',
		},
		optionsCollection([
			requestTimeoutOption,
			concurrencyOption('input items run their query'),
			{
				displayName: 'UTC Times',
				name: 'utcTimes',
				type: 'boolean',
				default: false,
				description: "Whether times come in UTC instead of the tenant's regional time zone",
			},
		]),
	];
	return updateDisplayOptions(
		{ show: { resource: [table.resource], operation: ['getExecutions'] } },
		properties,
	);
}

/** A UUID the user typed or mapped as the request ID, checked before any request. */
function readRequestId(this: IExecuteFunctions, table: ExecutionsTable, itemIndex: number): string {
	const value = this.getNodeParameter(table.requestKey, itemIndex, '');
	const given = typeof value === 'string' ? value.trim() : value === undefined ? '' : String(value);
	if (REQUEST_UUID.test(given)) return REQUEST_UUID.normalise(given);
	throw invalidField.call(
		this,
		itemIndex,
		table.requestLabel,
		given === '' ? 'it is empty' : `${quote(given)} is not a UUID`,
		`Enter a UUID such as ${REQUEST_UUID.example}: map the ${table.requestKey} that ${table.trigger} returned, for example {{ $json.${table.requestKey} }}.`,
	);
}

/** Get Executions: one saved query per input item, its rows or a summary of them. */
export async function getExecutions(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	table: ExecutionsTable,
): Promise<INodeExecutionData[]> {
	const concurrency = readConcurrency.call(this);
	const empty: string[] = [];
	let capped = false;
	const output = await runPerItem.call(
		this,
		items,
		async (itemIndex) => {
			const requestId = readRequestId.call(this, table, itemIndex);
			const queryId = checkNqlQueryId.call(
				this,
				this.getNodeParameter('queryId', itemIndex, table.defaultQueryId),
				itemIndex,
			);
			const parameterName = readRequestIdParameter.call(
				this,
				this.getNodeParameter('requestIdParameter', itemIndex, 'request_id'),
				itemIndex,
				'Request ID Parameter',
			);
			const rows = await queryExecutions.call(this, table, {
				queryId,
				parameterName,
				requestId,
				utcTimes: readOptions.call(this, itemIndex).utcTimes === true,
				itemIndex,
			});
			if (rows.length >= NQL_EXECUTE_ROW_CAP) capped = true;
			if (this.getNodeParameter('output', itemIndex, 'executions') === 'summary') {
				const statusCounts: IDataObject = {};
				for (const row of rows) {
					const status = rowStatus(row) ?? 'unknown';
					statusCounts[status] = ((statusCounts[status] as number | undefined) ?? 0) + 1;
				}
				return [
					{
						[table.requestKey]: requestId,
						executionCount: rows.length,
						statusCounts,
						executions: rows,
					},
				];
			}
			if (rows.length === 0) empty.push(requestId);
			return rows;
		},
		concurrency,
	);
	if (empty.length) {
		this.addExecutionHints({
			message: `No execution recorded yet for request ${empty.slice(0, 3).join(', ')}${empty.length > 3 ? ` and ${empty.length - 3} more` : ''}. Nexthink records executions shortly after the trigger: wait and ask again, use the "One Summary per Request" output in a wait loop, or let ${table.trigger} wait itself (Options > Wait for Outcome).`,
			location: 'outputPane',
		});
	}
	if (capped) {
		this.addExecutionHints({
			message: `A request returned ${NQL_EXECUTE_ROW_CAP} executions, the most NQL Execute returns: there may be more. Use NQL > Export for the full list.`,
			location: 'outputPane',
		});
	}
	return output;
}
