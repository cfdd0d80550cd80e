import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import type { FailureContext, HttpFailure } from './errors';
import { RETRY_DEFAULTS } from './retry';
import { withRetries, type NexthinkContext, type RawResponse } from './request';

export interface DownloadedFile {
	data: Buffer;
	fileName: string;
	contentType?: string;
}

/** S3 answers errors in XML: `<Error><Code>AccessDenied</Code><Message>Request has expired</Message>…`. */
function readS3Error(data: unknown): { code?: string; message?: string } {
	const text = Buffer.isBuffer(data)
		? data.toString('utf8')
		: data instanceof ArrayBuffer
			? Buffer.from(data).toString('utf8')
			: typeof data === 'string'
				? data
				: '';
	const tag = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1];
	return { code: tag('Code'), message: tag('Message') };
}

/** Marks the error of a presigned link that is no longer valid, so callers can ask for a fresh one. */
export function isExpiredLinkError(error: unknown): boolean {
	return error instanceof NodeApiError && (error.context as IDataObject).linkExpired === true;
}

function downloadError(
	this: NexthinkContext,
	failure: HttpFailure,
	context: FailureContext,
): NodeApiError {
	const s3 = readS3Error(failure.data);
	let message: string;
	let description: string;
	let linkExpired = false;
	if (failure.status === 403 && /expired/i.test(s3.message ?? '')) {
		linkExpired = true;
		message = 'The export results link has expired';
		description =
			'Nexthink results links are valid for 15 minutes. Ask for the status again (NQL > Get Export Status) for a fresh link, or download by export ID: the node then asks for a fresh link itself.';
	} else if (failure.status === 403 || failure.status === 400) {
		message = `The export file host refused the download (${failure.status}${s3.code ? ` ${s3.code}` : ''}): ${s3.message ?? 'no message'}`;
		description =
			'Use the resultsFileUrl exactly as Nexthink returned it (it is signed), or download by export ID.';
	} else if (failure.status === 404) {
		message = `The export file no longer exists (404${s3.code ? ` ${s3.code}` : ''})`;
		description = 'Run the export again.';
	} else if (failure.status !== undefined) {
		message = `The export file host answered HTTP ${failure.status}${s3.message ? `: ${s3.message}` : ''}`;
		description = `Retried ${context.retries ?? 0} times. Try again later.`;
	} else {
		message = `Could not reach the export file host (${failure.networkCode ?? 'network error'})`;
		description = 'Check that n8n may reach the results link (proxy, firewall), then try again.';
	}
	const error = new NodeApiError(
		this.getNode(),
		{
			httpCode: failure.status === undefined ? '' : String(failure.status),
			...(s3.code ? { s3Code: s3.code } : {}),
		},
		{
			message,
			description,
			httpCode: failure.status === undefined ? undefined : String(failure.status),
			itemIndex: context.itemIndex,
		},
	);
	error.message = message;
	if (linkExpired) error.context.linkExpired = true;
	return error;
}

function fileNameOf(url: URL): string {
	const last = decodeURIComponent(url.pathname.split('/').filter(Boolean).pop() ?? '');
	return last || 'nql-export.csv';
}

/**
 * Fetches a presigned results link with n8n's plain request helper: no credential, so the
 * Nexthink token never reaches the file host (which would refuse it anyway).
 */
export async function downloadPresigned(
	this: NexthinkContext,
	link: string,
	itemIndex?: number,
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
			`Results File URL: "${link}" is not an http(s) link`,
			{
				itemIndex,
				description: 'Use the resultsFileUrl of a completed export, from NQL > Get Export Status.',
			},
		);
	}
	const retrying = withRetries<RawResponse>;
	const response = await retrying.call(
		this,
		RETRY_DEFAULTS,
		{ operation: 'NQL Download Export', domain: 'nql', triggersAction: false, itemIndex },
		async () =>
			(await this.helpers.httpRequest({
				method: 'GET',
				url: url.href,
				encoding: 'arraybuffer',
				returnFullResponse: true,
				headers: { Accept: '*/*' },
			})) as RawResponse,
		(failure, context) => downloadError.call(this, failure, context),
	);
	const body = response.body;
	const data = Buffer.isBuffer(body)
		? body
		: body instanceof ArrayBuffer
			? Buffer.from(body)
			: Buffer.from(String(body ?? ''), 'utf8');
	const contentType = Object.entries(response.headers ?? {}).find(
		([key]) => key.toLowerCase() === 'content-type',
	)?.[1];
	return {
		data,
		fileName: fileNameOf(url),
		contentType: contentType === undefined ? undefined : String(contentType),
	};
}
