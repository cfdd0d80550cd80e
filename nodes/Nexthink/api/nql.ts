/**
 * The NQL API's execute endpoint (docs/nexthink-api.md §2.2–2.3, §2.7): runs a saved query and answers
 * at once. Used by NQL > Execute and Workflow > Get Executions; exports are in ./exports.
 */
import type { IDataObject } from 'n8n-workflow';

import type { BadRequestFields } from '../transport/errors';
import { nexthinkRequest, type NexthinkContext } from '../transport/request';

/** The execute API returns at most this many rows (docs/nexthink-api.md §2.7). */
export const NQL_EXECUTE_ROW_CAP = 1000;

/**
 * Where a 400 of a saved query's call points (execute, export): Nexthink's words about a
 * parameter lead to Query Parameters, anything else to the fields that make up the request.
 */
export function nqlBadRequest(otherFields: string[] = []): BadRequestFields {
	return {
		named: [
			[
				/param|placeholder/i,
				'The saved query has a $placeholder that got no value (or one it refused): give it under Query Parameters, by its name without the $ (for example os for $os), then run again.',
			],
		],
		otherwise: `Check ${['Query ID (a saved query from Administration > NQL API queries)', 'Query Parameters (a value for each $placeholder of its where clause, named without the $)', ...otherFields].join(', ')}.`,
	};
}

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
	/** Where a 400 points, when the caller's fields are not Query ID and Query Parameters. */
	badRequest?: BadRequestFields;
	itemIndex?: number;
}

/**
 * What Nexthink says of the run besides the rows (both versions, one shape): the query as it
 * ran, its row count, and when it ran. Null where the answer did not say.
 */
export interface NqlExecuteMeta {
	queryId: string;
	/** The NQL text with the parameters in place. */
	executedQuery: string | null;
	/** Nexthink's own row count (`rows`). */
	rows: number | null;
	/**
	 * When the query ran, as v2 writes it: `2023-03-07T15:56:02`, local wall-clock time without
	 * offset (v1's `{year, month, day, hour, minute, second}` object is written the same way).
	 */
	executionDateTime: string | null;
}

/** The answer of either version: rows as objects and the metadata, or (asked with `csv`) the CSV text and no rows. */
interface NqlExecuteAnswer {
	rows: NqlRow[];
	csv?: string;
	/** Absent for CSV: a CSV answer carries no metadata. */
	meta?: NqlExecuteMeta;
}

/** What `POST /api/v1/nql/execute` answers. */
interface ExecuteV1Answer {
	queryId?: string;
	headers?: string[];
	data?: unknown[][];
	rows?: number;
	executedQuery?: string;
	executionDateTime?: unknown;
}

/** What `POST /api/v2/nql/execute` answers. */
interface ExecuteV2Answer {
	queryId?: string;
	data?: NqlRow[];
	rows?: number;
	executedQuery?: string;
	executionDateTime?: unknown;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * `executionDateTime` in one shape: v2's ISO string as Nexthink wrote it; v1's object as the same
 * string (a 2-digit year taken as 20xx, as the Python SDK does). Null when absent or unreadable.
 */
function executionDateTimeOf(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() || null;
	if (!value || typeof value !== 'object') return null;
	const parts = value as Record<string, unknown>;
	// Hours, minutes and seconds may be left out at midnight; the date may not.
	const fields = ['year', 'month', 'day', 'hour', 'minute', 'second'].map((name, index) =>
		index >= 3 && parts[name] === undefined ? 0 : Number(parts[name]),
	);
	if (!fields.every((n) => Number.isInteger(n) && n >= 0)) return null;
	const [year, month, day, hour, minute, second] = fields;
	if (month < 1 || day < 1) return null;
	const fullYear = year < 100 ? 2000 + year : year;
	return `${pad(fullYear, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
}

function metaOf(queryId: string, body: unknown): NqlExecuteMeta {
	const answer = (body ?? {}) as ExecuteV1Answer | ExecuteV2Answer;
	return {
		queryId: typeof answer.queryId === 'string' ? answer.queryId : queryId,
		executedQuery: typeof answer.executedQuery === 'string' ? answer.executedQuery : null,
		rows: typeof answer.rows === 'number' && Number.isFinite(answer.rows) ? answer.rows : null,
		executionDateTime: executionDateTimeOf(answer.executionDateTime),
	};
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
		badRequest: options.badRequest ?? nqlBadRequest(),
		itemIndex: options.itemIndex,
	});
	if (options.csv) return { rows: [], csv: response.body as string };
	return { rows: rowsOf(apiVersion, response.body), meta: metaOf(query.queryId, response.body) };
}
