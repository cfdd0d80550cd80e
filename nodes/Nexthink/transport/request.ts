import {
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
} from 'n8n-workflow';

import {
	resolveNexthinkHosts,
	type NexthinkCredentialFields,
} from '../../../credentials/nexthinkHosts';
import {
	nexthinkApiError,
	parseBody,
	type FailureContext,
	type HttpFailure,
	type NexthinkDomain,
} from './errors';
import {
	backoffMs,
	parseRetryAfter,
	RETRY_DEFAULTS,
	RETRYABLE_NETWORK_CODES,
	type RetrySettings,
} from './retry';

export type NexthinkContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export const CREDENTIAL_TYPE = 'nexthinkApi';

export interface NexthinkRequest {
	method: IHttpRequestMethods;
	/** Path under the API base URL, for example `/api/v2/nql/execute`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	headers?: IDataObject;
	/** `json` (default) parses the answer; `text` keeps it as a string (CSV). */
	responseFormat?: 'json' | 'text';
	/** For error messages: "NQL Execute". */
	operation: string;
	domain: NexthinkDomain;
	/**
	 * Calls that start something in Nexthink (workflow, remote action, campaign, enrichment) are
	 * repeated only after 429 and 401, which mean "not processed"; never after 5xx or a timeout.
	 */
	triggersAction?: boolean;
	notFoundHint?: string;
	itemIndex?: number;
	retry?: Partial<RetrySettings>;
}

export interface NexthinkResponse<T = unknown> {
	status: number;
	headers: IDataObject;
	body: T;
}

interface RawFailure {
	name?: string;
	message?: string;
	cause?: RawFailure;
	code?: string;
	response?: { status?: number; data?: unknown; headers?: IDataObject };
	httpCode?: string | null;
}

/** n8n wraps the HTTP client's error in a NodeApiError; the response sits on its cause. */
export function unwrap(error: unknown): { failure: HttpFailure; headers?: IDataObject } {
	let current = error as RawFailure | undefined;
	for (let depth = 0; current && depth < 4; depth++) {
		if (current.name === 'NexthinkTokenError') return { failure: { tokenError: current.message } };
		if (current.response?.status !== undefined) {
			return {
				failure: { status: current.response.status, data: current.response.data },
				headers: current.response.headers,
			};
		}
		if (typeof current.code === 'string' && /^[A-Z_]+$/.test(current.code)) {
			return { failure: { networkCode: current.code } };
		}
		current = current.cause;
	}
	return { failure: { networkCode: (error as RawFailure | undefined)?.code ?? 'unknown error' } };
}

/** The API base URL of the node's credential, validated before anything is sent. */
export async function nexthinkBaseUrl(this: NexthinkContext, itemIndex?: number): Promise<string> {
	const credentials = (await this.getCredentials(CREDENTIAL_TYPE)) as NexthinkCredentialFields;
	try {
		return resolveNexthinkHosts(credentials).apiBaseUrl;
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			description:
				'Fix the Nexthink credential: open it from the node and correct the field named above.',
			itemIndex,
		});
	}
}

/**
 * One call to the Nexthink API through n8n's authenticated request helper (proxies, SSRF
 * protection, token renewal on 401), with retries for 429 (honouring Retry-After as seconds or
 * an HTTP date) and, for read-only calls, for 5xx and network errors.
 */
export async function nexthinkRequest<T = unknown>(
	this: NexthinkContext,
	request: NexthinkRequest,
): Promise<NexthinkResponse<T>> {
	const settings: RetrySettings = { ...RETRY_DEFAULTS, ...request.retry };
	const baseURL = await nexthinkBaseUrl.call(this, request.itemIndex);
	const options: IHttpRequestOptions = {
		method: request.method,
		baseURL,
		url: request.path,
		qs: request.qs,
		body: request.body,
		headers: { Accept: 'application/json', ...request.headers },
		json: request.body !== undefined,
		encoding: 'text',
		returnFullResponse: true,
		// Nexthink never redirects its API; a redirect would carry the token elsewhere.
		disableFollowRedirect: true,
	};
	const context: FailureContext = {
		operation: request.operation,
		domain: request.domain,
		notFoundHint: request.notFoundHint,
		triggersAction: request.triggersAction === true,
		itemIndex: request.itemIndex,
	};

	const retrying = withRetries<RawResponse>;
	const response = await retrying.call(
		this,
		settings,
		context,
		async () =>
			(await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
				...options,
				headers: { ...options.headers },
			})) as RawResponse,
	);
	return {
		status: response.statusCode,
		headers: response.headers ?? {},
		body: (request.responseFormat === 'text'
			? String(response.body ?? '')
			: parseJson.call(this, response.body, context)) as T,
	};
}

export interface RawResponse {
	body: unknown;
	headers: IDataObject;
	statusCode: number;
}

/**
 * Runs `send` until it succeeds, waiting out 429s as Retry-After says (seconds or an HTTP date,
 * capped), and, unless the call triggers an action, backing off after 5xx and network errors.
 * Failures become the NodeApiError of `nexthinkApiError`, or of `describe` when given.
 */
export async function withRetries<R>(
	this: NexthinkContext,
	settings: RetrySettings,
	context: FailureContext,
	send: () => Promise<R>,
	describe: (failure: HttpFailure, context: FailureContext) => Error = (failure, failureContext) =>
		nexthinkApiError(this.getNode(), failure, failureContext),
): Promise<R> {
	let waitedMs = 0;
	for (let attempt = 0; ; attempt++) {
		try {
			return await send();
		} catch (error) {
			if (error instanceof NodeOperationError) throw new NodeOperationError(this.getNode(), error);
			const { failure, headers } = unwrap(error);
			let delay: number | undefined;
			if (failure.status === 429) {
				const asked = parseRetryAfter(headers);
				if (asked !== undefined && asked > settings.maxRetryAfterMs) {
					throw describe(failure, {
						...context,
						retries: attempt,
						waitedMs,
						operation: `${context.operation} (Retry-After ${Math.ceil(asked / 1000)} s is longer than the ${Math.round(settings.maxRetryAfterMs / 1000)} s the node waits)`,
					});
				}
				delay = asked ?? backoffMs(attempt, settings);
			} else if (!context.triggersAction) {
				const transient =
					(failure.status !== undefined && failure.status >= 500) ||
					(failure.networkCode !== undefined && RETRYABLE_NETWORK_CODES.has(failure.networkCode));
				if (transient) delay = backoffMs(attempt, settings);
			}
			if (delay === undefined || attempt >= settings.maxRetries) {
				throw describe(failure, { ...context, retries: attempt, waitedMs });
			}
			waitedMs += delay;
			await sleep(delay);
		}
	}
}

function parseJson(this: NexthinkContext, body: unknown, context: FailureContext): unknown {
	if (typeof body !== 'string') return body;
	if (body.trim() === '') return undefined;
	const parsed = parseBody(body);
	if (typeof parsed === 'string') {
		throw nexthinkApiError(this.getNode(), { malformed: true }, context);
	}
	return parsed;
}
