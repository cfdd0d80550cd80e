/**
 * Where a Nexthink credential points: the API host and the token endpoint.
 * Shared by the credential (token request, credential test) and the node transport, so that one
 * check decides which hosts ever see the client secret or a token.
 */

export const NEXTHINK_REGIONS = ['us', 'eu', 'pac', 'meta'] as const;
export type NexthinkRegion = (typeof NEXTHINK_REGIONS)[number] | 'custom';

/** A DNS label: letters, digits and inner hyphens. Anything else could redirect the secret to another host. */
export const INSTANCE_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export interface NexthinkCredentialFields {
	instance?: string;
	region?: string;
	apiBaseUrl?: string;
	tokenUrl?: string;
}

export interface NexthinkHosts {
	apiBaseUrl: string;
	tokenUrl: string;
}

export class NexthinkHostError extends Error {
	constructor(
		message: string,
		readonly field: 'instance' | 'region' | 'apiBaseUrl' | 'tokenUrl',
	) {
		super(message);
		this.name = 'NexthinkHostError';
	}
}

function absoluteHttpUrl(
	value: string | undefined,
	field: 'apiBaseUrl' | 'tokenUrl',
	label: string,
): URL {
	const text = (value ?? '').trim();
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (
		!url ||
		(url.protocol !== 'https:' && url.protocol !== 'http:') ||
		url.username ||
		url.password
	) {
		throw new NexthinkHostError(
			`${label} must be an absolute http(s) URL without user info, for example https://acme.api.eu.nexthink.cloud (got "${text}")`,
			field,
		);
	}
	return url;
}

/** Resolves and validates the hosts of a credential; throws NexthinkHostError before any URL is used. */
export function resolveNexthinkHosts(credentials: NexthinkCredentialFields): NexthinkHosts {
	const region = (credentials.region ?? '').trim();
	if (region === 'custom') {
		const api = absoluteHttpUrl(credentials.apiBaseUrl, 'apiBaseUrl', 'API Base URL');
		const token = absoluteHttpUrl(credentials.tokenUrl, 'tokenUrl', 'Token URL');
		return { apiBaseUrl: api.href.replace(/\/+$/, ''), tokenUrl: token.href };
	}
	if (!(NEXTHINK_REGIONS as readonly string[]).includes(region)) {
		throw new NexthinkHostError(
			`Region "${region}" is not a Nexthink region: choose us, eu, pac, meta, or custom`,
			'region',
		);
	}
	const instance = (credentials.instance ?? '').trim().toLowerCase();
	if (!INSTANCE_PATTERN.test(instance)) {
		throw new NexthinkHostError(
			`Instance "${credentials.instance ?? ''}" is not a valid instance name: use only the name, for example "acme" for https://acme.api.eu.nexthink.cloud (letters, digits and hyphens)`,
			'instance',
		);
	}
	return {
		apiBaseUrl: `https://${instance}.api.${region}.nexthink.cloud`,
		tokenUrl: `https://${instance}-login.${region}.nexthink.cloud/oauth2/default/v1/token`,
	};
}
