import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { createHash } from 'crypto';

import { resolveNexthinkHosts, type NexthinkCredentialFields } from './nexthinkHosts';

/**
 * Client-credentials token handling for the Nexthink credential.
 *
 * n8n calls `preAuthentication` for every request that finds the stored token empty, and after
 * every 401. It keeps no expiry and has no single-flight, so 100 parallel items with an empty
 * token would each ask for one. This module coalesces concurrent requests per credential
 * (token URL + client ID + secret hash) into one, and hands a token that another caller already
 * refreshed to callers whose token was rejected, instead of refreshing again.
 */

export interface NexthinkTokenCredentials extends NexthinkCredentialFields {
	clientId?: string;
	clientSecret?: string;
	accessToken?: string;
}

interface CachedToken {
	token?: string;
	expiresAt: number;
	pending?: Promise<string>;
}

const cache = new Map<string, CachedToken>();

/** Nexthink tokens live 900 s; refresh a little early (GO SDK: min(120 s, lifetime / 10)). */
function refreshMarginMs(lifetimeMs: number): number {
	return Math.min(120_000, lifetimeMs / 10);
}

function cacheKey(tokenUrl: string, clientId: string, clientSecret: string): string {
	return createHash('sha256').update(`${tokenUrl}\n${clientId}\n${clientSecret}`).digest('hex');
}

/** An error whose text is safe to show: it never contains the secret or a token. */
export class NexthinkTokenError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'NexthinkTokenError';
	}
}

interface HttpFailure {
	code?: string;
	response?: { status?: number; data?: unknown };
}

const NETWORK_REASONS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'DNS lookup failed',
	ETIMEDOUT: 'timed out',
	ECONNABORTED: 'timed out',
	ECONNRESET: 'connection reset',
	EHOSTUNREACH: 'host unreachable',
	CERT_HAS_EXPIRED: 'TLS certificate expired',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
	SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate not trusted',
};

function describeFailure(error: HttpFailure, tokenUrl: string): string {
	const host = new URL(tokenUrl).host;
	const status = error.response?.status;
	const data = (error.response?.data ?? {}) as IDataObject;
	const oauthError = typeof data.error === 'string' ? data.error : undefined;
	if (status === 401 || oauthError === 'invalid_client') {
		return `Nexthink rejected the client ID or secret (${oauthError ?? 'HTTP 401'}). Check Client ID and Client Secret under Administration > API credentials, and that they belong to this instance and region`;
	}
	if (status === 400) {
		const detail = typeof data.error_description === 'string' ? `: ${data.error_description}` : '';
		return `The token endpoint ${host} refused the request (${oauthError ?? 'HTTP 400'}${detail}). Check the client ID and secret, and the Token URL if the region is custom`;
	}
	if (status === 404) {
		return `No Nexthink token endpoint at ${host}: check the instance name and region (or the custom Token URL)`;
	}
	if (status !== undefined) {
		return `The Nexthink token endpoint ${host} answered HTTP ${status}. Try again later; if it persists, check the instance name and region`;
	}
	// Words, not codes: n8n replaces any message that mentions ECONNREFUSED & co. with a generic text.
	const reason = NETWORK_REASONS[error.code ?? ''] ?? 'network error';
	return `Could not reach the Nexthink token endpoint ${host} (${reason}): check the instance name and region (or the custom Token URL), and any proxy between n8n and Nexthink`;
}

async function requestToken(
	helper: IHttpRequestHelper,
	tokenUrl: string,
	clientId: string,
	clientSecret: string,
): Promise<{ token: string; lifetimeMs: number }> {
	let answer: IDataObject;
	try {
		answer = (await helper.helpers.httpRequest({
			method: 'POST',
			url: tokenUrl,
			auth: { username: clientId, password: clientSecret },
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			body: 'grant_type=client_credentials&scope=service%3Aintegration',
			json: true,
		})) as IDataObject;
	} catch (error) {
		// A fresh error: the original carries the request config, Basic header included.
		throw new NexthinkTokenError(describeFailure(error as HttpFailure, tokenUrl));
	}
	if (typeof answer === 'string') {
		try {
			answer = JSON.parse(answer) as IDataObject;
		} catch {
			throw new NexthinkTokenError(
				`The token endpoint ${new URL(tokenUrl).host} did not answer with JSON: check the Token URL`,
			);
		}
	}
	const token = answer?.access_token;
	const type = String(answer?.token_type ?? '');
	if (typeof token !== 'string' || token === '') {
		throw new NexthinkTokenError(
			`The token endpoint ${new URL(tokenUrl).host} answered without an access token: check the Token URL`,
		);
	}
	if (type.toLowerCase() !== 'bearer') {
		throw new NexthinkTokenError(
			`The token endpoint answered a token of type "${type}", not Bearer: check the Token URL`,
		);
	}
	const expiresIn = Number(answer.expires_in);
	const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 900_000;
	return { token, lifetimeMs };
}

/** Returns a valid token for the credential, fetching one at most once per credential at a time. */
export async function getNexthinkToken(
	helper: IHttpRequestHelper,
	credentials: NexthinkTokenCredentials,
): Promise<string> {
	let tokenUrl: string;
	try {
		tokenUrl = resolveNexthinkHosts(credentials).tokenUrl;
	} catch (error) {
		throw new NexthinkTokenError((error as Error).message);
	}
	const clientId = (credentials.clientId ?? '').trim();
	const clientSecret = credentials.clientSecret ?? '';
	if (!clientId || !clientSecret) {
		throw new NexthinkTokenError(
			'The Nexthink credential has no Client ID or Client Secret: create OAuth client credentials under Administration > API credentials and paste both',
		);
	}
	const key = cacheKey(tokenUrl, clientId, clientSecret);
	const entry = cache.get(key) ?? { expiresAt: 0 };
	cache.set(key, entry);

	const rejected = credentials.accessToken || undefined;
	if (entry.token && entry.token !== rejected && entry.expiresAt > Date.now()) {
		return entry.token;
	}
	if (!entry.pending) {
		entry.pending = requestToken(helper, tokenUrl, clientId, clientSecret)
			.then(({ token, lifetimeMs }) => {
				entry.token = token;
				entry.expiresAt = Date.now() + lifetimeMs - refreshMarginMs(lifetimeMs);
				return token;
			})
			.finally(() => {
				entry.pending = undefined;
			});
	}
	return await entry.pending;
}

/** Forgets every cached token (tests, or a credential whose secret was rotated). */
export function clearNexthinkTokenCache(): void {
	cache.clear();
}

/**
 * The token endpoint as an n8n expression, for the credential test. It repeats the instance
 * and region checks of resolveNexthinkHosts so that a bad value can only ever produce an
 * address under the reserved `.invalid` TLD, never another host.
 */
const TOKEN_URL_EXPRESSION =
	'={{ $credentials.region === "custom" ? $credentials.tokenUrl : (["us","eu","pac","meta"].includes($credentials.region) && /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(String($credentials.instance).trim()) ? "https://" + String($credentials.instance).trim().toLowerCase() + "-login." + $credentials.region + ".nexthink.cloud/oauth2/default/v1/token" : "https://instance-or-region-is-invalid.invalid/") }}';

export class NexthinkApi implements ICredentialType {
	name = 'nexthinkApi';

	displayName = 'Nexthink API';

	icon: Icon = {
		light: 'file:../nodes/Nexthink/nexthink.svg',
		dark: 'file:../nodes/Nexthink/nexthink.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-nexthink/n8n-nodes-nexthink?tab=readme-ov-file#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Instance',
			name: 'instance',
			type: 'string',
			default: '',
			placeholder: 'acme',
			description:
				'The instance name only: "acme" for https://acme.api.eu.nexthink.cloud. Letters, digits and hyphens.',
			displayOptions: { hide: { region: ['custom'] } },
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			default: 'eu',
			options: [
				{ name: 'Asia-Pacific (Pac)', value: 'pac' },
				{
					name: 'Custom URLs',
					value: 'custom',
					description: 'A proxy, another host, or the local Nexthink simulator',
				},
				{ name: 'European Union (Eu)', value: 'eu' },
				{ name: 'Middle East, Turkey and Africa (Meta)', value: 'meta' },
				{ name: 'United States (Us)', value: 'us' },
			],
			description: 'The region in your Nexthink URL: acme.api.<region>.nexthink.cloud',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://acme.api.eu.nexthink.cloud',
			description: 'Absolute http(s) URL of the Nexthink API, without a trailing path',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			placeholder: 'https://acme-login.eu.nexthink.cloud/oauth2/default/v1/token',
			description: 'Absolute http(s) URL of the OAuth2 token endpoint',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'From Administration > API credentials > New OAuth client credentials',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Shown once when the API credential is created in Nexthink. Give the credential the permissions (Remote Actions API, Workflows API, Campaigns API, NQL API, Enrichment API) the workflows need.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/** Fetches a token (15 minutes) when n8n finds none stored, or after a 401. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const accessToken = await getNexthinkToken(this, credentials as IDataObject);
		return { accessToken };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	/**
	 * preAuthentication runs first and proves instance, region, client ID and secret against the
	 * login host, failing with a message that names the likely cause. The request below then asks
	 * the same endpoint once more with Basic auth (which replaces the Bearer header): the token
	 * endpoint is the only call that every Nexthink API credential may make, whatever its permissions.
	 */
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: TOKEN_URL_EXPRESSION,
			auth: {
				username: '={{$credentials.clientId}}',
				password: '={{$credentials.clientSecret}}',
			},
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			body: 'grant_type=client_credentials&scope=service%3Aintegration',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Nexthink rejected the client ID or secret: check them under Administration > API credentials',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'No Nexthink token endpoint there: check the instance name and region',
				},
			},
		],
	};
}
