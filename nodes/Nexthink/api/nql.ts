/**
 * The NQL API's execute endpoint (NEXTHINK-API.md §2.2–2.3, §2.7): runs a saved query and answers
 * at once. Used by NQL > Execute and Workflow > Get Executions; exports are in ./exports.
 */
import type { IDataObject } from 'n8n-workflow';

import { nexthinkRequest, type NexthinkContext } from '../transport/request';

/** The execute API returns at most this many rows (NEXTHINK-API.md §2.7). */
export const NQL_EXECUTE_ROW_CAP = 1000;

/** A saved query and the values of its `$placeholders` (names without the `$`). */
export type NqlQuery = {
	queryId: string;
	parameters?: Record<string, string>;
};

/** One result row, keyed by field name (`device.name`), whichever version answered. */
type NqlRow = IDataObject;

interface NqlExecuteOptions {
	/** `v2` (rows as objects) unless told otherwise; `v1` answers with headers and value arrays. */
	apiVersion?: 'v1' | 'v2';
	/** Dates in UTC instead of the tenant's regional time zone (`x-utc-times`). */
	utcTimes?: boolean;
	/** The result as CSV text (`Accept: text/csv`) instead of rows. */
	csv?: boolean;
	/** For error messages: "NQL Execute". */
	operation: string;
	/** What a 404 means to the caller (which saved query is missing, and how to create it). */
	notFoundHint: string;
	itemIndex?: number;
}

/** The answer of either version: rows as objects, or (asked with `csv`) the CSV text and no rows. */
interface NqlExecuteAnswer {
	rows: NqlRow[];
	csv?: string;
}

/** What `POST /api/v1/nql/execute` answers. */
interface ExecuteV1Answer {
	headers?: string[];
	data?: unknown[][];
	rows?: number;
	executedQuery?: string;
}

/** What `POST /api/v2/nql/execute` answers. */
interface ExecuteV2Answer {
	data?: NqlRow[];
	rows?: number;
	executedQuery?: string;
}

/** v1 answers with a header list and value arrays; either way the node outputs objects. */
function rowsOf(apiVersion: 'v1' | 'v2', body: unknown): NqlRow[] {
	if (apiVersion === 'v1') {
		const answer = (body ?? {}) as ExecuteV1Answer;
		const headers = answer.headers ?? [];
		return (answer.data ?? []).map((values) => {
			const row: NqlRow = {};
			headers.forEach((name, column) => {
				row[name] = (values?.[column] ?? null) as IDataObject[string];
			});
			return row;
		});
	}
	return ((body ?? {}) as ExecuteV2Answer).data ?? [];
}

/**
 * `POST /api/v2/nql/execute` (or `/api/v1/nql/execute`): runs a saved query, read-only, and
 * returns its rows as objects keyed by field name, or its CSV text.
 */
export async function executeSavedQuery(
	this: NexthinkContext,
	query: NqlQuery,
	options: NqlExecuteOptions,
): Promise<NqlExecuteAnswer> {
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
