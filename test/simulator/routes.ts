/** The API host's routes: method, path, endpoint key, permission and handler. */
import { handleLegacyToken } from './auth';
import { handleCampaignTrigger } from './domains/campaigns';
import { handleDeletions } from './domains/dataManagement';
import { handleEnrichment } from './domains/enrichment';
import { handleExport, handleStatus } from './domains/exports';
import { handleExecute as nqlExecute } from './domains/nql';
import * as remoteActions from './domains/remoteActions';
import { handleHandoff } from './domains/spark';
import * as workflows from './domains/workflows';
import type { RequestContext } from './http';
import type { EndpointKey, Permission } from './types';

export interface Route {
	method: string;
	/** Matched against the raw (still percent-encoded) path; groups are decoded into `ctx.params`. */
	path: RegExp;
	endpoint: EndpointKey;
	/** Undefined: no Bearer token needed (the legacy token call authenticates with Basic). */
	permission?: Permission;
	handler: (ctx: RequestContext) => void | Promise<void>;
}

const route = (
	method: string,
	path: string | RegExp,
	endpoint: EndpointKey,
	permission: Permission | undefined,
	handler: Route['handler'],
): Route => ({
	method,
	path:
		typeof path === 'string'
			? new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
			: path,
	endpoint,
	permission,
	handler,
});

export const API_ROUTES: Route[] = [
	route('POST', '/api/v1/token', 'legacyToken', undefined, handleLegacyToken),
	route('POST', '/api/v1/nql/execute', 'nql.execute.v1', 'nql', nqlExecute(1)),
	route('POST', '/api/v2/nql/execute', 'nql.execute.v2', 'nql', nqlExecute(2)),
	route('POST', '/api/v1/nql/export', 'nql.export', 'nql', handleExport),
	route('GET', '/api/v1/nql/export', 'nql.export', 'nql', handleExport),
	route('GET', /^\/api\/v1\/nql\/status\/([^/]+)$/, 'nql.status', 'nql', handleStatus),
	route(
		'POST',
		'/api/v1/euf/campaign/trigger',
		'campaign.trigger',
		'campaigns',
		handleCampaignTrigger,
	),
	route(
		'POST',
		'/api/v1/enrichment/data/fields',
		'enrichment.fields',
		'enrichment',
		handleEnrichment,
	),
	route(
		'GET',
		'/api/v1/act/remote-action',
		'remoteAction.list',
		'remoteActions',
		remoteActions.handleList,
	),
	route(
		'GET',
		'/api/v1/act/remote-action/details',
		'remoteAction.details',
		'remoteActions',
		remoteActions.handleDetails,
	),
	route(
		'POST',
		'/api/v1/act/execute',
		'remoteAction.execute',
		'remoteActions',
		remoteActions.handleExecute,
	),
	route(
		'POST',
		'/api/v1/workflows/execute',
		'workflow.execute.v1',
		'workflows',
		workflows.handleExecute('v1'),
	),
	route(
		'POST',
		'/api/v2/workflows/execute',
		'workflow.execute.v2',
		'workflows',
		workflows.handleExecute('v2'),
	),
	route(
		'POST',
		/^\/api\/v1\/workflows\/workflows\/([^/]+)\/execution\/([^/]+)\/trigger$/,
		'workflow.thinklet',
		'workflows',
		workflows.handleThinklet,
	),
	route('GET', '/api/v1/workflows', 'workflow.list', 'workflows', workflows.handleList),
	route(
		'GET',
		'/api/v1/workflows/details',
		'workflow.details',
		'workflows',
		workflows.handleDetails,
	),
	route(
		'POST',
		'/api/v1/data-management/device/deletions',
		'dataManagement.deletions',
		'dataManagement',
		handleDeletions,
	),
	route('POST', '/api/v1/spark/handoff', 'spark.handoff', 'spark', handleHandoff),
];

export type RouteMatch =
	| { kind: 'route'; route: Route; params: string[] }
	| { kind: 'method'; endpoint: EndpointKey; allow: string[] }
	| { kind: 'none' };

export function matchRoute(routes: Route[], method: string, rawPath: string): RouteMatch {
	const onPath = routes.map((r) => ({ r, m: r.path.exec(rawPath) })).filter((x) => x.m !== null);
	if (onPath.length === 0) return { kind: 'none' };
	const hit = onPath.find((x) => x.r.method === method);
	if (!hit)
		return { kind: 'method', endpoint: onPath[0].r.endpoint, allow: onPath.map((x) => x.r.method) };
	const params = (hit.m as RegExpExecArray).slice(1).map((p) => {
		try {
			return decodeURIComponent(p);
		} catch {
			return p;
		}
	});
	return { kind: 'route', route: hit.r, params };
}
