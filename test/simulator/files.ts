/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: the simulator is a stand-alone HTTP server, it never runs inside n8n */
/**
 * The files host: export results behind S3-style presigned links (docs/nexthink-api.md §2.6).
 * Files are generated when downloaded, in chunks, so a million-row export never sits in memory.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';

import { csvChunks, type Cell } from './csv';
import { findQuery } from './data/queries';
import { sendS3Error } from './errors';
import { header, queryParam, type RequestContext } from './http';
import type { ExportRecord, SimState } from './state';
import { amzDate, parseAmzDate } from './time';
import { nativeZstdStream, rawFrame } from './zstd';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const REGION = 'eu-central-1';

function sign(state: SimState, fileName: string, date: string, expires: string): string {
	return createHmac('sha256', state.presignKey)
		.update(`${fileName}\n${date}\n${expires}`)
		.digest('hex');
}

/** A fresh presigned link to an export file, valid `presignedTtlSeconds`. */
export function presign(state: SimState, fileName: string): string {
	const date = amzDate(Date.now());
	const expires = String(Math.round(state.options.presignedTtlSeconds));
	const credential = `ASIASIMULATOREXAMPLE/${date.slice(0, 8)}/${REGION}/s3/aws4_request`;
	const query = new URLSearchParams({
		'X-Amz-Algorithm': ALGORITHM,
		'X-Amz-Credential': credential,
		'X-Amz-Date': date,
		'X-Amz-Expires': expires,
		'X-Amz-SignedHeaders': 'host',
		'X-Amz-Signature': sign(state, fileName, date, expires),
	});
	return `${state.urls.files}/exports/${encodeURIComponent(fileName)}?${query.toString()}`;
}

const CACHED_CHUNK_BYTES = 64 * 1024;

/**
 * Option cacheExportFiles: the CSV generated once per query, parameters, row count and time
 * format, then served from memory, so that a million-row download costs the client rather than
 * the simulator. Exports of recorded data (snapshots) are never cached.
 */
function cachedCsv(state: SimState, record: ExportRecord): Buffer | undefined {
	if (!state.options.cacheExportFiles || record.snapshot) return undefined;
	const key = JSON.stringify([record.queryId, record.parameters, record.rowCount, record.utc]);
	let csv = state.exportFiles.get(key);
	if (!csv) {
		csv = Buffer.concat([...generatedChunks(state, record)]);
		state.exportFiles.set(key, csv);
	}
	return csv;
}

/** The CSV of an export, in chunks. */
export function* exportChunks(state: SimState, record: ExportRecord): Generator<Buffer> {
	const cached = cachedCsv(state, record);
	if (!cached) return yield* generatedChunks(state, record);
	for (let at = 0; at < cached.length; at += CACHED_CHUNK_BYTES)
		yield cached.subarray(at, at + CACHED_CHUNK_BYTES);
}

function* generatedChunks(state: SimState, record: ExportRecord): Generator<Buffer> {
	let rows: Iterable<Cell[]>;
	if (record.snapshot) {
		rows = record.snapshot;
	} else {
		const query = findQuery(record.queryId);
		if (!query) throw new Error(`query ${record.queryId} vanished`);
		rows = query.rows(record.parameters, {
			directory: state.directory,
			recorded: state.data,
			rowsOverride: record.rowCount,
		});
	}
	yield* csvChunks(record.columns, rows, record.utc, state.options.csvBom);
}

function sizeOf(state: SimState, record: ExportRecord): number {
	if (record.sizeBytes === undefined) {
		let size = 0;
		for (const chunk of exportChunks(state, record)) size += chunk.length;
		record.sizeBytes = size;
	}
	return record.sizeBytes;
}

const CONTENT_TYPES = {
	NONE: 'text/csv',
	GZIP: 'application/gzip',
	ZSTD: 'application/zstd',
} as const;

/** `GET {files}/exports/<name>?X-Amz-…` */
export async function handleDownload(ctx: RequestContext): Promise<void> {
	const { state } = ctx;
	if (ctx.method !== 'GET' && ctx.method !== 'HEAD')
		return sendS3Error(
			ctx,
			405,
			undefined,
			undefined,
			{ Method: ctx.method, ResourceType: 'OBJECT' },
			{ Allow: 'GET, HEAD' },
		);
	const authorization = header(ctx, 'authorization');
	if (authorization !== undefined) {
		return sendS3Error(
			ctx,
			400,
			'InvalidArgument',
			'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
			{ ArgumentName: 'Authorization', ArgumentValue: authorization },
		);
	}
	const fileName = decodeURIComponent(ctx.params[0]);
	const algorithm = queryParam(ctx, 'X-Amz-Algorithm');
	const date = queryParam(ctx, 'X-Amz-Date') ?? '';
	const expires = queryParam(ctx, 'X-Amz-Expires') ?? '';
	const signature = queryParam(ctx, 'X-Amz-Signature') ?? '';
	if (algorithm === undefined && !signature)
		return sendS3Error(ctx, 403, 'AccessDenied', 'Access Denied');
	const expected = Buffer.from(sign(state, fileName, date, expires), 'hex');
	const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
	if (
		algorithm !== ALGORITHM ||
		given.length !== expected.length ||
		!timingSafeEqual(given, expected)
	) {
		return sendS3Error(
			ctx,
			403,
			'SignatureDoesNotMatch',
			'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
			{ AWSAccessKeyId: 'ASIASIMULATOREXAMPLE' },
		);
	}
	const signedAt = parseAmzDate(date) ?? 0;
	const expiresAt = signedAt + Number(expires) * 1000;
	if (Date.now() >= expiresAt) {
		return sendS3Error(ctx, 403, 'AccessDenied', 'Request has expired', {
			'X-Amz-Expires': expires,
			Expires: new Date(expiresAt).toISOString(),
			ServerTime: new Date().toISOString(),
		});
	}
	const record = state.exportsByFile.get(fileName);
	if (!record)
		return sendS3Error(ctx, 404, 'NoSuchKey', 'The specified key does not exist.', {
			Key: `exports/${fileName}`,
		});
	await streamExport(ctx, record);
}

async function streamExport(ctx: RequestContext, record: ExportRecord): Promise<void> {
	const { state, res } = ctx;
	if (ctx.fault?.type === 'cutOff')
		return cutOff(ctx, record, ctx.fault.afterBytes, ctx.fault.stallMs);
	if (ctx.fault?.type === 'corrupt') return corrupt(ctx, record, ctx.fault.keepBytes);
	let compressor: Transform | undefined;
	let source: Iterable<Buffer>;
	const headers: Record<string, string | number> = {
		'Content-Type': CONTENT_TYPES[record.compression],
		ETag: `"${createHmac('md5', record.exportId).update(record.fileName).digest('hex')}"`,
		'Last-Modified': new Date(record.createdAt).toUTCString(),
		'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
		Server: 'AmazonS3',
	};
	if (record.compression === 'NONE') {
		source = exportChunks(state, record);
		headers['Content-Length'] = sizeOf(state, record);
	} else if (record.compression === 'GZIP') {
		source = exportChunks(state, record);
		compressor = zlib.createGzip();
	} else {
		compressor = nativeZstdStream();
		if (compressor) {
			source = exportChunks(state, record);
		} else {
			const size = sizeOf(state, record);
			source = rawFrame(exportChunks(state, record), size);
			headers['Content-Length'] = 14 + size + 3 * Math.max(1, Math.ceil(size / (128 * 1024)));
		}
	}
	ctx.entry.status = 200;
	res.writeHead(200, headers);
	if (ctx.method === 'HEAD') {
		res.end();
		return;
	}
	try {
		if (compressor) await pipeline(Readable.from(source), compressor, res);
		else await pipeline(Readable.from(source), res);
	} catch {
		// The client went away mid-download: nothing to answer any more.
		res.destroy();
	}
}

/**
 * The `corrupt` fault: the file as stored, compressed as the export asked, but only its first
 * bytes, with a Content-Length that matches what is sent (a file damaged at rest, not in transit).
 */
function corrupt(ctx: RequestContext, record: ExportRecord, keepBytes?: number): void {
	const { state, res } = ctx;
	const plain = Buffer.concat([...exportChunks(state, record)]);
	const data = record.compression === 'GZIP' ? zlib.gzipSync(plain) : plain;
	const kept = data.subarray(
		0,
		Math.max(1, Math.min(keepBytes ?? Math.floor(data.length / 2), data.length - 1)),
	);
	ctx.entry.status = 200;
	res.writeHead(200, {
		'Content-Type': CONTENT_TYPES[record.compression],
		'Content-Length': kept.length,
		Server: 'AmazonS3',
	});
	res.end(kept);
}

/**
 * The `cutOff` fault: announces the whole file (Content-Length), sends its first bytes, then
 * destroys the socket, as a connection that breaks mid-download does.
 */
function cutOff(ctx: RequestContext, record: ExportRecord, afterBytes = 1024, stallMs = 0): void {
	const { state, res } = ctx;
	const data = Buffer.concat([...exportChunks(state, record)]);
	const sent = Math.max(0, Math.min(afterBytes, data.length - 1));
	ctx.entry.status = 200;
	res.writeHead(200, {
		'Content-Type': CONTENT_TYPES[record.compression],
		'Content-Length': data.length,
		Server: 'AmazonS3',
	});
	res.write(data.subarray(0, sent), () => {
		// Flushed: now break the connection (after the stall, if any), leaving the length unmet.
		if (stallMs > 0) void state.sleepers.sleep(stallMs).then(() => res.socket?.destroy());
		else res.socket?.destroy();
	});
}
