/**
 * Error answers in each domain's documented shape (docs/nexthink-api.md §1–7):
 * NQL `{message, code:int, source}`; workflows `{code, details}`; remote actions, campaigns and
 * data management `{code, message}`; enrichment `{message, code:"ENRICH_xxx"}` / 403 `{message}`;
 * Spark `{message}`; the login host Okta's `{error, error_description}`; the files host S3's XML.
 * Where the docs declare no body (401s, 404/406 on NQL, 503s) the answer has none.
 *
 * Codes the sources document are sent as they are (`INVALID_CAMPAIGN_TRIGGER_TYPE`, `ENRICH_001`,
 * the data management codes). Where they are silent the code is the simulator's own and says so:
 * `SIMULATOR_<NAME>` (`ownCode`); NQL's integer codes cannot, so an NQL answer with a status
 * the NQL API does not declare has `source: "simulator"`. README.md lists each such choice.
 */
import { randomBytes } from 'node:crypto';

import { sendEmpty, sendJson, sendRaw, type RequestContext } from './http';
import type { EndpointKey } from './types';

export type Domain =
	| 'token'
	| 'legacyToken'
	| 'nql'
	| 'campaigns'
	| 'enrichment'
	| 'remoteActions'
	| 'workflows'
	| 'dataManagement'
	| 'spark'
	| 'files';

export function domainOf(endpoint: EndpointKey): Domain {
	if (endpoint === 'token' || endpoint === 'legacyToken') return endpoint;
	if (endpoint === 'nql.download') return 'files';
	const prefix = endpoint.split('.')[0];
	const map: Record<string, Domain> = {
		nql: 'nql',
		campaign: 'campaigns',
		enrichment: 'enrichment',
		remoteAction: 'remoteActions',
		workflow: 'workflows',
		dataManagement: 'dataManagement',
		spark: 'spark',
	};
	return map[prefix];
}

const DEFAULT_MESSAGES: Record<number, string> = {
	400: 'Bad request - Invalid request.',
	401: 'Unauthorized - No valid authentication credentials.',
	403: 'Forbidden - No permission for this operation.',
	404: 'Not found.',
	405: 'Method not allowed.',
	406: 'Not Acceptable.',
	409: 'Conflict.',
	413: 'Payload too large.',
	415: 'Unsupported media type.',
	429: 'Too many requests.',
	500: 'Internal server error.',
	502: 'Bad gateway.',
	503: 'Service unavailable.',
	504: 'Gateway timeout.',
};

/** A code no source documents, marked as the simulator's: `SIMULATOR_<name>`. */
export const ownCode = (name: string): string => `SIMULATOR_${name}`;

/** Default codes by status for the domains with string codes and no documented code for it. */
const CODES: Record<number, string> = {
	400: ownCode('BAD_REQUEST'),
	401: ownCode('UNAUTHORIZED'),
	403: ownCode('FORBIDDEN'),
	404: ownCode('NOT_FOUND'),
	405: ownCode('METHOD_NOT_ALLOWED'),
	409: ownCode('CONFLICT'),
	413: ownCode('PAYLOAD_TOO_LARGE'),
	415: ownCode('UNSUPPORTED_MEDIA_TYPE'),
	500: ownCode('INTERNAL_ERROR'),
};
const fallbackCode = (status: number) => CODES[status] ?? ownCode(`HTTP_${status}`);

/** The statuses the NQL API declares (§2.2–2.5); any other NQL answer is the simulator's reading. */
const NQL_STATUSES = new Set([200, 206, 401, 403, 404, 406, 429, 500, 503]);

const S3_CODES: Record<number, [string, string]> = {
	400: ['InvalidRequest', 'Invalid request.'],
	403: ['AccessDenied', 'Access Denied'],
	404: ['NoSuchKey', 'The specified key does not exist.'],
	405: ['MethodNotAllowed', 'The specified method is not allowed against this resource.'],
	429: ['SlowDown', 'Please reduce your request rate.'],
	500: ['InternalError', 'We encountered an internal error. Please try again.'],
	503: ['SlowDown', 'Please reduce your request rate.'],
};

const xmlEscape = (s: string) =>
	s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An S3 error document. `extra` adds elements such as `<ArgumentName>`. */
export function s3ErrorXml(
	code: string,
	message: string,
	extra: Record<string, string> = {},
): string {
	const fields = Object.entries(extra)
		.map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
		.join('');
	const requestId = randomBytes(8).toString('hex').toUpperCase();
	const hostId = randomBytes(32).toString('base64');
	return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${fields}<RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`;
}

export function sendS3Error(
	ctx: RequestContext,
	status: number,
	code?: string,
	message?: string,
	extra?: Record<string, string>,
	headers: Record<string, string> = {},
): void {
	const [defaultCode, defaultMessage] = S3_CODES[status] ?? [
		'InternalError',
		DEFAULT_MESSAGES[status] ?? 'Error',
	];
	sendRaw(ctx, status, s3ErrorXml(code ?? defaultCode, message ?? defaultMessage, extra), {
		'Content-Type': 'application/xml',
		...headers,
	});
}

const OAUTH_ERRORS: Record<number, string> = {
	400: 'invalid_request',
	401: 'invalid_client',
	403: 'access_denied',
	500: 'server_error',
	503: 'temporarily_unavailable',
};

/** The documented body for `status` in `domain`, or undefined when the docs declare none. */
export function errorBody(
	domain: Domain,
	status: number,
	message?: string,
	code?: string,
): unknown {
	const text = message ?? DEFAULT_MESSAGES[status] ?? `HTTP ${status}`;
	const noBody = status === 401 || status === 429 || status >= 502;
	switch (domain) {
		case 'token':
			if (status === 429) {
				return {
					errorCode: 'E0000047',
					errorSummary: 'API call exceeded rate limit due to too many requests.',
					errorLink: 'E0000047',
					errorId: randomBytes(10).toString('hex'),
					errorCauses: [],
				};
			}
			return { error: code ?? OAUTH_ERRORS[status] ?? 'server_error', error_description: text };
		case 'legacyToken':
			return undefined;
		case 'nql':
			if (noBody || status === 404 || status === 406) return undefined;
			return {
				message:
					status === 403 && !message ? 'No permission - Not authorized to execute queries.' : text,
				code: status,
				source: NQL_STATUSES.has(status) ? 'nql-api' : 'simulator',
			};
		case 'campaigns':
			if (status === 429 || status >= 502) return undefined;
			return {
				code: code ?? fallbackCode(status),
				message: text,
			};
		case 'enrichment':
			if (noBody) return undefined;
			if (status === 403) return { message: 'Forbidden' };
			return {
				message: text,
				code: code ?? (status === 400 ? 'ENRICH_001' : fallbackCode(status)),
			};
		case 'workflows':
			if (noBody) return undefined;
			return { code: code ?? fallbackCode(status), details: text };
		case 'remoteActions':
			if (noBody) return undefined;
			return { code: code ?? fallbackCode(status), message: text };
		case 'dataManagement':
			if (noBody) return undefined;
			return {
				code:
					code ??
					(status === 403
						? 'FEATURE_NOT_ENABLED'
						: status === 400
							? 'INVALID_REQUEST'
							: status === 500
								? 'INTERNAL_ERROR'
								: fallbackCode(status)),
				message: text,
			};
		case 'spark':
			if (status === 403 || status === 404) return { message: text };
			return undefined;
		case 'files':
			return undefined;
	}
}

/** Answers `status` with the domain's documented body (none where the docs declare none). */
export function sendError(
	ctx: RequestContext,
	domain: Domain,
	status: number,
	message?: string,
	code?: string,
	headers: Record<string, string | number> = {},
): void {
	if (domain === 'files') {
		sendS3Error(ctx, status, code, message);
		return;
	}
	const body = errorBody(domain, status, message, code);
	const extra: Record<string, string | number> = { ...headers };
	if (domain === 'token') Object.assign(extra, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
	if (body === undefined) sendEmpty(ctx, status, extra);
	else sendJson(ctx, status, body, extra);
}
