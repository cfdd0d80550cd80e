/** NQL execute v1/v2 (docs/nexthink-api.md §2.2–2.3): saved queries only, 1,000 rows at most. */
import { jsonCell, toCsv, type Cell } from '../csv';
import { executedQuery, findQuery, type QueryContext, type QueryDefinition } from '../data/queries';
import { sendError } from '../errors';
import { header, isRecord, sendEmpty, sendJson, sendText, type RequestContext } from '../http';
import type { SimState } from '../state';
import { dateTimeParts, localIso } from '../time';
import { strictViolation, unknownField } from '../strict';
import { accepts, checkStringMap, ids, show } from '../validate';

export const EXECUTE_ROW_CAP = 1000;

/** The fields of `NqlApiExecuteRequest` (§2.2). */
const EXECUTE_FIELDS = ['queryId', 'parameters'] as const;

export function queryContext(state: SimState, query: QueryDefinition): QueryContext {
	return {
		directory: state.directory,
		recorded: state.data,
		rowsOverride: state.queryRows.get(query.id),
		freeDiskSpace: state.freeDiskSpace,
	};
}

/**
 * Validates `{queryId, parameters}` (and, for exports, `compression`) and finds the query.
 * Answers the error itself and returns undefined when the request cannot run: a contract
 * violation is rejected (400 with the NQL body, `source: "simulator"`: the NQL API declares no
 * 400), an unknown query is 404 without body, a parameter the query declares but the request
 * lacks is 400 with the NQL body (the simulator's reading, not a contract rejection: the
 * contract cannot know the query's parameters).
 */
export function resolveQuery(
	ctx: RequestContext,
	input: unknown,
	declared: readonly string[] = EXECUTE_FIELDS,
): { query: QueryDefinition; params: Record<string, string> } | undefined {
	const reject = (reason: string) => strictViolation(ctx, reason);
	if (ctx.jsonError) return void reject('Malformed JSON request body.');
	if (!isRecord(input))
		return void reject('The request body must be a JSON object with a queryId.');
	const { queryId, parameters } = input;
	if (typeof queryId !== 'string' || queryId.length === 0)
		return void reject('queryId is required.');
	if (!accepts(ids.SAVED_QUERY_ID, queryId))
		return void reject(
			`queryId ${show(queryId)} is invalid: it must match ${ids.SAVED_QUERY_ID.apiPattern.source}.`,
		);
	const mapError = checkStringMap(parameters, 'parameters');
	if (mapError) return void reject(mapError);
	const extra = unknownField(ctx, input, declared);
	if (extra) return void reject(extra);
	const query = findQuery(queryId);
	if (!query) return void sendEmpty(ctx, 404);
	const params = (parameters ?? {}) as Record<string, string>;
	const missing = query.parameters.filter((p) => params[p] === undefined);
	if (missing.length > 0) {
		return void sendError(
			ctx,
			'nql',
			400,
			`Missing value for parameter(s) ${missing.map((m) => `'${m}'`).join(', ')} of query '${query.id}'.`,
		);
	}
	return { query, params };
}

/**
 * `application/json` (also for an absent or empty Accept), `text/csv`, or undefined (→ 406).
 * The docs: 'The Accept header should be "application/json", "text/csv" or empty' (§2.2), so a
 * wildcard alone (the any-type range, `application/*`) is refused; in a list, the first named type
 * (by q) the endpoint serves wins.
 */
export function negotiate(accept: string | undefined): 'json' | 'csv' | undefined {
	if (accept === undefined || accept.trim() === '') return 'json';
	const ranges = accept
		.split(',')
		.map((part, order) => {
			const [type, ...params] = part.trim().toLowerCase().split(';');
			const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)).find(Boolean);
			return { type: type.trim(), q: q ? Number(q[1]) : 1, order };
		})
		.filter((r) => r.q > 0)
		.sort((a, b) => b.q - a.q || a.order - b.order);
	for (const { type } of ranges) {
		if (type === 'application/json') return 'json';
		if (type === 'text/csv') return 'csv';
	}
	return undefined;
}

export const utcRequested = (ctx: RequestContext) =>
	(header(ctx, 'x-utc-times') ?? '').trim().toLowerCase() === 'true';

export function handleExecute(version: 1 | 2) {
	return (ctx: RequestContext): void => {
		const accept = header(ctx, 'accept');
		const format = negotiate(accept);
		if (!format) {
			ctx.state.strict.record(
				ctx,
				406,
				`Accept ${show(accept)}: the endpoint answers application/json, text/csv or an empty Accept only.`,
			);
			return sendEmpty(ctx, 406);
		}
		const resolved = resolveQuery(ctx, ctx.body);
		if (!resolved) return;
		const { query, params } = resolved;
		const rows: Cell[][] = [];
		for (const row of query.rows(params, queryContext(ctx.state, query))) {
			if (rows.length >= EXECUTE_ROW_CAP) break;
			rows.push(row);
		}
		const utc = utcRequested(ctx);
		if (format === 'csv')
			return sendText(ctx, 200, toCsv(query.columns, rows, utc), 'text/csv;charset=UTF-8');
		const now = Date.now();
		const base = {
			queryId: query.id,
			executedQuery: executedQuery(query, params),
			rows: rows.length,
		};
		if (version === 1) {
			sendJson(ctx, 200, {
				...base,
				executionDateTime: dateTimeParts(now, utc),
				headers: query.columns,
				data: rows.map((row) => row.map((cell) => jsonCell(cell, utc))),
			});
		} else {
			sendJson(ctx, 200, {
				...base,
				executionDateTime: localIso(now, utc),
				data: rows.map((row) =>
					Object.fromEntries(query.columns.map((c, i) => [c, jsonCell(row[i], utc)])),
				),
			});
		}
	};
}
