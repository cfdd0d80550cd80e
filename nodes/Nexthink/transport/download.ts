import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IBinaryData,
	type IDataObject,
	type IExecuteFunctions,
} from 'n8n-workflow';

import { shorten } from '../shared/text';
import { withRequestSignal } from './cancel';
import {
	describeText,
	failureMayHaveBeenProcessed,
	nexthinkError,
	notJsonWords,
	quote,
	type FailureContext,
	type HttpFailure,
} from './errors';
import { DOWNLOAD_TIMEOUT_MS, RETRY_DEFAULTS, seconds } from './retry';
import {
	headerValue,
	TransportFailure,
	userTimeoutMs,
	withRetries,
	type NexthinkContext,
	type RawResponse,
} from './request';

export type Compression = 'NONE' | 'GZIP' | 'ZSTD';

/** What an export file is, by its first bytes (Nexthink sends no Content-Encoding). */
export function compressionOf(head: Buffer): Compression {
	const startsWith = (magic: number[]) => magic.every((byte, index) => head[index] === byte);
	if (startsWith([0x1f, 0x8b])) return 'GZIP';
	if (startsWith([0x28, 0xb5, 0x2f, 0xfd])) return 'ZSTD';
	return 'NONE';
}

export const MIME_TYPES: Record<Compression, string> = {
	NONE: 'text/csv',
	GZIP: 'application/gzip',
	ZSTD: 'application/zstd',
};

/**
 * A downloaded export file: its bytes in memory (`data`, to read rows from), or already n8n's
 * binary data (`binary`: streamed into n8n's binary data store, never whole in memory).
 */
export interface DownloadedFile {
	fileName: string;
	contentType?: string;
	compression: Compression;
	bytes: number;
	data?: Buffer;
	binary?: IBinaryData;
}

const asText = (data: unknown) =>
	Buffer.isBuffer(data)
		? data.toString('utf8')
		: data instanceof ArrayBuffer
			? Buffer.from(data).toString('utf8')
			: typeof data === 'string'
				? data
				: '';

/** S3 answers errors in XML: `<Error><Code>AccessDenied</Code><Message>Request has expired</Message>…`. */
function readS3Error(data: unknown): { code?: string; message?: string } {
	const text = asText(data);
	const tag = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1];
	const code = tag('Code');
	const message = tag('Message');
	return {
		code: code === undefined ? undefined : quote(code, 80),
		message: message === undefined ? undefined : quote(message),
	};
}

/** Marks the error of a presigned link that is no longer valid, so callers can ask for a fresh one. */
export function isExpiredLinkError(error: unknown): boolean {
	return error instanceof NodeApiError && (error.context as IDataObject).linkExpired === true;
}

const bytes = (count: number) => count.toLocaleString('en-US');

function downloadError(
	this: NexthinkContext,
	failure: HttpFailure,
	context: FailureContext,
): NodeApiError {
	const s3 = readS3Error(failure.data);
	// Anything but the file host's XML (a proxy's HTML page…) is described, never quoted.
	const other =
		failure.status !== undefined && !s3.code && asText(failure.data).trim()
			? describeText(asText(failure.data))
			: undefined;
	const retried = `Retried ${context.retries ?? 0} time${context.retries === 1 ? '' : 's'}.`;
	let message: string;
	let description: string;
	let linkExpired = false;
	if (failure.timedOut && failure.cutOff) {
		const { receivedBytes, expectedBytes } = failure.cutOff;
		message = `The export download stalled after ${bytes(receivedBytes ?? 0)} bytes${expectedBytes === undefined ? '' : ` of ${bytes(expectedBytes)}`}: nothing arrived for ${seconds(context.timeoutMs ?? 0)}`;
		description = `${retried} Try again later, or raise the time-out; if it keeps happening, check any proxy between n8n and the file host.`;
	} else if (failure.cutOff) {
		const { receivedBytes, expectedBytes } = failure.cutOff;
		message = `The export download was cut off after ${bytes(receivedBytes ?? 0)} bytes${expectedBytes === undefined ? '' : ` of ${bytes(expectedBytes)}`}`;
		description = `${retried} The connection to the export file host broke before the whole file arrived. Try again; if it keeps happening, check any proxy between n8n and the file host (size or time limits).`;
	} else if (failure.timedOut) {
		message = `The export file host did not answer NQL Download Export within ${seconds(context.timeoutMs ?? 0)}`;
		description = `${retried} Try again later, or raise the time-out.`;
	} else if (failure.status === 403 && /expired/i.test(s3.message ?? '')) {
		linkExpired = true;
		message = 'The export results link has expired';
		description =
			'Nexthink results links are valid for 15 minutes. Ask for the status again (NQL > Get Export Status) for a fresh link, or download by export ID: the node then asks for a fresh link itself.';
	} else if (failure.status === 403 || failure.status === 400) {
		message = `The export file host refused the download (${failure.status}${s3.code ? ` ${s3.code}` : ''}): ${s3.message ?? (other ? `the answer was ${notJsonWords(other)}` : 'no message')}`;
		description =
			'Use the resultsFileUrl exactly as Nexthink returned it (it is signed), or download by export ID.';
	} else if (failure.status === 404) {
		message = `The export file no longer exists (404${s3.code ? ` ${s3.code}` : ''})`;
		description = 'Run the export again.';
	} else if (failure.status !== undefined) {
		message = `The export file host answered HTTP ${failure.status}${s3.message ? `: ${s3.message}` : other ? `: the answer was ${notJsonWords(other)}` : ''}`;
		description = `${retried} Try again later.`;
	} else {
		message = `Could not reach the export file host (${failure.networkCode ?? 'network error'})`;
		description = 'Check that n8n may reach the results link (proxy, firewall), then try again.';
	}
	const error = nexthinkError(this.getNode(), {
		message,
		description,
		response: {
			httpCode: failure.status === undefined ? '' : String(failure.status),
			...(s3.code ? { s3Code: s3.code } : {}),
			...(other ? { answer: notJsonWords(other) } : {}),
		},
		httpCode: failure.status,
		itemIndex: context.itemIndex,
	});
	if (linkExpired) error.context.linkExpired = true;
	error.context.mayHaveBeenProcessed = failureMayHaveBeenProcessed(failure);
	return error;
}

function fileNameOf(url: URL): string {
	const last = decodeURIComponent(url.pathname.split('/').filter(Boolean).pop() ?? '');
	return last || 'nql-export.csv';
}

/** The body of a response asked for as a stream: a Node Readable (n8n's IncomingMessage). */
interface BodyStream extends AsyncIterable<Buffer | string> {
	destroy?(error?: Error): void;
	read?(): Buffer | string | null;
	unshift?(chunk: Buffer | string): void;
	on?(event: string, listener: (...args: unknown[]) => void): unknown;
	once?(event: string, listener: (...args: unknown[]) => void): unknown;
	removeListener?(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * The first bytes of a body stream, put back where they were (`unshift`): what the file is is
 * known before n8n reads the stream. Empty for an empty body.
 */
async function peek(stream: BodyStream): Promise<Buffer> {
	return await new Promise<Buffer>((resolve, reject) => {
		const done = () => {
			stream.removeListener?.('readable', onReadable);
			stream.removeListener?.('end', onEnd);
			stream.removeListener?.('error', onError);
		};
		const onReadable = () => {
			const chunk = stream.read?.();
			if (chunk === null || chunk === undefined) return;
			done();
			stream.unshift?.(chunk);
			resolve(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
		};
		const onEnd = () => {
			done();
			resolve(Buffer.alloc(0));
		};
		const onError = (error: unknown) => {
			done();
			reject(error);
		};
		stream.on?.('readable', onReadable);
		stream.once?.('end', onEnd);
		stream.once?.('error', onError);
	});
}

const canStream = (stream: unknown): stream is Required<BodyStream> =>
	typeof stream === 'object' &&
	stream !== null &&
	['read', 'unshift', 'on', 'once', 'removeListener'].every(
		(name) => typeof (stream as Record<string, unknown>)[name] === 'function',
	);

/**
 * Streams a body into n8n's binary data (its file system store writes it as it arrives; other
 * stores read it as they must): the file is never whole in this process's memory. A body cut
 * off on its way fails as such (the connection's error, or fewer bytes than Content-Length).
 */
async function streamToBinary(
	this: NexthinkContext,
	stream: Required<BodyStream>,
	headers: IDataObject,
	fileName: string,
): Promise<{ binary: IBinaryData; compression: Compression; bytes: number }> {
	const announced = Number(headerValue(headers, 'content-length'));
	const expectedBytes = Number.isFinite(announced) ? announced : undefined;
	const head = await peek(stream);
	const compression = compressionOf(head);
	const stored = await (this as IExecuteFunctions).helpers
		.prepareBinaryData(
			// An empty body has ended already: there is no stream left to read.
			head.length === 0 ? head : (stream as unknown as Buffer),
			fileName,
			MIME_TYPES[compression],
		)
		.then(
			(binary) => ({ binary }),
			(error: unknown) => ({ code: (error as { code?: string } | undefined)?.code }),
		);
	if (!('binary' in stored)) {
		throw new TransportFailure(
			{ networkCode: stored.code ?? 'ECONNRESET', cutOff: { expectedBytes } },
			headers,
		);
	}
	const { binary } = stored;
	const bytes = typeof binary.bytes === 'number' ? binary.bytes : expectedBytes;
	if (expectedBytes !== undefined && bytes !== undefined && bytes < expectedBytes) {
		throw new TransportFailure(
			{ networkCode: 'ECONNRESET', cutOff: { receivedBytes: bytes, expectedBytes } },
			headers,
		);
	}
	return { binary, compression, bytes: bytes ?? 0 };
}

/** Error bodies are read this far, at most. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * Reads a streamed body, counting what arrives: a connection that breaks mid-body, or a body
 * shorter than its Content-Length, fails as cut off (with the bytes received); a body that stops
 * flowing for `timeoutMs` fails as a time-out. One timer per download, never one per chunk.
 */
async function readStream(
	stream: BodyStream | Buffer | ArrayBuffer | string,
	headers: IDataObject,
	timeoutMs: number,
	limit = Infinity,
): Promise<Buffer> {
	// A helper that buffered the body after all (older n8n, a test double) hands it over whole.
	if (Buffer.isBuffer(stream)) return stream;
	if (typeof stream === 'string') return Buffer.from(stream, 'utf8');
	if (stream instanceof ArrayBuffer) return Buffer.from(stream);
	const announced = Number(headerValue(headers, 'content-length'));
	const expectedBytes = Number.isFinite(announced) ? announced : undefined;
	const chunks: Buffer[] = [];
	let receivedBytes = 0;
	let lastData = Date.now();
	let stalled = false;
	const done = new AbortController();
	const watchdog = async () => {
		while (!done.signal.aborted) {
			const idle = Date.now() - lastData;
			if (idle >= timeoutMs) {
				stalled = true;
				stream.destroy?.(new Error('The download stalled'));
				return;
			}
			// n8n-workflow 2.x's sleep clears its timer on abort; 1.x's ignores the signal.
			await (sleep as (ms: number, signal?: AbortSignal) => Promise<void>)(
				timeoutMs - idle,
				done.signal,
			);
		}
	};
	void watchdog().catch(() => undefined);
	let broken: { code?: string } | undefined;
	try {
		for await (const chunk of stream) {
			const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			chunks.push(buffer);
			receivedBytes += buffer.length;
			lastData = Date.now();
			if (receivedBytes >= limit) {
				stream.destroy?.();
				break;
			}
		}
	} catch (error) {
		broken = (error ?? {}) as { code?: string };
		// The HTTP client destroys a socket idle for its time-out (with redirects followed) before
		// the watchdog sees it: a break after that long a silence is the time-out too.
		if (Date.now() - lastData >= timeoutMs * 0.9) stalled = true;
	} finally {
		done.abort();
	}
	if (stalled) {
		throw new TransportFailure(
			{ networkCode: 'ETIMEDOUT', timedOut: true, cutOff: { receivedBytes, expectedBytes } },
			headers,
		);
	}
	const short = limit === Infinity && expectedBytes !== undefined && receivedBytes < expectedBytes;
	if (broken || short) {
		throw new TransportFailure(
			{
				networkCode: broken?.code ?? 'ECONNRESET',
				cutOff: { receivedBytes, expectedBytes },
			},
			headers,
		);
	}
	return Buffer.concat(chunks, receivedBytes);
}

/**
 * Fetches a presigned results link with n8n's plain request helper: no credential, so the
 * Nexthink token never reaches the file host (which would refuse it anyway). The download is
 * read-only, so a time-out or a body cut off mid-way is tried again; a cancel aborts it at once.
 */
export async function downloadPresigned(
	this: NexthinkContext,
	link: string,
	itemIndex?: number,
	options: { timeoutMs?: number; asBinary?: boolean } = {},
): Promise<DownloadedFile> {
	let url: URL;
	try {
		url = new URL(link);
	} catch {
		url = new URL('invalid:');
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new NodeOperationError(
			this.getNode(),
			`Results File URL: "${shorten(link)}" is not an http(s) link`,
			{
				itemIndex,
				description: 'Use the resultsFileUrl of a completed export, from NQL > Get Export Status.',
			},
		);
	}
	const timeoutMs = options.timeoutMs ?? userTimeoutMs(this) ?? DOWNLOAD_TIMEOUT_MS;
	const fileName = fileNameOf(url);
	const response = await withRetries<RawResponse & { file?: DownloadedFile }>(
		this,
		RETRY_DEFAULTS,
		{
			operation: 'NQL Download Export',
			domain: 'nql',
			triggersAction: false,
			itemIndex,
			timeoutMs,
		},
		async () => {
			const answer = (await withRequestSignal(
				this,
				async (_view, signal) =>
					await this.helpers.httpRequest({
						method: 'GET',
						url: url.href,
						// A stream, to count what arrives: a body cut off is told apart from a whole one.
						encoding: 'stream',
						returnFullResponse: true,
						ignoreHttpStatusErrors: true,
						headers: { Accept: '*/*' },
						timeout: timeoutMs,
						abortSignal: signal,
					}),
			)) as RawResponse;
			const headers = answer.headers ?? {};
			const ok = answer.statusCode >= 200 && answer.statusCode < 300;
			const stream = answer.body as BodyStream;
			const contentType = headerValue(headers, 'content-type');
			if (ok && options.asBinary && canStream(stream)) {
				const stored = await streamToBinary.call(this, stream, headers, fileName);
				return { ...answer, file: { fileName, contentType, ...stored } };
			}
			if (ok) {
				const data = await readStream(stream, headers, timeoutMs);
				const file = { fileName, contentType, data, bytes: data.length };
				return { ...answer, file: { ...file, compression: compressionOf(data) } };
			}
			// An error answer: its first bytes are enough to tell what it says.
			const body = await readStream(stream, headers, timeoutMs, MAX_ERROR_BODY_BYTES).catch(() =>
				Buffer.alloc(0),
			);
			throw new TransportFailure(
				{
					status: answer.statusCode,
					data: body,
					contentType: headerValue(headers, 'content-type'),
				},
				headers,
			);
		},
		(failure, context) => downloadError.call(this, failure, context),
	);
	return response.file as DownloadedFile;
}
