/**
 * Authentication: the OAuth2 client-credentials endpoint of the login host (Okta style, both
 * client_secret_basic and client_secret_post), the legacy `POST /api/v1/token` (Basic), and the
 * Bearer check on the API host (docs/nexthink-api.md §1).
 */
import { createHmac, randomUUID } from 'node:crypto';

import { sendError } from './errors';
import { header, isRecord, sendJson, type RequestContext } from './http';
import type { SimState } from './state';

export const SCOPE = 'service:integration';

const b64url = (input: string | Buffer) => Buffer.from(input).toString('base64url');

/** Issues a JWT-like token (HS256 over the simulator's own key) and remembers it. */
export function issueToken(state: SimState, clientId: string) {
	const now = Date.now();
	const ttl = state.options.tokenTtlSeconds;
	const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'simulator' }));
	const payload = b64url(
		JSON.stringify({
			ver: 1,
			jti: randomUUID(),
			iss: `${state.urls.login}/oauth2/default`,
			aud: 'api://default',
			sub: clientId,
			cid: clientId,
			scp: [SCOPE],
			iat: Math.floor(now / 1000),
			exp: Math.floor(now / 1000 + ttl),
		}),
	);
	const signature = b64url(
		createHmac('sha256', state.tokenKey).update(`${head}.${payload}`).digest(),
	);
	const accessToken = `${head}.${payload}.${signature}`;
	for (const [token, info] of state.tokens) if (info.expiresAt <= now) state.tokens.delete(token);
	state.tokens.set(accessToken, { clientId, expiresAt: now + ttl * 1000 });
	state.tokensIssued += 1;
	return {
		token_type: 'Bearer',
		expires_in: Math.max(1, Math.ceil(ttl)),
		access_token: accessToken,
		scope: SCOPE,
	};
}

/** True when the request carries a Bearer token the simulator issued and that has not expired. */
export function bearerValid(ctx: RequestContext): boolean {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header(ctx, 'authorization') ?? '');
	if (!match) return false;
	const info = ctx.state.tokens.get(match[1]);
	return info !== undefined && info.expiresAt > Date.now();
}

/** Credentials of an `Authorization: Basic` header; 'malformed' when it is another scheme or unreadable. */
export function parseBasic(
	value: string | undefined,
): { id: string; secret: string } | 'malformed' | undefined {
	if (value === undefined) return undefined;
	const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(value);
	if (!match) return 'malformed';
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return 'malformed';
	// RFC 6749 §2.3.1: client_secret_basic form-encodes id and secret before base64.
	const unform = (s: string) => {
		try {
			return decodeURIComponent(s.replace(/\+/g, ' '));
		} catch {
			return s;
		}
	};
	return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
}

const tokenHeaders = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** `POST {login}/oauth2/default/v1/token`. */
export function handleOAuthToken(ctx: RequestContext): void {
	const { options } = ctx.state;
	const fail = (status: number, error: string, description: string) =>
		sendError(ctx, 'token', status, description, error);
	if (ctx.method !== 'POST') {
		sendError(ctx, 'token', 405, 'The token endpoint accepts POST only.', 'invalid_request', {
			Allow: 'POST',
		});
		return;
	}
	const type = (header(ctx, 'content-type') ?? '').toLowerCase();
	if (ctx.rawBody.length > 0 && !type.includes('application/x-www-form-urlencoded')) {
		fail(
			400,
			'invalid_request',
			`The token request must be application/x-www-form-urlencoded, not '${type || 'none'}'.`,
		);
		return;
	}
	const form = isRecord(ctx.body) ? (ctx.body as Record<string, string>) : {};
	const basic = parseBasic(header(ctx, 'authorization'));
	const posted = form.client_id !== undefined || form.client_secret !== undefined;
	if (basic === 'malformed') {
		fail(
			401,
			'invalid_client',
			'Client authentication failed. Either the client or the client credentials are invalid.',
		);
		return;
	}
	if (basic && form.client_secret !== undefined) {
		fail(
			400,
			'invalid_request',
			'Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.',
		);
		return;
	}
	if (!basic && !posted) {
		fail(401, 'invalid_client', 'No client credentials found.');
		return;
	}
	const id = basic ? basic.id : form.client_id;
	const secret = basic ? basic.secret : form.client_secret;
	if (id !== options.clientId || secret !== options.clientSecret) {
		fail(401, 'invalid_client', "Invalid value for 'client_id' parameter.");
		return;
	}
	if (!form.grant_type) {
		fail(
			400,
			'invalid_request',
			"The token request must specify a 'grant_type'. Valid values: [client_credentials]",
		);
		return;
	}
	if (form.grant_type !== 'client_credentials') {
		fail(
			400,
			'unsupported_grant_type',
			`The authorization grant type '${form.grant_type}' is not supported by the authorization server. Configured grant types: [client_credentials].`,
		);
		return;
	}
	if (
		form.scope !== undefined &&
		form.scope
			.split(/\s+/)
			.filter(Boolean)
			.some((s) => s !== SCOPE)
	) {
		fail(
			400,
			'invalid_scope',
			`One or more scopes are not configured for the authorization server resource: '${form.scope}'. Use '${SCOPE}'.`,
		);
		return;
	}
	sendJson(ctx, 200, issueToken(ctx.state, id), tokenHeaders);
}

/** `POST {api}/api/v1/token`: Basic only; the body (none, JSON or form) is ignored. */
export function handleLegacyToken(ctx: RequestContext): void {
	const basic = parseBasic(header(ctx, 'authorization'));
	const { clientId, clientSecret } = ctx.state.options;
	if (!basic || basic === 'malformed' || basic.id !== clientId || basic.secret !== clientSecret) {
		sendError(ctx, 'legacyToken', 401, undefined, undefined, {
			'WWW-Authenticate': 'Basic realm="nexthink"',
		});
		return;
	}
	sendJson(ctx, 200, issueToken(ctx.state, basic.id), tokenHeaders);
}
