import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { nexthinkRequest } from '../../transport/request';
import { runPerItem } from '../../shared/items';
import {
	concurrencyOption,
	optionsCollection,
	readConcurrency,
	readOptions,
} from '../../shared/options';
import {
	binaryPropertyField,
	queryIdField,
	queryNotFoundHint,
	queryParametersField,
	readQuery,
} from './fields';
import { countCsvRows } from '../../shared/csv';

/** The execute API returns at most this many rows (NEXTHINK-API.md §2.7). */
export const NQL_EXECUTE_ROW_CAP = 1000;

const show = { resource: ['nql'], operation: ['execute'] };

export const description: INodeProperties[] = [
	queryIdField(show),
	queryParametersField(show),
	optionsCollection(show, [
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
		{
			displayName: 'UTC Times',
			name: 'utcTimes',
			type: 'boolean',
			default: false,
			description: "Whether dates come in UTC instead of the tenant's regional time zone",
		},
	]),
];

type Row = IDataObject;

interface ExecuteV1Answer {
	headers?: string[];
	data?: unknown[][];
	rows?: number;
	executedQuery?: string;
}
interface ExecuteV2Answer {
	data?: Row[];
	rows?: number;
	executedQuery?: string;
}

/** v1 answers with a header list and value arrays; either way the node outputs objects. */
export function rowsOf(apiVersion: string, body: unknown): Row[] {
	if (apiVersion === 'v1') {
		const answer = (body ?? {}) as ExecuteV1Answer;
		const headers = answer.headers ?? [];
		return (answer.data ?? []).map((values) => {
			const row: Row = {};
			headers.forEach((name, column) => {
				row[name] = (values?.[column] ?? null) as IDataObject[string];
			});
			return row;
		});
	}
	return ((body ?? {}) as ExecuteV2Answer).data ?? [];
}

/**
 * Runs a saved query through the execute API (v2 unless told otherwise): rows as objects keyed
 * by field name, or the CSV text. Shared with Workflow > Get Executions.
 */
export async function executeSavedQuery(
	this: IExecuteFunctions,
	query: IDataObject,
	options: {
		apiVersion?: 'v1' | 'v2';
		utcTimes?: boolean;
		csv?: boolean;
		operation: string;
		notFoundHint: string;
		itemIndex: number;
	},
): Promise<{ rows: Row[]; csv?: string }> {
	const apiVersion = options.apiVersion ?? 'v2';
	const headers: IDataObject = {};
	if (options.utcTimes) headers['x-utc-times'] = 'true';
	if (options.csv) headers.Accept = 'text/csv';
	const response = await nexthinkRequest.call(this, {
		method: 'POST',
		path: `/api/${apiVersion}/nql/execute`,
		body: query,
		headers,
		responseFormat: options.csv ? 'text' : 'json',
		operation: options.operation,
		domain: 'nql',
		notFoundHint: options.notFoundHint,
		itemIndex: options.itemIndex,
	});
	if (options.csv) return { rows: [], csv: response.body as string };
	return { rows: rowsOf(apiVersion, response.body) };
}

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
			const body = readQuery.call(this, itemIndex);
			const queryId = body.queryId as string;
			const options = readOptions.call(this, itemIndex);
			const apiVersion = options.apiVersion === 'v1' ? 'v1' : 'v2';
			const asFile = options.output === 'csvFile';
			const answer = await executeSavedQuery.call(this, body, {
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
