import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { executeSavedQuery, NQL_EXECUTE_ROW_CAP } from '../../api/nql';
import { countCsvRows } from '../../shared/csv';
import { runPerItem } from '../../shared/engine';
import { concurrencyOption, optionsCollection, requestTimeoutOption } from '../../shared/fields';
import {
	binaryPropertyField,
	queryIdField,
	queryNotFoundHint,
	queryParametersField,
	readQuery,
} from '../../shared/nqlFields';
import { readConcurrency, readOptions } from '../../shared/options';

export const option: INodePropertyOptions = {
	name: 'Execute',
	value: 'execute',
	action: 'Run a saved NQL query',
	description:
		'Run a saved NQL query (by its Query ID) and get up to 1,000 result rows, one item per row',
};

const properties: INodeProperties[] = [
	queryIdField,
	queryParametersField,
	optionsCollection([
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			default: 'v2',
			options: [
				{ name: 'V2 (Rows as Objects)', value: 'v2', description: 'POST /api/v2/nql/execute' },
				{
					name: 'V1 (Headers and Value Arrays)',
					value: 'v1',
					description: 'POST /api/v1/nql/execute; rows are turned into objects all the same',
				},
			],
			description: 'Which execute endpoint to call. Both return one item per row.',
		},
		concurrencyOption('input items run their query'),
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			default: 'rows',
			options: [
				{ name: 'One Item per Row', value: 'rows' },
				{
					name: 'CSV File',
					value: 'csvFile',
					description: 'One item per query with the result as a CSV file (Accept: text/csv)',
				},
			],
			description: 'Whether to return the rows as items or the result as a CSV file',
		},
		binaryPropertyField({ show: { output: ['csvFile'] } }),
		requestTimeoutOption,
		{
			displayName: 'UTC Times',
			name: 'utcTimes',
			type: 'boolean',
			default: false,
			description: "Whether dates come in UTC instead of the tenant's regional time zone",
		},
	]),
];

const displayOptions = { show: { resource: ['nql'], operation: ['execute'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const concurrency = readConcurrency.call(this);
	let capped = false;
	const output = await runPerItem.call(
		this,
		items,
		async (itemIndex) => {
			const query = readQuery.call(this, itemIndex);
			const queryId = query.queryId;
			const options = readOptions.call(this, itemIndex);
			const apiVersion = options.apiVersion === 'v1' ? 'v1' : 'v2';
			const asFile = options.output === 'csvFile';
			const answer = await executeSavedQuery.call(this, query, {
				apiVersion,
				utcTimes: options.utcTimes === true,
				csv: asFile,
				operation: 'NQL Execute',
				notFoundHint: queryNotFoundHint(queryId),
				itemIndex,
			});
			if (answer.csv !== undefined) {
				const csv = answer.csv;
				const rowCount = countCsvRows(csv);
				if (rowCount >= NQL_EXECUTE_ROW_CAP) capped = true;
				const property = String(options.binaryPropertyName || 'data');
				const fileName = `${queryId.slice(1)}.csv`;
				const binary = await this.helpers.prepareBinaryData(
					Buffer.from(csv, 'utf8'),
					fileName,
					'text/csv',
				);
				return [{ json: { queryId, rows: rowCount, fileName }, binary: { [property]: binary } }];
			}
			if (answer.rows.length >= NQL_EXECUTE_ROW_CAP) capped = true;
			return answer.rows;
		},
		concurrency,
	);
	if (capped) {
		this.addExecutionHints({
			message: `A query returned ${NQL_EXECUTE_ROW_CAP} rows, the most NQL Execute returns: there may be more. Use NQL > Export for larger results, or narrow the query.`,
			location: 'outputPane',
		});
	}
	return output;
}
