import {
	NodeApiError,
	type IDataObject,
	type INode,
	type JsonObject,
	type JsonValue,
} from 'n8n-workflow';

import { shorten } from '../shared/text';
import { seconds } from './retry';

export { isCancellation } from './cancel';

/** The Nexthink API a call belongs to: each needs its own permission on the API credential. */
export type NexthinkDomain =
	| 'nql'
	| 'workflows'
	| 'remoteActions'
	| 'campaigns'
	| 'enrichment'
	| 'dataManagement'
	| 'spark';

const PERMISSION: Record<NexthinkDomain, string> = {
	nql: 'NQL API',
	workflows: 'Workflows API',
	remoteActions: 'Remote Actions API',
	campaigns: 'Campaigns API',
	enrichment: 'Enrichment API',
	dataManagement: 'Data management',
	spark: 'Spark API',
};

/** The longest stretch of Nexthink's own message (or a file host's) that a message quotes. */
const MAX_NEXTHINK_MESSAGE = 300;

/**
 * Removes what must never be shown, wherever it comes from (an error body, a proxy's page that
 * echoes the request): Bearer and Basic credentials, values of Authorization, Cookie and similar
 * headers, OAuth tokens and secrets, and anything shaped like a JWT.
 */
export function redact(text: string): string {
	return text
		.replace(
			/\b(proxy-authorization|authorization|set-cookie|cookie|x-api-key|x-amz-security-token)(["']?\s*[:=]\s*["']?)[^\r\n"'<&]*/gi,
			'$1$2[redacted]',
		)
		.replace(/\b(Bearer|Basic)\s+(?=\S*[0-9+/=._~-])[A-Za-z0-9\-._~+/]{8,}=*/gi, '$1 [redacted]')
		.replace(
			/\b(access_token|refresh_token|id_token|client_secret|password)(["']?\s*[:=]\s*["']?)[^"'&\s,;<]+/gi,
			'$1$2[redacted]',
		)
		.replace(/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[redacted]');
}

/** Nexthink's (or a host's) words as messages quote them: redacted, then shortened. */
export const quote = (text: string, max = MAX_NEXTHINK_MESSAGE) => shorten(redact(text), max);

function redactDeep(value: unknown): JsonValue {
	if (typeof value === 'string') return quote(value);
	if (Array.isArray(value)) return value.map(redactDeep);
	if (value && typeof value === 'object') {
		const out: JsonObject = {};
		for (const [key, entry] of Object.entries(value)) out[key] = redactDeep(entry);
		return out;
	}
	return (value ?? null) as JsonValue;
}

/** What Nexthink said, whatever the domain's error shape (docs/nexthink-api.md §2–6, §9.2). */
interface NexthinkErrorBody {
	code?: string;
	message?: string;
	source?: string;
	/** Enrichment 400 with per-object errors. */
	objectErrors?: IDataObject[];
	/**
	 * A body that is not JSON (a proxy's HTML page, plain text, XML): never quoted, only
	 * described (the page's title at most), since such pages can echo request headers.
	 */
	notJson?: { kind: 'html' | 'xml' | 'text'; title?: string; characters: number };
	raw?: unknown;
}

export function parseBody(data: unknown): unknown {
	if (typeof data === 'string') {
		const text = data.trim();
		if (!text) return undefined;
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	}
	if (data instanceof ArrayBuffer) return parseBody(Buffer.from(data).toString('utf8'));
	if (Buffer.isBuffer(data)) return parseBody(data.toString('utf8'));
	return data;
}

/** What a non-JSON body is, without its content: HTML (with its title), XML or text. */
export function describeText(text: string): NonNullable<NexthinkErrorBody['notJson']> {
	const characters = text.length;
	if (/<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]|<title[\s>]/i.test(text)) {
		const title = /<title[^>]*>([^<]*)<\/title>/i
			.exec(text)?.[1]
			?.replace(/&lt;/g, '<')
			.replace(/&gt;/g, '>')
			.replace(/&quot;/g, '"')
			.replace(/&#39;/g, "'")
			.replace(/&amp;/g, '&')
			.replace(/\s+/g, ' ')
			.trim();
		return { kind: 'html', ...(title ? { title: quote(title, 80) } : {}), characters };
	}
	if (/^\s*<(\?xml|[A-Za-z][\w:-]*[\s>])/.test(text)) return { kind: 'xml', characters };
	return { kind: 'text', characters };
}

/** The words for a non-JSON body: "an HTML page, likely from a proxy or gateway (title …)". */
export function notJsonWords(notJson: NonNullable<NexthinkErrorBody['notJson']>): string {
	const size = `${notJson.characters.toLocaleString('en-US')} characters`;
	if (notJson.kind === 'html')
		return `an HTML page, likely from a proxy or gateway${notJson.title ? ` (title "${notJson.title}")` : ''}`;
	if (notJson.kind === 'xml') return `an XML document (${size}), not Nexthink's JSON`;
	return `plain text (${size}), not Nexthink's JSON`;
}

const NOT_JSON_HINT =
	" The answer is not shown (such pages can repeat request headers, the token included). An HTML page instead of Nexthink's JSON usually means that a proxy or gateway between n8n and Nexthink answered, or that the API Base URL points elsewhere: check both.";

/**
 * Reads every documented error shape: NQL `{message, code:int, source}`, campaigns / remote
 * actions `{code, message}`, workflows `{code, details}`, enrichment `{message, code}` or
 * `{status:'error', errors:[…]}`, Okta `{error, error_description}`. Messages are redacted and
 * shortened; a body that is not JSON is only described (`notJson`), never quoted.
 */
export function readNexthinkError(data: unknown): NexthinkErrorBody {
	const body = parseBody(data);
	if (body === undefined || body === null) return {};
	if (typeof body === 'string') return { notJson: describeText(body), raw: body };
	if (typeof body !== 'object' || Array.isArray(body)) return { raw: body };
	const object = body as IDataObject;
	const text = (value: unknown) =>
		typeof value === 'string' && value.trim() ? quote(value.trim()) : undefined;
	const code =
		object.code === undefined || object.code === null
			? text(object.error)
			: quote(String(object.code), 80);
	const message =
		text(object.message) ??
		text(object.details) ??
		text(object.error_description) ??
		text(object.errorDescription);
	const result: NexthinkErrorBody = { code, message, source: text(object.source), raw: body };
	if (object.status === 'error' && Array.isArray(object.errors)) {
		result.objectErrors = redactDeep(object.errors) as IDataObject[];
		if (!result.message) {
			const first = (result.objectErrors[0] as IDataObject | undefined)?.errors as
				| IDataObject[]
				| undefined;
			const firstMessage = first?.[0]?.message;
			result.message = quote(
				`every entry was rejected (${object.errors.length})${firstMessage ? `; first: ${String(firstMessage)}` : ''}`,
			);
			result.code = result.code ?? (first?.[0]?.code as string | undefined);
		}
	}
	return result;
}

/**
 * Where a 400 points, for the call that knows its fields: the node field that carries what
 * Nexthink's code or message names, the first match in `named` (for example a missing NQL
 * parameter: Query Parameters), else `otherwise`, the fields that make up the request.
 */
export interface BadRequestFields {
	/** Nexthink's words (code, then message) that name a part of the request, and the fix in the field that carries it. */
	named?: Array<[words: RegExp, fix: string]>;
	otherwise: string;
}

/** For a call that names no fields of its own. */
const BAD_REQUEST_FIX =
	"Nexthink's message above says what it refused: correct the field of this node that carries it and run again.";

/** The fix of a 400: the field that carries what Nexthink refused, as the call knows its fields. */
function badRequestFix(body: NexthinkErrorBody, fields?: BadRequestFields): string {
	if (!fields) return BAD_REQUEST_FIX;
	const said = [body.code, body.message].filter(Boolean).join(' ');
	return fields.named?.find(([words]) => words.test(said))?.[1] ?? fields.otherwise;
}

export interface FailureContext {
	/** "NQL Execute", "Remote Action Execute"… */
	operation: string;
	domain: NexthinkDomain;
	/** Said on 404: what was not found and where to look. */
	notFoundHint?: string;
	/** Said on 403 instead of the domain's permission to tick, where a call needs more (a JWT permission, a feature). */
	forbiddenHint?: string;
	/** Said on 400: which field of the node carries what Nexthink refused. */
	badRequest?: BadRequestFields;
	/** True for calls that trigger something in Nexthink: no automatic retry after 5xx or timeouts. */
	triggersAction: boolean;
	itemIndex?: number;
	retries?: number;
	waitedMs?: number;
	/** The time-out of one try, for the message of a time-out. */
	timeoutMs?: number;
	/** The Accept header the call sent, for the message of a 406. */
	accept?: string;
}

export interface HttpFailure {
	status?: number;
	data?: unknown;
	/** The answer's Content-Type, where there was an answer. */
	contentType?: string;
	networkCode?: string;
	/** The try took longer than its time-out. */
	timedOut?: boolean;
	/** The answer's headers came, then the connection broke before the whole body did. */
	cutOff?: { receivedBytes?: number; expectedBytes?: number };
	/** The credential could not get a token; the text says why, without secrets. */
	tokenError?: string;
	/** A 2xx answer whose body was not the JSON the call expects. */
	malformed?: boolean;
}

/** Network errors raised before a request could leave (no connection, no TLS): nothing was sent. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
	'EADDRNOTAVAIL',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'ERR_INVALID_URL',
]);

/**
 * Whether Nexthink may have processed a request that failed this way: true after 5xx, time-outs,
 * answers cut off or malformed, and network errors once the request may have left; false for
 * answers that mean "refused, nothing done" (4xx: 400, 401, 403, 404, 406, 429…), token errors,
 * and network errors raised before sending.
 */
export function failureMayHaveBeenProcessed(failure: HttpFailure): boolean {
	if (failure.tokenError) return false;
	if (failure.malformed || failure.cutOff || failure.timedOut) return true;
	if (failure.status !== undefined) return failure.status >= 500;
	return !NOT_SENT_CODES.has(failure.networkCode ?? '');
}

/**
 * For the execution engine: whether Nexthink may have processed (accepted, run) the request an
 * error stands for, so that it can tell the user what may have run. Reads the
 * `context.mayHaveBeenProcessed` every transport error carries (a cancel while the request was in
 * flight counts as "may have been processed"); for other errors: a NodeApiError without an HTTP
 * status or with a 5xx may have been processed, anything else (bad input, 4xx) was not.
 */
export function mayHaveBeenProcessed(error: unknown): boolean {
	let current = error as { context?: IDataObject; cause?: unknown } | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		const flag = current.context?.mayHaveBeenProcessed;
		if (typeof flag === 'boolean') return flag;
		current = current.cause as typeof current;
	}
	if (!(error instanceof NodeApiError)) return false;
	const status = Number(error.httpCode);
	return !status || status >= 500;
}

/** The same question, by the name the engine asks it: "was it sent (and maybe processed)?" */
export const wasSent = mayHaveBeenProcessed;

/**
 * "Message [CODE]", with Nexthink's code only when it adds something (NQL's code is the HTTP
 * status, already in the base); a body that is not JSON is described, never quoted.
 */
function withNexthinkWords(base: string, body: NexthinkErrorBody, status?: number): string {
	if (body.notJson) return `${base}: the answer was ${notJsonWords(body.notJson)}`;
	const code =
		body.code && body.code !== String(status) && !body.message?.includes(body.code)
			? ` [${body.code}]`
			: '';
	if (!body.message && !code) return base;
	return `${base}: ${body.message ?? 'no message'}${code}`;
}

const triedAgain = (context: FailureContext) =>
	`Retried ${context.retries ?? 0} time${context.retries === 1 ? '' : 's'}.`;

/**
 * The one way the node builds a NodeApiError: what happened (`message`, kept as written: n8n
 * would replace one that names a network code), how to fix it, and the structured part
 * (`response`: Nexthink's code, message, IDs) that error items and error workflows read.
 */
export function nexthinkError(
	node: INode,
	parts: {
		message: string;
		description?: string;
		response?: JsonObject;
		httpCode?: string | number;
		itemIndex?: number;
	},
): NodeApiError {
	const httpCode =
		parts.httpCode === undefined || parts.httpCode === '' ? undefined : String(parts.httpCode);
	const error = new NodeApiError(node, parts.response ?? {}, {
		message: parts.message,
		description: parts.description,
		httpCode,
		itemIndex: parts.itemIndex,
	});
	error.message = parts.message;
	return error;
}

/** Builds the NodeApiError for a failed call: what happened, Nexthink's own words, what to change. */
export function nexthinkApiError(
	node: INode,
	failure: HttpFailure,
	context: FailureContext,
): NodeApiError {
	const body: NexthinkErrorBody = failure.malformed
		? { notJson: describeText(String(parseBody(failure.data) ?? '')) }
		: readNexthinkError(failure.data);
	const status = failure.status;
	const op = context.operation;
	const notRepeated =
		'It may have been processed, so it was not repeated automatically (there is no idempotency key). Check in Nexthink whether it ran before running it again.';
	let message: string;
	let description: string;

	if (failure.tokenError) {
		message = failure.tokenError;
		description =
			'Open the Nexthink credential and correct it; its Test button checks it against Nexthink.';
	} else if (failure.malformed) {
		message = `Nexthink answered ${op} with a body that is not valid JSON`;
		if (body.notJson?.kind === 'html') message += `: ${notJsonWords(body.notJson)}`;
		description = context.triggersAction
			? `A proxy or gateway between n8n and Nexthink may have replaced the answer. ${notRepeated}`
			: 'A proxy or gateway between n8n and Nexthink may have replaced the answer. Try again; if it persists, check the API Base URL.';
	} else if (failure.timedOut) {
		message = `Nexthink did not answer ${op} within ${seconds(context.timeoutMs ?? 0)}`;
		description = context.triggersAction
			? `${notRepeated} If Nexthink is often this slow, raise the time-out.`
			: `${triedAgain(context)} Try again later, or raise the time-out if Nexthink is often this slow.`;
	} else if (failure.cutOff) {
		const { receivedBytes, expectedBytes } = failure.cutOff;
		const size = (count: number) => `${count.toLocaleString('en-US')} bytes`;
		const where =
			receivedBytes === undefined
				? expectedBytes === undefined
					? ''
					: ` before its end (${size(expectedBytes)} announced)`
				: ` after ${size(receivedBytes)}${expectedBytes === undefined ? '' : ` of ${expectedBytes.toLocaleString('en-US')}`}`;
		message = `Nexthink's answer to ${op} was cut off${where}`;
		description = context.triggersAction
			? notRepeated
			: `${triedAgain(context)} The connection broke while the answer arrived. Try again; if it persists, check any proxy between n8n and Nexthink.`;
	} else if (status === undefined) {
		const code = failure.networkCode ?? 'network error';
		message = `Could not reach Nexthink for ${op} (${code})`;
		description = context.triggersAction
			? 'The request may or may not have reached Nexthink, so it was not repeated automatically (there is no idempotency key). Check in Nexthink whether it ran before running it again; check the API Base URL, instance and region, and any proxy.'
			: 'Check the API Base URL, instance and region of the credential, and any proxy between n8n and Nexthink.';
	} else if (status === 400) {
		message = withNexthinkWords(`Nexthink rejected ${op} (400)`, body, status);
		description = badRequestFix(body, context.badRequest);
	} else if (status === 401) {
		message = `Nexthink did not accept the credential's token for ${op} (401)`;
		description =
			'The token was renewed once and still refused. Check that the API Base URL belongs to the same instance and region as the token endpoint.';
	} else if (status === 403) {
		message = withNexthinkWords(`Permission missing for ${op} (403)`, body, status);
		description =
			context.forbiddenHint ??
			`Tick "${PERMISSION[context.domain]}" on the API credential under Administration > API credentials, and check that the object is enabled for API use.`;
	} else if (status === 404) {
		message = withNexthinkWords(`Not found in Nexthink: ${op} (404)`, body, status);
		description =
			context.notFoundHint ??
			'Check the ID: Nexthink has no object with it, or it is not enabled for API use.';
	} else if (status === 406) {
		const accept = context.accept ?? 'application/json';
		message = `Nexthink does not serve ${op} as "${shorten(accept)}" (406 Not Acceptable)`;
		description = `The node asked for Accept: ${shorten(accept)}, a format this endpoint does not answer in (NQL Execute serves application/json and text/csv only). Pick an output the operation offers (rows or CSV file); if a proxy between n8n and Nexthink rewrites the Accept header, exempt the Nexthink API from it.`;
	} else if (status === 429) {
		const waited = context.waitedMs
			? ` after waiting ${Math.round(context.waitedMs / 1000)} s`
			: '';
		message = withNexthinkWords(`Nexthink is throttling requests for ${op} (429)`, body, status);
		description = `Nexthink still refused${waited} (${context.retries ?? 0} retries, as Retry-After asked). Run again later, lower the node's concurrency, or ask less often (the export status call has a daily limit).`;
	} else if (status >= 500) {
		message = withNexthinkWords(`Nexthink failed to process ${op} (${status})`, body, status);
		description = context.triggersAction
			? 'The request was not retried automatically: it may have been processed (there is no idempotency key). Check in Nexthink whether it ran before running it again.'
			: `${triedAgain(context)} Try again later; if it persists, contact Nexthink support with the time of the call.`;
	} else {
		message = withNexthinkWords(`Nexthink answered ${op} with HTTP ${status}`, body, status);
		description = 'See the response for details.';
	}
	if (body.notJson && !failure.malformed && status !== undefined) description += NOT_JSON_HINT;
	message = redact(message);
	description = redact(description);

	const errorResponse: JsonObject = {
		httpCode: status === undefined ? '' : String(status),
		// NQL's code is the HTTP status again: kept once, as httpCode.
		...(body.code && body.code !== String(status) ? { nexthinkCode: body.code } : {}),
		...(body.message ? { nexthinkMessage: body.message } : {}),
		...(body.source ? { nexthinkSource: body.source } : {}),
		...(body.objectErrors ? { nexthinkErrors: body.objectErrors as JsonObject[] } : {}),
		...(body.notJson
			? { answer: notJsonWords(body.notJson), answerCharacters: body.notJson.characters }
			: {}),
	};
	const error = nexthinkError(node, {
		message,
		description,
		response: errorResponse,
		httpCode: status,
		itemIndex: context.itemIndex,
	});
	error.context.mayHaveBeenProcessed = failureMayHaveBeenProcessed(failure);
	return error;
}
