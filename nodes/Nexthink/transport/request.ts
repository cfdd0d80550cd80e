import {
	NodeApiError,
	NodeOperationError,
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
	cancelledError,
	isCancellation,
	isCancelled,
	unlessCancelled,
	waitUnlessCancelled,
	withRequestSignal,
} from './cancel';
import {
	nexthinkApiError,
	parseBody,
	type BadRequestFields,
	type FailureContext,
	type HttpFailure,
	type NexthinkDomain,
} from './errors';
import {
	backoffMs,
	parseRetryAfter,
	REQUEST_TIMEOUT_MS,
	RETRY_DEFAULTS,
	RETRYABLE_NETWORK_CODES,
	type RetrySettings,
} from './retry';

export type NexthinkContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

const CREDENTIAL_TYPE = 'nexthinkApi';

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
	/** Said on 403 instead of the domain's permission (see FailureContext). */
	forbiddenHint?: string;
	/** Which node field carries what a 400 refused (see BadRequestFields). */
	badRequest?: BadRequestFields;
	itemIndex?: number;
	retry?: Partial<RetrySettings>;
	/**
	 * How long one try may wait for Nexthink's answer (n8n's `timeout`; default 60 s). A try that
	 * takes longer fails with "Nexthink did not answer … within …" and is repeated only for
	 * read-only calls.
	 */
	timeoutMs?: number;
}

interface NexthinkResponse<T = unknown> {
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

/** A failure the transport recognised itself (a download cut off, a body that stalled). */
export class TransportFailure extends Error {
	constructor(
		readonly failure: HttpFailure,
		readonly headers?: IDataObject,
	) {
		super('Nexthink transport failure');
		this.name = 'NexthinkTransportFailure';
	}
}

export function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
	const value = key === undefined ? undefined : headers?.[key];
	return value === undefined || value === null ? undefined : String(value);
}

/** The HTTP client's time-out: `timeout of 60000ms exceeded` (ECONNABORTED, or ETIMEDOUT). */
const isTimeout = (failure: RawFailure) =>
	(failure.code === 'ECONNABORTED' || failure.code === 'ETIMEDOUT') &&
	/time(d)?\s?out/i.test(failure.message ?? '');

/** n8n wraps the HTTP client's error in a NodeApiError; the response sits on its cause. */
export function unwrap(error: unknown): { failure: HttpFailure; headers?: IDataObject } {
	let current = error as RawFailure | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (current instanceof TransportFailure)
			return { failure: current.failure, headers: current.headers };
		if (current.name === 'NexthinkTokenError') return { failure: { tokenError: current.message } };
		if (isTimeout(current)) return { failure: { networkCode: current.code, timedOut: true } };
		const response = current.response;
		if (response?.status !== undefined) {
			const length = Number(headerValue(response.headers, 'content-length'));
			if (response.status >= 200 && response.status < 300) {
				// A 2xx that still failed: the headers came, then the body broke off.
				return {
					failure: {
						networkCode: current.code ?? 'ECONNRESET',
						cutOff: Number.isFinite(length) ? { expectedBytes: length } : {},
					},
					headers: response.headers,
				};
			}
			return {
				failure: {
					status: response.status,
					data: response.data,
					contentType: headerValue(response.headers, 'content-type'),
				},
				headers: response.headers,
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
async function nexthinkBaseUrl(this: NexthinkContext, itemIndex?: number): Promise<string> {
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

const userTimeouts = new WeakMap<object, number | undefined>();

/**
 * Options > Request Timeout of the running operation, in ms (read once per execution, from the
 * first item, as Concurrency is); undefined where the node has none (polls, list searches).
 */
export function userTimeoutMs(context: NexthinkContext): number | undefined {
	if (!('getInputData' in context)) return undefined;
	if (userTimeouts.has(context)) return userTimeouts.get(context);
	const seconds = Number(context.getNodeParameter('options.requestTimeout', 0, 0));
	const ms = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : undefined;
	userTimeouts.set(context, ms);
	return ms;
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
	const timeoutMs = request.timeoutMs ?? userTimeoutMs(this) ?? REQUEST_TIMEOUT_MS;
	const accept = String(headerValue(request.headers, 'accept') ?? 'application/json');
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
		timeout: timeoutMs,
	};
	const context: FailureContext = {
		operation: request.operation,
		domain: request.domain,
		notFoundHint: request.notFoundHint,
		forbiddenHint: request.forbiddenHint,
		badRequest: request.badRequest,
		triggersAction: request.triggersAction === true,
		itemIndex: request.itemIndex,
		timeoutMs,
		accept,
	};

	// n8n aborts the request itself on cancel (it passes the execution's signal), but not the
	// token request it may share with other items: withRetries races every try with the cancel.
	const response = await withRetries<RawResponse>(
		this,
		settings,
		context,
		async () =>
			await withRequestSignal(
				this,
				async (view) =>
					(await this.helpers.httpRequestWithAuthentication.call(view, CREDENTIAL_TYPE, {
						...options,
						headers: { ...options.headers },
					})) as RawResponse,
			),
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
 * capped), and, unless the call triggers an action, backing off after 5xx, time-outs, answers
 * cut off and network errors. Failures become the NodeApiError of `nexthinkApiError`, or of
 * `describe` when given.
 *
 * Cancel: every try is raced with the execution's cancel and every wait ends with it, so a
 * cancelled execution stops here at once (the error of `cancelledError`, "The execution was
 * cancelled") and no try starts after it.
 *
 * A 429 that is not waited out (Retry-After over the cap, or tries used up) gives a NodeApiError
 * with `context.retryAfterMs`: the milliseconds Nexthink's last Retry-After asked for, for callers
 * that schedule their own next try (the trigger's export status).
 */
export async function withRetries<R>(
	caller: NexthinkContext,
	settings: RetrySettings,
	context: FailureContext,
	send: () => Promise<R>,
	describe: (failure: HttpFailure, context: FailureContext) => Error = (failure, failureContext) =>
		nexthinkApiError(caller.getNode(), failure, failureContext),
): Promise<R> {
	const cancelled = (requestInFlight: boolean) =>
		cancelledError(caller.getNode(), {
			itemIndex: context.itemIndex,
			requestInFlight,
			triggersAction: context.triggersAction,
		});
	let waitedMs = 0;
	for (let attempt = 0; ; attempt++) {
		if (isCancelled(caller)) throw cancelled(false);
		try {
			return await unlessCancelled(caller, send());
		} catch (error) {
			if (isCancelled(caller) || isCancellation(error)) throw cancelled(true);
			if (error instanceof NodeOperationError)
				throw new NodeOperationError(caller.getNode(), error);
			const { failure, headers } = unwrap(error);
			let delay: number | undefined;
			let asked: number | undefined;
			const fail = (failureContext: FailureContext) => {
				const described = describe(failure, failureContext);
				if (asked !== undefined && described instanceof NodeApiError)
					described.context.retryAfterMs = asked;
				return described;
			};
			if (failure.status === 429) {
				asked = parseRetryAfter(headers);
				if (asked !== undefined && asked > settings.maxRetryAfterMs) {
					throw fail({
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
					failure.timedOut === true ||
					failure.cutOff !== undefined ||
					(failure.networkCode !== undefined && RETRYABLE_NETWORK_CODES.has(failure.networkCode));
				if (transient) delay = backoffMs(attempt, settings);
			}
			if (delay === undefined || attempt >= settings.maxRetries) {
				throw fail({ ...context, retries: attempt, waitedMs });
			}
			waitedMs += delay;
			try {
				await waitUnlessCancelled(caller, delay);
			} catch {
				throw cancelled(false);
			}
		}
	}
}

function parseJson(this: NexthinkContext, body: unknown, context: FailureContext): unknown {
	if (typeof body !== 'string') return body;
	if (body.trim() === '') return undefined;
	const parsed = parseBody(body);
	if (typeof parsed === 'string') {
		throw nexthinkApiError(this.getNode(), { malformed: true, data: body }, context);
	}
	return parsed;
}
