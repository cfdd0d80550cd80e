/**
 * Client-credentials token handling for the Nexthink credential.
 *
 * n8n calls `preAuthentication` for every request that finds the stored token empty, on a
 * credential test, and after every 401 (then it repeats the request once). It keeps no expiry,
 * has no single-flight, and re-sends the stored token after the user edits the credential. So
 * this module:
 *
 * - binds every token to a fingerprint of what it was issued for (API base URL, token URL,
 *   client ID, secret, client authentication, scope): `authenticate` only sends a token whose
 *   fingerprint matches the credential as it is now, and only to the API host;
 * - coalesces concurrent token requests per fingerprint into one, and hands a token that another
 *   caller already refreshed to callers whose token was rejected, instead of refreshing again;
 * - retries the token request after 5xx, 429 (Retry-After, capped) and network errors, never
 *   follows a redirect, and remembers a failure for a few seconds so that many items against a
 *   refused client make a handful of token requests, not one each;
 * - refetches at most once when the API refuses a token it has just been given (an API host of
 *   another instance or region): the request then fails with the API's 401.
 */
import { createHash } from 'crypto';
import {
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import {
	backoffMs,
	parseRetryAfter,
	RETRYABLE_NETWORK_CODES,
	type RetrySettings,
} from '../nodes/Nexthink/transport/retry';
import {
	resolveNexthinkHosts,
	type NexthinkCredentialFields,
	type NexthinkHosts,
} from './nexthinkHosts';

const DEFAULT_SCOPE = 'service:integration';

type ClientAuthentication = 'basic' | 'body';

interface NexthinkTokenCredentials extends NexthinkCredentialFields {
	clientId?: string;
	clientSecret?: string;
	clientAuthentication?: string;
	scope?: string;
	accessToken?: string;
	accessTokenFingerprint?: string;
}

/**
 * How the token request behaves. Exported for tests, which shorten the waits; nothing else may
 * change it.
 */
export const tokenRequestSettings = {
	/** One try of the token request may wait this long for an answer. */
	timeoutMs: 30_000,
	/** Tries after the first one, after 5xx, 429 and network errors (time-outs excluded). */
	maxRetries: 3,
	baseBackoffMs: 500,
	maxBackoffMs: 8_000,
	/** A Retry-After longer than this is not waited for. */
	maxRetryAfterMs: 30_000,
	/** A failed token request is answered from memory this long, per fingerprint. */
	failureMemoryMs: 5_000,
	/** A token the API refuses this soon after it was issued is "brand-new": refetched at most once. */
	freshTokenMs: 10_000,
};

/** An error whose text is safe to show: it never contains the secret, the Basic header or a token. */
export class NexthinkTokenError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'NexthinkTokenError';
	}
}

interface TokenSettings {
	hosts: NexthinkHosts;
	custom: boolean;
	clientId: string;
	clientSecret: string;
	clientAuthentication: ClientAuthentication;
	/** Empty: no scope parameter. */
	scope: string;
	fingerprint: string;
}

interface CacheEntry {
	token?: string;
	issuedAt: number;
	/** When the token should be renewed (a little before it expires). */
	renewAt: number;
	/** When the token expires. */
	expiresAt: number;
	/** The token was fetched because the API refused a brand-new one: it is not refetched again. */
	afterFreshRejection: boolean;
	pending?: Promise<string>;
	failure?: { message: string; until: number };
}

const cache = new Map<string, CacheEntry>();

/**
 * The token `authenticate` put on a request, per credentials object ('' for none). n8n hands the
 * same object to `preAuthentication` after a 401, so this says which token the API refused.
 */
const sentTokens = new WeakMap<object, string>();

/** Nexthink tokens live 900 s; renew a little early (GO SDK: min(120 s, lifetime / 10)). */
function renewMarginMs(lifetimeMs: number): number {
	return Math.min(120_000, lifetimeMs / 10);
}

/** What a token is issued for. A change of any of these makes every stored token unusable. */
function fingerprintOf(parts: Omit<TokenSettings, 'fingerprint' | 'custom'>): string {
	return createHash('sha256')
		.update(
			JSON.stringify([
				'nexthink-token-v1',
				parts.hosts.apiBaseUrl,
				parts.hosts.tokenUrl,
				parts.clientId,
				parts.clientSecret,
				parts.clientAuthentication,
				parts.scope,
			]),
		)
		.digest('hex');
}

function tokenSettingsOf(credentials: NexthinkTokenCredentials): TokenSettings {
	let hosts: NexthinkHosts | undefined;
	let hostError = 'The Nexthink credential has no usable hosts';
	try {
		hosts = resolveNexthinkHosts(credentials);
	} catch (error) {
		hostError = (error as Error).message;
	}
	if (!hosts) throw new NexthinkTokenError(hostError);
	const clientId = String(credentials.clientId ?? '').trim();
	const clientSecret = String(credentials.clientSecret ?? '');
	if (!clientId || !clientSecret) {
		throw new NexthinkTokenError(
			'The Nexthink credential has no Client ID or Client Secret: create OAuth client credentials under Administration > API credentials and paste both',
		);
	}
	const clientAuthentication: ClientAuthentication =
		credentials.clientAuthentication === 'body' ? 'body' : 'basic';
	const scope =
		credentials.scope === undefined || credentials.scope === null
			? DEFAULT_SCOPE
			: String(credentials.scope).trim().split(/\s+/).filter(Boolean).join(' ');
	const parts = { hosts, clientId, clientSecret, clientAuthentication, scope };
	return {
		...parts,
		custom: String(credentials.region ?? '').trim() === 'custom',
		fingerprint: fingerprintOf(parts),
	};
}

/** Replaces anything secret that a server or an error might echo. */
function scrub(text: string, settings: TokenSettings, limit = 300): string {
	const basic = Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString('base64');
	let clean = text;
	for (const secret of [
		basic,
		settings.clientSecret,
		encodeURIComponent(settings.clientSecret),
		new URLSearchParams({ s: settings.clientSecret }).toString().slice(2),
	]) {
		if (secret.length >= 4) clean = clean.split(secret).join('***');
	}
	clean = clean.replace(/\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]+/gi, '$1 ***');
	return clean.length > limit ? `${clean.slice(0, limit)}…` : clean;
}

interface HttpFailure {
	name?: string;
	message?: string;
	code?: string;
	cause?: HttpFailure;
}

interface TokenResponse {
	statusCode: number;
	headers?: IDataObject;
	body?: unknown;
}

const NETWORK_REASONS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'DNS lookup failed',
	ECONNRESET: 'connection reset',
	EPIPE: 'connection reset',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	UND_ERR_SOCKET: 'connection reset',
	CERT_HAS_EXPIRED: 'TLS certificate expired',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
	SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate not trusted',
	ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate is for another host',
};

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

function header(headers: IDataObject | undefined, name: string): string | undefined {
	const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
	const value = key === undefined ? undefined : headers?.[key];
	return value === undefined || value === null ? undefined : String(value);
}

/** The network error code of a failure (n8n may wrap the HTTP client's error). */
function networkCode(error: HttpFailure): string | undefined {
	let current: HttpFailure | undefined = error;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && /^[A-Z_]+$/.test(current.code)) return current.code;
		current = current.cause;
	}
	return undefined;
}

const isTimeout = (error: HttpFailure, code: string | undefined) =>
	(code === 'ECONNABORTED' || code === 'ETIMEDOUT') &&
	/time(d)?\s?out/i.test(`${error.message ?? ''} ${error.cause?.message ?? ''}`);

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** Where to look if the host is wrong, in the words of the credential's mode. */
const whereToLook = (settings: TokenSettings) =>
	settings.custom ? 'the Token URL' : 'the instance name and region';

function describeStatus(
	response: TokenResponse,
	settings: TokenSettings,
	host: string,
	tries: number,
): string {
	const status = response.statusCode;
	const data = typeof response.body === 'string' ? parseJson(response.body) : response.body;
	const body = (data && typeof data === 'object' ? data : {}) as IDataObject;
	const oauthError = typeof body.error === 'string' ? scrub(body.error, settings, 60) : undefined;
	const detail =
		typeof body.error_description === 'string'
			? `: ${scrub(body.error_description, settings)}`
			: '';
	const retried = tries > 1 ? ` (tried ${tries} times)` : '';
	if (status === 401 || oauthError === 'invalid_client') {
		const belong = settings.custom
			? 'and that the Token URL is the login host of the Nexthink tenant they belong to'
			: 'and that they belong to this instance and region';
		const how =
			settings.clientAuthentication === 'body'
				? ' They were sent in the form body (Client Authentication); try HTTP Basic if the token endpoint expects it.'
				: '';
		return `Nexthink rejected the client ID or secret (${oauthError ?? 'HTTP 401'}). Check Client ID and Client Secret under Administration > API credentials, ${belong}.${how}`;
	}
	if (oauthError === 'invalid_scope') {
		return `The token endpoint ${host} refused the scope "${scrub(settings.scope, settings, 100)}" (invalid_scope${detail}). Set Scope to ${DEFAULT_SCOPE}, the scope Nexthink documents`;
	}
	if (status === 400) {
		return `The token endpoint ${host} refused the request (${oauthError ?? 'HTTP 400'}${detail}). Check the client ID and secret, Client Authentication, and ${whereToLook(settings)}`;
	}
	if (status === 404) {
		return `No Nexthink token endpoint at ${host}: check ${whereToLook(settings)}${settings.custom ? ' (it ends in /oauth2/default/v1/token)' : ''}`;
	}
	if (status === 429) {
		return `The Nexthink token endpoint ${host} is throttling token requests (429)${retried}. Try again later, or run fewer workflows with this credential at once`;
	}
	return `The Nexthink token endpoint ${host} answered HTTP ${status}${retried}. Try again later; if it persists, check ${whereToLook(settings)}`;
}

function describeRedirect(response: TokenResponse, settings: TokenSettings, host: string): string {
	const location = header(response.headers, 'location');
	let target: string | undefined;
	try {
		target = location ? new URL(location, settings.hosts.tokenUrl).host : undefined;
	} catch {
		target = undefined;
	}
	if (!target) {
		return `The Nexthink token endpoint ${host} answered with a redirect (HTTP ${response.statusCode}) the node does not follow: check ${whereToLook(settings)}`;
	}
	return `The Nexthink token endpoint redirects to ${scrub(target, settings, 255)}: use that address as the Token URL`;
}

function describeError(
	error: HttpFailure,
	settings: TokenSettings,
	host: string,
	tries: number,
): string {
	const hostname = new URL(settings.hosts.tokenUrl).hostname;
	const code = networkCode(error);
	const message = `${error.message ?? ''}`;
	if (/^Domain not allowed/i.test(message) || /allowed domains/i.test(message)) {
		return `n8n did not send the token request to ${host}: the credential's Allowed Domains do not include the Nexthink login host. Add ${hostname} to Allowed Domains (next to the API host), or allow all domains`;
	}
	if (
		/^Ssrf/.test(error.name ?? '') ||
		/Server-Side Request Forgery|restricted IP|hostname is restricted/i.test(message)
	) {
		return `n8n blocked the token request to ${host} (its SSRF protection: ${scrub(message, settings, 120)}). Ask the n8n administrator to allow ${hostname}`;
	}
	if (isTimeout(error, code)) {
		return `The Nexthink token endpoint ${host} did not answer within ${seconds(tokenRequestSettings.timeoutMs)}: check ${whereToLook(settings)}, and any proxy between n8n and Nexthink`;
	}
	const reason = code ? NETWORK_REASONS[code] : undefined;
	const retried = tries > 1 ? ` after ${tries} tries` : '';
	if (reason || code) {
		// Words, not codes: n8n replaces any message that mentions ECONNREFUSED & co. with a generic text.
		return `Could not reach the Nexthink token endpoint ${host} (${reason ?? 'network error'})${retried}: check ${whereToLook(settings)}, and any proxy between n8n and Nexthink`;
	}
	const said = message ? `: ${scrub(message, settings, 200)}` : '';
	return `The token request to ${host} failed before Nexthink answered${said}. Check ${whereToLook(settings)}, and the credential's Allowed Domains`;
}

function parseTokenAnswer(
	body: unknown,
	settings: TokenSettings,
	host: string,
): { token: string; lifetimeMs: number } {
	const answer = typeof body === 'string' ? parseJson(body) : body;
	if (answer === undefined) {
		throw new NexthinkTokenError(
			`The token endpoint ${host} did not answer with JSON: check ${whereToLook(settings)}`,
		);
	}
	const data = (answer && typeof answer === 'object' ? answer : {}) as IDataObject;
	const token = data.access_token;
	const type = String(data.token_type ?? '');
	if (typeof token !== 'string' || token === '') {
		throw new NexthinkTokenError(
			`The token endpoint ${host} answered without an access token: check ${whereToLook(settings)}`,
		);
	}
	if (type.toLowerCase() !== 'bearer') {
		throw new NexthinkTokenError(
			`The token endpoint answered a token of type "${scrub(type, settings, 40).split(token).join('***')}", not Bearer: check ${whereToLook(settings)}`,
		);
	}
	const expiresIn = Number(data.expires_in);
	const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 900_000;
	return { token, lifetimeMs };
}

/** One token request, with its retries. Never follows a redirect. */
async function requestToken(
	helper: IHttpRequestHelper,
	settings: TokenSettings,
): Promise<{ token: string; lifetimeMs: number }> {
	const { tokenUrl } = settings.hosts;
	const host = new URL(tokenUrl).host;
	const form = new URLSearchParams({ grant_type: 'client_credentials' });
	if (settings.scope) form.set('scope', settings.scope);
	if (settings.clientAuthentication === 'body') {
		form.set('client_id', settings.clientId);
		form.set('client_secret', settings.clientSecret);
	}
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: tokenUrl,
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
		body: form.toString(),
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// n8n would forward the Basic header (or the form) to wherever a 3xx points.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: tokenRequestSettings.timeoutMs,
	};
	if (settings.clientAuthentication === 'basic') {
		options.auth = { username: settings.clientId, password: settings.clientSecret };
	}
	const retry: RetrySettings = {
		maxRetries: tokenRequestSettings.maxRetries,
		maxRetryAfterMs: tokenRequestSettings.maxRetryAfterMs,
		baseBackoffMs: tokenRequestSettings.baseBackoffMs,
		maxBackoffMs: tokenRequestSettings.maxBackoffMs,
	};

	for (let attempt = 0; ; attempt++) {
		const tries = attempt + 1;
		let response: TokenResponse | undefined;
		let failure: HttpFailure | undefined;
		try {
			response = (await helper.helpers.httpRequest({
				...options,
				headers: { ...options.headers },
			})) as TokenResponse;
		} catch (error) {
			failure = (error ?? {}) as HttpFailure;
		}
		let delay: number | undefined;
		let message: string | undefined;
		if (response) {
			const status = Number(response.statusCode);
			if (status >= 200 && status < 300) return parseTokenAnswer(response.body, settings, host);
			if (status >= 300 && status < 400) {
				throw new NexthinkTokenError(describeRedirect(response, settings, host));
			}
			if (status === 429) {
				const asked = parseRetryAfter(response.headers);
				if (asked !== undefined && asked > retry.maxRetryAfterMs) {
					throw new NexthinkTokenError(
						`The Nexthink token endpoint ${host} is throttling token requests (429) and asks to wait ${Math.ceil(asked / 1000)} s, longer than the ${Math.round(retry.maxRetryAfterMs / 1000)} s the node waits. Try again later`,
					);
				}
				delay = asked ?? backoffMs(attempt, retry);
			} else if (status >= 500) {
				delay = backoffMs(attempt, retry);
			}
			message = describeStatus(response, settings, host, tries);
		} else {
			// A fresh message, never the original error: it carries the request, Basic header included.
			const code = networkCode(failure ?? {});
			if (code && RETRYABLE_NETWORK_CODES.has(code) && !isTimeout(failure ?? {}, code)) {
				delay = backoffMs(attempt, retry);
			}
			message = describeError(failure ?? {}, settings, host, tries);
		}
		if (delay === undefined || attempt >= retry.maxRetries) {
			throw new NexthinkTokenError(message);
		}
		await sleep(delay);
	}
}

/**
 * Returns a token for the credential as it is now, fetching one at most once per fingerprint at
 * a time. `rejected` is the token the API just refused, if any.
 */
async function obtainNexthinkToken(
	helper: IHttpRequestHelper,
	credentials: NexthinkTokenCredentials,
	rejected?: string,
): Promise<{ token: string; fingerprint: string }> {
	const settings = tokenSettingsOf(credentials);
	const { fingerprint } = settings;
	const entry: CacheEntry = cache.get(fingerprint) ?? {
		issuedAt: 0,
		renewAt: 0,
		expiresAt: 0,
		afterFreshRejection: false,
	};
	cache.set(fingerprint, entry);
	const now = Date.now();

	if (entry.token && entry.token !== rejected && entry.renewAt > now) {
		return { token: entry.token, fingerprint };
	}
	const freshRejection =
		rejected !== undefined &&
		rejected === entry.token &&
		now - entry.issuedAt < tokenRequestSettings.freshTokenMs;
	if (freshRejection && entry.afterFreshRejection && !entry.pending) {
		// The API refused a token that was itself fetched because it refused a brand-new one:
		// another would fare no better. Hand the same one back; n8n's retry then fails with the 401.
		return { token: rejected, fingerprint };
	}
	if (!entry.pending) {
		if (entry.failure && entry.failure.until > now) {
			throw new NexthinkTokenError(entry.failure.message);
		}
		entry.pending = requestToken(helper, settings)
			.then(({ token, lifetimeMs }) => {
				const issuedAt = Date.now();
				entry.token = token;
				entry.issuedAt = issuedAt;
				entry.expiresAt = issuedAt + lifetimeMs;
				entry.renewAt = issuedAt + lifetimeMs - renewMarginMs(lifetimeMs);
				entry.afterFreshRejection = freshRejection;
				entry.failure = undefined;
				return token;
			})
			.catch((error: unknown) => {
				const message =
					error instanceof NexthinkTokenError
						? error.message
						: `The Nexthink token request failed: ${scrub(String((error as Error)?.message ?? error), settings)}`;
				entry.failure = { message, until: Date.now() + tokenRequestSettings.failureMemoryMs };
				throw new NexthinkTokenError(message);
			})
			.finally(() => {
				entry.pending = undefined;
			});
	}
	return { token: await entry.pending, fingerprint };
}

/** The credential's `preAuthentication`: a token, and the fingerprint it is bound to. */
export async function nexthinkPreAuthentication(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ accessToken: string; accessTokenFingerprint: string }> {
	// '' (no token was sent) and undefined (no request yet) both mean: nothing was refused.
	const rejected = sentTokens.get(credentials) || undefined;
	const { token, fingerprint } = await obtainNexthinkToken(
		helper,
		credentials as NexthinkTokenCredentials,
		rejected,
	);
	return { accessToken: token, accessTokenFingerprint: fingerprint };
}

/** The token `authenticate` may send for the credential as it is now, if any. */
function usableToken(settings: TokenSettings, credentials: NexthinkTokenCredentials) {
	const entry = cache.get(settings.fingerprint);
	if (entry?.token && entry.expiresAt > Date.now()) return entry.token;
	const stored = typeof credentials.accessToken === 'string' ? credentials.accessToken : '';
	if (stored && credentials.accessTokenFingerprint === settings.fingerprint) return stored;
	return undefined;
}

function targetOf(requestOptions: IHttpRequestOptions): URL | undefined {
	const raw = requestOptions as IHttpRequestOptions & { uri?: string };
	const url = String(raw.url ?? raw.uri ?? '');
	try {
		if (/^[a-z][a-z\d+.-]*:/i.test(url)) return new URL(url);
		if (!requestOptions.baseURL) return undefined;
		return new URL(`${requestOptions.baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`);
	} catch {
		return undefined;
	}
}

/**
 * The credential's `authenticate`: `Authorization: Bearer` with the token issued for the
 * credential as it is now, and only on requests to its API host (never to the token endpoint,
 * never to another host). Without such a token the request goes without one: the API's 401
 * makes n8n run `preAuthentication`, which fetches a token for the current settings.
 */
export async function nexthinkAuthenticate(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	let token: string | undefined;
	try {
		const settings = tokenSettingsOf(credentials as NexthinkTokenCredentials);
		const target = targetOf(requestOptions);
		const api = new URL(settings.hosts.apiBaseUrl);
		const tokenEndpoint = new URL(settings.hosts.tokenUrl);
		const toApi =
			target !== undefined &&
			target.origin === api.origin &&
			!(target.origin === tokenEndpoint.origin && target.pathname === tokenEndpoint.pathname);
		token = toApi ? usableToken(settings, credentials as NexthinkTokenCredentials) : undefined;
	} catch {
		token = undefined;
	}
	const headers: IDataObject = {};
	for (const [name, value] of Object.entries(requestOptions.headers ?? {})) {
		if (name.toLowerCase() !== 'authorization') headers[name] = value;
	}
	if (token) headers.Authorization = `Bearer ${token}`;
	sentTokens.set(credentials, token ?? '');
	requestOptions.headers = headers;
	return requestOptions;
}

/** Forgets every cached token and remembered failure (tests, or a credential whose secret was rotated). */
export function clearNexthinkTokenCache(): void {
	cache.clear();
}
