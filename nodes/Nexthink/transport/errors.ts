import { NodeApiError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

/** The Nexthink API a call belongs to: each needs its own permission on the API credential. */
export type NexthinkDomain = 'nql' | 'workflows' | 'remoteActions' | 'campaigns' | 'enrichment';

const PERMISSION: Record<NexthinkDomain, string> = {
	nql: 'NQL API',
	workflows: 'Workflows API',
	remoteActions: 'Remote Actions API',
	campaigns: 'Campaigns API',
	enrichment: 'Enrichment API',
};

/** What Nexthink said, whatever the domain's error shape (NEXTHINK-API.md §2–6, §9.2). */
export interface NexthinkErrorBody {
	code?: string;
	message?: string;
	source?: string;
	/** Enrichment 400 with per-object errors. */
	objectErrors?: IDataObject[];
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

/**
 * Reads every documented error shape: NQL `{message, code:int, source}`, campaigns / remote
 * actions `{code, message}`, workflows `{code, details}`, enrichment `{message, code}` or
 * `{status:'error', errors:[…]}`, Okta `{error, error_description}`, and plain text.
 */
export function readNexthinkError(data: unknown): NexthinkErrorBody {
	const body = parseBody(data);
	if (body === undefined || body === null) return {};
	if (typeof body === 'string')
		return { message: body.length > 500 ? `${body.slice(0, 500)}…` : body, raw: body };
	if (typeof body !== 'object' || Array.isArray(body)) return { raw: body };
	const object = body as IDataObject;
	const text = (value: unknown) =>
		typeof value === 'string' && value.trim() ? value.trim() : undefined;
	const code =
		object.code === undefined || object.code === null ? text(object.error) : String(object.code);
	const message =
		text(object.message) ??
		text(object.details) ??
		text(object.error_description) ??
		text(object.errorDescription);
	const result: NexthinkErrorBody = { code, message, source: text(object.source), raw: body };
	if (object.status === 'error' && Array.isArray(object.errors)) {
		result.objectErrors = object.errors as IDataObject[];
		if (!result.message) {
			const first = (object.errors[0] as IDataObject | undefined)?.errors as
				| IDataObject[]
				| undefined;
			const firstMessage = first?.[0]?.message;
			result.message = `every entry was rejected (${object.errors.length})${firstMessage ? `; first: ${String(firstMessage)}` : ''}`;
			result.code = result.code ?? (first?.[0]?.code as string | undefined);
		}
	}
	return result;
}

export interface FailureContext {
	/** "NQL Execute", "Remote Action Execute"… */
	operation: string;
	domain: NexthinkDomain;
	/** Said on 404: what was not found and where to look. */
	notFoundHint?: string;
	/** True for calls that trigger something in Nexthink: no automatic retry after 5xx or timeouts. */
	triggersAction: boolean;
	itemIndex?: number;
	retries?: number;
	waitedMs?: number;
}

export interface HttpFailure {
	status?: number;
	data?: unknown;
	networkCode?: string;
	/** The credential could not get a token; the text says why, without secrets. */
	tokenError?: string;
	/** A 2xx answer whose body was not the JSON the call expects. */
	malformed?: boolean;
}

function withNexthinkWords(base: string, body: NexthinkErrorBody): string {
	if (!body.message && !body.code) return base;
	const code = body.code ? ` [${body.code}]` : '';
	return `${base}: ${body.message ?? 'no message'}${code}`;
}

/** Builds the NodeApiError for a failed call: what happened, Nexthink's own words, what to change. */
export function nexthinkApiError(
	node: INode,
	failure: HttpFailure,
	context: FailureContext,
): NodeApiError {
	const body = readNexthinkError(failure.data);
	const status = failure.status;
	const op = context.operation;
	let message: string;
	let description: string;

	if (failure.tokenError) {
		message = failure.tokenError;
		description =
			'Open the Nexthink credential and correct it; its Test button checks it against Nexthink.';
	} else if (failure.malformed) {
		message = `Nexthink answered ${op} with a body that is not valid JSON`;
		description =
			'A proxy or gateway between n8n and Nexthink may have replaced the answer. Try again; if it persists, check the API Base URL.';
	} else if (status === undefined) {
		const code = failure.networkCode ?? 'network error';
		message = `Could not reach Nexthink for ${op} (${code})`;
		description = context.triggersAction
			? 'The request may or may not have reached Nexthink, so it was not repeated automatically (there is no idempotency key). Check in Nexthink whether it ran before running it again; check the API Base URL, instance and region, and any proxy.'
			: 'Check the API Base URL, instance and region of the credential, and any proxy between n8n and Nexthink.';
	} else if (status === 400) {
		message = withNexthinkWords(`Nexthink rejected ${op} (400)`, body);
		description = 'Nexthink names the field it refused: correct that field and run again.';
	} else if (status === 401) {
		message = `Nexthink did not accept the credential's token for ${op} (401)`;
		description =
			'The token was renewed once and still refused. Check that the API Base URL belongs to the same instance and region as the token endpoint.';
	} else if (status === 403) {
		message = withNexthinkWords(`Permission missing for ${op} (403)`, body);
		description = `Tick "${PERMISSION[context.domain]}" on the API credential under Administration > API credentials, and check that the object is enabled for API use.`;
	} else if (status === 404) {
		message = withNexthinkWords(`Not found in Nexthink: ${op} (404)`, body);
		description =
			context.notFoundHint ??
			'Check the ID: Nexthink has no object with it, or it is not enabled for API use.';
	} else if (status === 429) {
		const waited = context.waitedMs
			? ` after waiting ${Math.round(context.waitedMs / 1000)} s`
			: '';
		message = withNexthinkWords(`Nexthink is throttling requests for ${op} (429)`, body);
		description = `Nexthink still refused${waited} (${context.retries ?? 0} retries, as Retry-After asked). Run again later, lower the node's concurrency, or ask less often (the export status call has a daily limit).`;
	} else if (status >= 500) {
		message = withNexthinkWords(`Nexthink failed to process ${op} (${status})`, body);
		description = context.triggersAction
			? 'The request was not retried automatically: it may have been processed (there is no idempotency key). Check in Nexthink whether it ran before running it again.'
			: `Retried ${context.retries ?? 0} times. Try again later; if it persists, contact Nexthink support with the time of the call.`;
	} else {
		message = withNexthinkWords(`Nexthink answered ${op} with HTTP ${status}`, body);
		description = 'See the response for details.';
	}

	const errorResponse: JsonObject = {
		httpCode: status === undefined ? '' : String(status),
		...(body.code ? { nexthinkCode: body.code } : {}),
		...(body.message ? { nexthinkMessage: body.message } : {}),
		...(body.source ? { nexthinkSource: body.source } : {}),
		...(body.objectErrors ? { nexthinkErrors: body.objectErrors as JsonObject[] } : {}),
	};
	const error = new NodeApiError(node, errorResponse, {
		message,
		description,
		httpCode: status === undefined ? undefined : String(status),
		itemIndex: context.itemIndex,
	});
	// NodeApiError swaps messages that mention a network code (ECONNREFUSED…) for a generic
	// text; ours already says what happened and where to look.
	error.message = message;
	return error;
}
