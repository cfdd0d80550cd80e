/** NQL export (POST and GET form) and export status (docs/nexthink-api.md §2.4–2.5). */
import { randomBytes, randomUUID } from 'node:crypto';

import type { Cell } from '../csv';
import { presign } from '../files';
import { isRecord, sendEmpty, sendJson, type RequestContext } from '../http';
import type { Compression, ExportRecord } from '../state';
import { strictViolation } from '../strict';
import { show } from '../validate';
import { queryContext, resolveQuery, utcRequested } from './nql';

const COMPRESSIONS: readonly Compression[] = ['NONE', 'GZIP', 'ZSTD'];
/** The fields of `NqlApiExportRequest` (§2.4). */
const EXPORT_FIELDS = ['queryId', 'parameters', 'compression'] as const;
const EXTENSIONS: Record<Compression, string> = { NONE: '.csv', GZIP: '.csv.gz', ZSTD: '.csv.zst' };

/** An opaque, base64-like ID that always holds `/`, `+` and `=`: clients must path-escape it. */
function newExportId(): string {
	const bytes = randomBytes(16);
	bytes[3] = 0xff; // → a '/' at character 4
	bytes[6] = 0xfb; // → a '+' at character 8
	return bytes.toString('base64');
}

/** The GET form: `queryId`, `compression`, and parameters as `parameters` (JSON), `parameters[k]`, or bare keys. */
function inputFromQuery(ctx: RequestContext): Record<string, unknown> {
	const parameters: Record<string, string> = {};
	for (const [key, value] of ctx.url.searchParams) {
		if (key === 'queryId' || key === 'compression') continue;
		if (key === 'parameters') {
			try {
				const parsed = JSON.parse(value) as unknown;
				if (isRecord(parsed)) Object.assign(parameters, parsed);
			} catch {
				parameters[key] = value;
			}
			continue;
		}
		const deep = /^parameters(?:\[([^\]]+)\]|\.(.+))$/.exec(key);
		parameters[deep ? (deep[1] ?? deep[2]) : key] = value;
	}
	return {
		queryId: ctx.url.searchParams.get('queryId') ?? undefined,
		compression: ctx.url.searchParams.get('compression') ?? undefined,
		parameters,
	};
}

export function handleExport(ctx: RequestContext): void {
	const { state } = ctx;
	const input = ctx.method === 'GET' ? inputFromQuery(ctx) : ctx.body;
	// compression is nullable: "If not set, no compression is applied" (§2.4).
	const requested = isRecord(input) ? (input.compression ?? 'NONE') : 'NONE';
	if (!COMPRESSIONS.includes(requested as Compression)) {
		return strictViolation(
			ctx,
			`compression ${show(requested)} is invalid: use one of ZSTD, GZIP, NONE.`,
		);
	}
	const resolved = resolveQuery(ctx, input, EXPORT_FIELDS);
	if (!resolved) return;
	const { query, params } = resolved;
	const compression = requested as Compression;
	const { exportRowLimit, licenseRowCap } = state.options;
	const limit = Math.min(exportRowLimit, licenseRowCap ?? Infinity);
	const context = queryContext(state, query);
	let total: number;
	let snapshot: Cell[][] | undefined;
	if (query.dynamic) {
		snapshot = [...query.rows(params, context)];
		total = snapshot.length;
		snapshot = snapshot.slice(0, limit);
	} else if (query.count) {
		total = query.count(params, context);
	} else {
		total = 0;
		for (const row of query.rows(params, context)) if (row) total++;
	}
	const exportId = newExportId();
	const record: ExportRecord = {
		exportId,
		fileName: `${randomUUID()}${EXTENSIONS[compression]}`,
		queryId: query.id,
		parameters: params,
		compression,
		utc: utcRequested(ctx),
		createdAt: Date.now(),
		columns: query.columns,
		rowCount: Math.min(total, limit),
		truncated: licenseRowCap !== undefined && total > licenseRowCap,
		snapshot,
	};
	if (ctx.fault?.type === 'exportError')
		record.errorDescription = ctx.fault.description ?? 'Query execution failed';
	state.addExport(record);
	sendJson(ctx, 200, { exportId });
}

export function handleStatus(ctx: RequestContext): void {
	const { state } = ctx;
	const record = state.exports.get(ctx.params[0]);
	if (!record) return sendEmpty(ctx, 404);
	const { submittedMs, inProgressMs } = state.options.exportTimings;
	const elapsed = Date.now() - record.createdAt;
	let body: { status: string; resultsFileUrl: string | null; errorDescription: string | null };
	if (elapsed < submittedMs)
		body = { status: 'SUBMITTED', resultsFileUrl: null, errorDescription: null };
	else if (elapsed < submittedMs + inProgressMs)
		body = { status: 'IN_PROGRESS', resultsFileUrl: null, errorDescription: null };
	else if (record.errorDescription !== undefined)
		body = { status: 'ERROR', resultsFileUrl: null, errorDescription: record.errorDescription };
	else
		body = {
			status: 'COMPLETED',
			resultsFileUrl: presign(state, record.fileName),
			errorDescription: null,
		};
	const partial =
		ctx.fault?.type === 'truncated' || (body.status === 'COMPLETED' && record.truncated);
	sendJson(ctx, partial ? 206 : 200, body);
}
