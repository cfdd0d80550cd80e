import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
	type NodeExecutionHint,
} from 'n8n-workflow';

import { executeSavedQuery, NQL_EXECUTE_ROW_CAP } from '../../api/nql';
import { countCsvRows } from '../../shared/csv';
import { runPerItem } from '../../shared/engine';
import { addHints } from '../../shared/exportOutput';
import { concurrencyOption, optionsCollection, requestTimeoutOption } from '../../shared/fields';
import {
	binaryPropertyField,
	queryIdField,
	queryIdNotice,
	queryNotFoundHint,
	queryParametersField,
	readQuery,
} from '../../shared/nqlFields';
import { readConcurrency, readOptions } from '../../shared/options';
import { RESERVED_KEYS } from '../../shared/parameters';
import { quote, shorten } from '../../shared/text';
import { invalidField } from '../../shared/validation';

export const option: INodePropertyOptions = {
	name: 'Execute',
	value: 'execute',
	action: 'Run a saved NQL query by query ID',
	description:
		'Run a saved NQL query (by its Query ID) and get up to 1,000 result rows, one item per row',
};

type ExecuteOutput = 'rows' | 'inputItem' | 'result' | 'csvFile';

const OUTPUTS: ExecuteOutput[] = ['rows', 'inputItem', 'result', 'csvFile'];

const properties: INodeProperties[] = [
	queryIdField,
	queryIdNotice,
	queryParametersField,
	optionsCollection([
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			default: 'v2',
			options: [
				{ name: 'V2', value: 'v2', description: "Nexthink's current NQL API" },
				{
					name: 'V1',
					value: 'v1',
					description: 'The older NQL API, for tenants or queries that need it',
				},
			],
			description:
				'Which version of the NQL API runs the query. Both give the same items: rows as objects keyed by field name.',
		},
		concurrencyOption('input items run their query'),
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			default: 'rows',
			options: [
				{
					name: 'One Item per Row',
					value: 'rows',
					description:
						'A query that returns nothing gives no items (see Settings > Always Output Data)',
				},
				{
					name: 'One Item per Input Item, Rows in a Field',
					value: 'inputItem',
					description:
						'Each input item as it came, with its rows in a list under Rows Field: an empty list when the query found nothing, an error item when it failed (with Continue On Fail). For lookups: find the device, then act.',
				},
				{
					name: 'One Item per Query, with Metadata',
					value: 'result',
					description:
						'One item per query: queryId, executedQuery, rows (the count), executionDateTime and the rows under data. Also for 0 rows.',
				},
				{
					name: 'CSV File',
					value: 'csvFile',
					description: 'One item per query with the result as a CSV file (Accept: text/csv)',
				},
			],
			description:
				'Whether to return the rows as items, each input item with its rows, the whole result (rows and what Nexthink says of the run) as one item, or a CSV file',
		},
		binaryPropertyField({ show: { output: ['csvFile'] } }),
		{
			displayName: 'Rows Field',
			name: 'rowsField',
			type: 'string',
			default: 'nqlRows',
			displayOptions: { show: { output: ['inputItem'] } },
			description:
				"The field of each input item that receives the query's rows (it replaces a field of that name)",
		},
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

/** The words for a query that returned no rows (an execution hint). */
function emptyResultHint(
	queryId: string,
	executedQuery: string | null | undefined,
	output: ExecuteOutput,
): NodeExecutionHint {
	const what = executedQuery ? `${queryId} (${shorten(executedQuery, 200)})` : queryId;
	const advice =
		output === 'rows'
			? ' No item comes out of this node for it, so the nodes after it do not run for it: set Options > Output to One Item per Query, with Metadata (an item with rows: 0 and the executed query), or turn on Settings > Always Output Data (n8n then outputs one empty item when the node returns none).'
			: '';
	return { message: `0 rows: ${what} returned nothing.${advice}`, location: 'outputPane' };
}

/** Options > Rows Field: the name of the field that receives the rows (not one n8n drops). */
function readRowsField(this: IExecuteFunctions, value: unknown, itemIndex: number): string {
	const field = String(value ?? 'nqlRows').trim();
	if (field && !RESERVED_KEYS.has(field)) return field;
	throw invalidField.call(
		this,
		itemIndex,
		'Rows Field',
		field ? `${quote(field)} cannot be a field name` : 'it is empty',
		'Give the name of the field that receives the rows, for example nqlRows.',
	);
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const concurrency = readConcurrency.call(this);
	let capped = false;
	const hints: NodeExecutionHint[] = [];
	const output = await runPerItem.call(
		this,
		items,
		async (itemIndex) => {
			const query = readQuery.call(this, itemIndex);
			const queryId = query.queryId;
			const options = readOptions.call(this, itemIndex);
			const apiVersion = options.apiVersion === 'v1' ? 'v1' : 'v2';
			const mode = OUTPUTS.find((choice) => choice === options.output) ?? 'rows';
			const rowsField =
				mode === 'inputItem' ? readRowsField.call(this, options.rowsField, itemIndex) : undefined;
			const answer = await executeSavedQuery.call(this, query, {
				apiVersion,
				utcTimes: options.utcTimes === true,
				csv: mode === 'csvFile',
				operation: 'NQL Execute',
				notFoundHint: queryNotFoundHint(queryId),
				itemIndex,
			});
			if (answer.csv !== undefined) {
				const csv = answer.csv;
				const rowCount = countCsvRows(csv);
				if (rowCount >= NQL_EXECUTE_ROW_CAP) capped = true;
				if (rowCount === 0) hints.push(emptyResultHint(queryId, undefined, mode));
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
			if (answer.rows.length === 0)
				hints.push(emptyResultHint(queryId, answer.meta?.executedQuery, mode));
			if (rowsField !== undefined)
				return [{ json: { ...items[itemIndex].json, [rowsField]: answer.rows } }];
			if (mode === 'result') {
				const meta = answer.meta;
				return [
					{
						json: {
							queryId: meta?.queryId ?? queryId,
							executedQuery: meta?.executedQuery ?? null,
							rows: meta?.rows ?? answer.rows.length,
							executionDateTime: meta?.executionDateTime ?? null,
							data: answer.rows,
						},
					},
				];
			}
			return answer.rows;
		},
		concurrency,
	);
	if (capped) {
		hints.push({
			message: `A query returned ${NQL_EXECUTE_ROW_CAP} rows, the most NQL Execute returns: there may be more. Use NQL > Export for larger results, or narrow the query.`,
			location: 'outputPane',
		});
	}
	addHints.call(this, hints);
	return output;
}
