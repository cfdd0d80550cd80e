import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { executeSavedQuery, NQL_EXECUTE_ROW_CAP } from '../../api/nql';
import { runPerItem } from '../../shared/engine';
import { concurrencyOption, optionsCollection, requestTimeoutOption } from '../../shared/fields';
import { queryIdNotice } from '../../shared/nqlFields';
import { readConcurrency, readOptions } from '../../shared/options';
import { checkNqlQueryId, invalidField } from '../../shared/validation';
import { REQUEST_UUID } from '../../shared/identifiers';
import { readUuid } from './common';
import { quote } from '../../shared/text';

const DEFAULT_EXECUTIONS_QUERY = '#workflow_executions';

const EXECUTIONS_NQL =
	'workflow.executions | where request_id == $request_id | list request_id, execution_id, status, time, workflow.nql_id, workflow.name, device.name, device.collector.uid, user.sid, user.upn';

export const option: INodePropertyOptions = {
	name: 'Get Executions',
	value: 'getExecutions',
	action: 'Get the executions of a workflow request',
	description:
		'Get the executions a Workflow > Trigger request started, with their status, through a saved NQL query',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Request UUID',
		name: 'requestUuid',
		type: 'string',
		required: true,
		default: '',
		placeholder: '7fbd96a7-b717-43a7-8973-9c6adbca3a56',
		description:
			'The requestUuid that Workflow > Trigger returned: every execution it started carries it',
	},
	{
		displayName: 'Query ID',
		name: 'queryId',
		type: 'string',
		required: true,
		default: DEFAULT_EXECUTIONS_QUERY,
		placeholder: DEFAULT_EXECUTIONS_QUERY,
		description:
			"A saved NQL query over workflow executions, with a $placeholder for the request UUID: Nexthink's API runs only saved queries",
		// Under the field, not in a tooltip: the default names a query that Nexthink has only once you create it.
		hint: `Nexthink has no such query until you create it: Administration > NQL API queries > New, Query ID ${DEFAULT_EXECUTIONS_QUERY}, NQL <code>${EXECUTIONS_NQL}</code>`,
	},
	queryIdNotice,
	{
		displayName: 'Request ID Parameter',
		name: 'requestIdParameter',
		type: 'string',
		required: true,
		default: 'request_id',
		description:
			'The $placeholder of the saved query that receives the request UUID, without the $',
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
				description: 'Each row of the query as an item; nothing when no execution is recorded yet',
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

const displayOptions = { show: { resource: ['workflow'], operation: ['getExecutions'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** The status column of a row, whatever the saved query calls it. */
function statusOf(row: IDataObject): string {
	const key =
		Object.keys(row).find((name) => name === 'workflow.executions.status') ??
		Object.keys(row).find((name) => name === 'status' || name.endsWith('.status'));
	const value = key === undefined ? undefined : row[key];
	return value === undefined || value === null || value === '' ? 'unknown' : String(value);
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const concurrency = readConcurrency.call(this);
	const empty: string[] = [];
	let capped = false;
	const output = await runPerItem.call(
		this,
		items,
		async (itemIndex) => {
			const requestUuid = readUuid.call(
				this,
				this.getNodeParameter('requestUuid', itemIndex, ''),
				itemIndex,
				'Request UUID',
				REQUEST_UUID,
				'map the requestUuid that Workflow > Trigger returned, for example {{ $json.requestUuid }}',
			);
			const queryId = checkNqlQueryId.call(
				this,
				this.getNodeParameter('queryId', itemIndex, DEFAULT_EXECUTIONS_QUERY),
				itemIndex,
			);
			const parameterName = String(
				this.getNodeParameter('requestIdParameter', itemIndex, 'request_id'),
			)
				.trim()
				.replace(/^\$/, '');
			if (!/^[A-Za-z0-9_]+$/.test(parameterName)) {
				throw invalidField.call(
					this,
					itemIndex,
					'Request ID Parameter',
					parameterName ? `${quote(parameterName)} is not a parameter name` : 'it is empty',
					'Give the name of the $placeholder in the where clause of the saved query, without the $, for example request_id.',
				);
			}
			const { rows } = await executeSavedQuery.call(
				this,
				{ queryId, parameters: { [parameterName]: requestUuid } },
				{
					utcTimes: readOptions.call(this, itemIndex).utcTimes === true,
					operation: 'Workflow Get Executions',
					notFoundHint: `Nexthink has no saved NQL query ${queryId}. Create it under Administration > NQL API queries with NQL such as: ${EXECUTIONS_NQL}`,
					badRequest: {
						named: [
							[
								/param|placeholder/i,
								'The node sends the saved query one parameter, the request UUID, named as Request ID Parameter says: set it to the $placeholder of the where clause (without the $), and use a saved query with no other $placeholder.',
							],
						],
						otherwise: `Check Query ID (a saved query over workflow.executions, for example ${DEFAULT_EXECUTIONS_QUERY}) and Request ID Parameter (its $placeholder, without the $).`,
					},
					itemIndex,
				},
			);
			if (rows.length >= NQL_EXECUTE_ROW_CAP) capped = true;
			if (this.getNodeParameter('output', itemIndex, 'executions') === 'summary') {
				const statusCounts: IDataObject = {};
				for (const row of rows) {
					const status = statusOf(row);
					statusCounts[status] = ((statusCounts[status] as number | undefined) ?? 0) + 1;
				}
				return [{ requestUuid, executionCount: rows.length, statusCounts, executions: rows }];
			}
			if (rows.length === 0) empty.push(requestUuid);
			return rows;
		},
		concurrency,
	);
	if (empty.length) {
		this.addExecutionHints({
			message: `No execution recorded yet for request ${empty.slice(0, 3).join(', ')}${empty.length > 3 ? ` and ${empty.length - 3} more` : ''}. Nexthink records executions shortly after the trigger: wait and ask again, or use the "One Summary per Request" output in a wait loop.`,
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
