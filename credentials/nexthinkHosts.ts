/**
 * Where a Nexthink credential points: the API host and the token endpoint.
 * Shared by the credential (token request, credential test) and the node transport, so that one
 * check decides which hosts ever see the client secret or a token.
 */

const NEXTHINK_REGIONS = ['us', 'eu', 'pac', 'meta'] as const;

/** A DNS label: letters, digits and inner hyphens. Anything else could redirect the secret to another host. */
const INSTANCE_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

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

/** A credential field that cannot be used; the message names the field and how to fix it. */
export class NexthinkHostError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'NexthinkHostError';
	}
}

/**
 * Loopback hosts: the only ones plain http may reach, since the secret and tokens travel in
 * clear text (127.0.0.0/8, ::1, localhost). `hostname` is the WHATWG-normalised one, so
 * `http://2130706433/` or `http://0x7f.1/` arrive here as 127.x.x.x already.
 */
function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function absoluteUrl(value: string | undefined, label: string, example: string): URL {
	const text = (value ?? '').trim();
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (url && (url.username || url.password)) {
		// Never echo the user info: it is a name and password for whoever the host is.
		throw new NexthinkHostError(
			`${label} must not contain a user name or password (user:password@…): the Nexthink credential sends its client ID and secret itself. Use ${url.protocol}//${url.host}${url.pathname}`,
		);
	}
	if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
		throw new NexthinkHostError(
			`${label} must be an absolute https URL, for example ${example} (got "${text}")`,
		);
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		throw new NexthinkHostError(
			`${label} must use https: plain http would send the client secret and tokens unencrypted to ${url.host}. Use https://${url.host}${url.pathname === '/' ? '' : url.pathname} (http is accepted only for localhost and 127.0.0.1)`,
		);
	}
	return url;
}

/** Resolves and validates the hosts of a credential; throws NexthinkHostError before any URL is used. */
export function resolveNexthinkHosts(credentials: NexthinkCredentialFields): NexthinkHosts {
	const region = (credentials.region ?? '').trim();
	if (region === 'custom') {
		const api = absoluteUrl(
			credentials.apiBaseUrl,
			'API Base URL',
			'https://acme.api.eu.nexthink.cloud',
		);
		if (api.search || api.hash || /[?#]/.test((credentials.apiBaseUrl ?? '').trim())) {
			throw new NexthinkHostError(
				`API Base URL must not contain a query (?…) or fragment (#…): the node adds the API path after it, so anything after ? or # would be lost. Use ${api.origin}${api.pathname.replace(/\/+$/, '')}`,
			);
		}
		const token = absoluteUrl(
			credentials.tokenUrl,
			'Token URL',
			'https://acme-login.eu.nexthink.cloud/oauth2/default/v1/token',
		);
		return { apiBaseUrl: api.href.replace(/\/+$/, ''), tokenUrl: token.href };
	}
	if (!(NEXTHINK_REGIONS as readonly string[]).includes(region)) {
		throw new NexthinkHostError(
			`Region "${region}" is not a Nexthink region: choose us, eu, pac, meta, or custom`,
		);
	}
	const instance = (credentials.instance ?? '').trim().toLowerCase();
	if (!INSTANCE_PATTERN.test(instance)) {
		throw new NexthinkHostError(
			`Instance "${credentials.instance ?? ''}" is not a valid instance name: use only the name, for example "acme" for https://acme.api.eu.nexthink.cloud (letters, digits and hyphens)`,
		);
	}
	return {
		apiBaseUrl: `https://${instance}.api.${region}.nexthink.cloud`,
		tokenUrl: `https://${instance}-login.${region}.nexthink.cloud/oauth2/default/v1/token`,
	};
}
