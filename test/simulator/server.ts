/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: the simulator is a stand-alone HTTP server, it never runs inside n8n */
/** The three listeners (API, login, files): logging, routing, faults, auth and permissions. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { bearerValid, handleOAuthToken } from './auth';
import { handleControl } from './control';
import { domainOf, sendError, sendS3Error } from './errors';
import { applyFault } from './faults';
import { handleDownload } from './files';
import {
	headerObject,
	parseBody,
	queryObject,
	readBody,
	sendEmpty,
	type RequestContext,
} from './http';
import { API_ROUTES, matchRoute, type RouteMatch } from './routes';
import type { SimState } from './state';
import type { HostName, LogEntry, Permission } from './types';

export const LOGIN_PATH = '/oauth2/default/v1/token';

const PERMISSION_NAMES: Record<Permission, string> = {
	nql: 'NQL API',
	workflows: 'Workflows API',
	remoteActions: 'Remote Actions API',
	campaigns: 'Campaigns API',
	enrichment: 'Enrichment API',
	dataManagement: 'Data management',
	spark: 'Spark API',
};

function match(host: HostName, method: string, path: string): RouteMatch {
	if (host === 'api') return matchRoute(API_ROUTES, method, path);
	if (host === 'login') {
		return path === LOGIN_PATH
			? {
					kind: 'route',
					route: { method, path: /./, endpoint: 'token', handler: handleOAuthToken },
					params: [],
				}
			: { kind: 'none' };
	}
	const file = /^\/exports\/([^/]+)$/.exec(path);
	return file
		? {
				kind: 'route',
				route: { method, path: /./, endpoint: 'nql.download', handler: handleDownload },
				params: [file[1]],
			}
		: { kind: 'none' };
}

function notFound(ctx: RequestContext): void {
	if (ctx.host === 'files')
		sendS3Error(ctx, 404, 'NoSuchKey', 'The specified key does not exist.', {
			Key: ctx.path.replace(/^\//, ''),
		});
	else sendEmpty(ctx, 404);
}

async function serve(
	state: SimState,
	host: HostName,
	req: IncomingMessage,
	res: ServerResponse,
): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://simulator');
	if (
		host === 'api' &&
		(url.pathname === '/_simulator' || url.pathname.startsWith('/_simulator/'))
	) {
		await handleControl(state, req, res, url);
		return;
	}
	// Counted until the answer is sent or the socket is gone ('close' comes either way).
	const arrived = performance.now();
	const leaveFlight = state.enterFlight();
	const timed: { entry?: LogEntry } = {};
	res.once('close', () => {
		leaveFlight();
		if (timed.entry) timed.entry.ms = performance.now() - arrived;
	});
	const method = (req.method ?? 'GET').toUpperCase();
	let rawBody: Buffer;
	try {
		rawBody = await readBody(req);
	} catch {
		res.writeHead(413, { Connection: 'close' }).end();
		return;
	}
	const { body, jsonError } = parseBody(rawBody, req.headers['content-type']);
	const entry: LogEntry = {
		at: new Date().toISOString(),
		host,
		endpoint: 'unknown',
		method,
		path: url.pathname,
		query: queryObject(url.searchParams),
		headers: headerObject(req),
		body,
		status: 0,
	};
	state.log.push(entry);
	timed.entry = entry;
	const ctx: RequestContext = {
		state,
		req,
		res,
		host,
		method,
		path: url.pathname,
		url,
		query: entry.query,
		rawBody,
		body,
		jsonError,
		entry,
		params: [],
	};
	const found = match(host, method, url.pathname);
	// Option latencyMs: every API answer waits, rejections and 404s too; tokens never do.
	const isToken = found.kind === 'route' && found.route.endpoint === 'legacyToken';
	if (host === 'api' && state.options.latencyMs > 0 && !isToken)
		await state.sleepers.sleep(state.options.latencyMs);
	if (found.kind === 'none') {
		state.count('unknown');
		state.strict.record(ctx, 404, `${host} host: no endpoint ${method} ${url.pathname}.`);
		return notFound(ctx);
	}
	entry.endpoint = found.kind === 'route' ? found.route.endpoint : found.endpoint;
	ctx.endpoint = entry.endpoint;
	state.count(entry.endpoint);
	if (found.kind === 'method') {
		state.strict.record(
			ctx,
			405,
			`${method} is not a method of ${url.pathname} (it takes ${found.allow.join(', ')}).`,
		);
		return sendEmpty(ctx, 405, { Allow: found.allow.join(', ') });
	}
	const { route, params } = found;
	ctx.endpoint = route.endpoint;
	ctx.params = params;
	const domain = domainOf(route.endpoint);
	const fault = state.faults.take(route.endpoint);
	if (fault && (await applyFault(ctx, fault, domain))) return;
	const needsBearer = host === 'api' && route.endpoint !== 'legacyToken';
	if (needsBearer && !bearerValid(ctx))
		return sendError(ctx, domain, 401, undefined, undefined, { 'WWW-Authenticate': 'Bearer' });
	if (route.permission && !state.permissions.has(route.permission)) {
		return sendError(
			ctx,
			domain,
			403,
			domain === 'nql'
				? undefined
				: `The API credential does not have the ${PERMISSION_NAMES[route.permission]} permission.`,
		);
	}
	const type = (req.headers['content-type'] ?? '').toLowerCase();
	if (host === 'api' && route.endpoint !== 'legacyToken' && rawBody.length > 0) {
		// Strict mode: a JSON body says so (Nexthink's Spring readers may guess, clients must not rely on it).
		if (type ? !type.includes('json') : state.strict.enabled) {
			return state.strict.reject(
				ctx,
				type
					? `Content-Type '${type}' is not supported: send application/json.`
					: 'The request has a body but no Content-Type: send application/json.',
				{ status: 415, domain },
			);
		}
	}
	try {
		await route.handler(ctx);
	} catch (error) {
		if (res.headersSent) res.destroy();
		else sendError(ctx, domain, 500, `Simulator error: ${(error as Error).message}`);
	}
}

function listen(server: Server, host: string, port: number): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve((server.address() as AddressInfo).port);
		});
	});
}

export interface Listeners {
	ports: Record<HostName, number>;
	close(): Promise<void>;
}

/** Starts the three listeners and fills `state.urls`. */
export async function startListeners(state: SimState): Promise<Listeners> {
	const { host, apiPort, loginPort, filesPort } = state.options;
	const servers: Record<HostName, Server> = {
		api: createServer(),
		login: createServer(),
		files: createServer(),
	};
	for (const name of Object.keys(servers) as HostName[]) {
		servers[name].on('request', (req: IncomingMessage, res: ServerResponse) => {
			serve(state, name, req, res).catch((error: Error) => {
				if (!res.headersSent)
					res
						.writeHead(500, { 'Content-Type': 'application/json' })
						.end(JSON.stringify({ message: `Simulator error: ${error.message}` }));
				else res.destroy();
			});
		});
	}
	const ports: Record<HostName, number> = { api: 0, login: 0, files: 0 };
	let started = false;
	try {
		ports.api = await listen(servers.api, host, apiPort);
		ports.login = await listen(servers.login, host, loginPort);
		ports.files = await listen(servers.files, host, filesPort);
		started = true;
	} finally {
		// A port in use: release the listeners already open.
		if (!started) for (const s of Object.values(servers)) if (s.listening) s.close();
	}
	const base = (port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
	state.urls.api = base(ports.api);
	state.urls.login = base(ports.login);
	state.urls.files = base(ports.files);
	return {
		ports,
		close: async () => {
			state.sleepers.wakeAll();
			await Promise.all(
				Object.values(servers).map(
					(s) =>
						new Promise<void>((resolve) => {
							s.close(() => resolve());
							s.closeAllConnections();
						}),
				),
			);
		},
	};
}
