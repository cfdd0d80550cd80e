/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: the simulator is a stand-alone HTTP server, it never runs inside n8n (node:http types) */
/**
 * The control API under `/_simulator/` on the API host, for tests running in another process
 * (a real n8n, a shell). No auth, and never in the request log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { isRecord, parseBody, readBody } from './http';
import type { SimState } from './state';
import { ENDPOINT_KEYS, type EndpointKey, type Fault } from './types';

export const CONTROL_ENDPOINTS = [
	'GET    /_simulator/log',
	'GET    /_simulator/counters        per endpoint, tokensIssued, inFlight, maxInFlight',
	'POST   /_simulator/max-in-flight/reset',
	'GET    /_simulator/faults',
	'POST   /_simulator/faults          {endpoint, fault, times?}',
	'DELETE /_simulator/faults',
	'POST   /_simulator/reset',
	'POST   /_simulator/expire-tokens',
	'POST   /_simulator/queries/rows    {queryId, rows}',
	'POST   /_simulator/devices/free-disk {device, gb}   free disk space of a seeded device (#devices_low_disk); gb null: the seeded value',
	'PUT    /_simulator/execution-timings {pendingMs?, inProgressMs?}   pace of executions triggered from now on',
	'GET    /_simulator/permissions',
	'PUT    /_simulator/permissions     {permissions: [...]}',
	'GET    /_simulator/data            seed IDs, sample devices and users, recordings',
	'GET    /_simulator/rejections      requests rejected as breaking the contract, since start',
	'GET    /_simulator/devices?count=N&fields=collectorUid,name,uid   {devices: [...]}: the first N seeded devices',
	'GET    /_simulator/users?count=N&fields=sid,upn,uid               {users: [...]}: the first N seeded users',
	'GET    /_simulator/enrichments?count=N   {enrichments: [...]}: the first N devices as enrichments in the API format (name → #asset_tag = uid)',
];

/**
 * The first `count` seeded devices or users with the `fields` asked for (all without it): input
 * lists a workflow can fetch with a plain HTTP Request, the same for every client (npm run bench).
 */
function seedList<T extends object>(
	seeded: readonly T[],
	kind: 'devices' | 'users',
	url: URL,
): Record<string, Array<Partial<T>>> {
	const rawCount = url.searchParams.get('count');
	const count = rawCount === null ? seeded.length : Number(rawCount);
	if (!Number.isInteger(count) || count < 0 || count > seeded.length)
		throw new Error(
			`count must be an integer from 0 to ${seeded.length} (the seeded ${kind}; option deviceCount), got ${rawCount}`,
		);
	const known = seeded.length ? Object.keys(seeded[0]) : [];
	const fields = (url.searchParams.get('fields') ?? '')
		.split(',')
		.map((field) => field.trim())
		.filter(Boolean);
	const unknown = fields.filter((field) => !known.includes(field));
	if (unknown.length)
		throw new Error(`Unknown ${kind} field(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
	const pickFields = fields.length
		? (entry: T) =>
				Object.fromEntries(fields.map((field) => [field, entry[field as keyof T]])) as Partial<T>
		: (entry: T) => entry;
	return { [kind]: seeded.slice(0, count).map(pickFields) };
}

function reply(res: ServerResponse, status: number, body?: unknown): void {
	if (body === undefined) {
		res.writeHead(status, { 'Content-Length': 0 });
		res.end();
		return;
	}
	const text = JSON.stringify(body, null, 2);
	res.writeHead(status, {
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(text),
	});
	res.end(text);
}

export function counters(state: SimState): Record<string, number> {
	return Object.fromEntries(state.counters);
}

function dataSummary(state: SimState) {
	const { data } = state;
	return {
		workflows: data.workflows.map((w) => ({
			id: w.id,
			uuid: w.uuid,
			status: w.status,
			apiEnabled: w.triggerMethods.apiEnabled,
		})),
		remoteActions: data.remoteActions.map((ra) => ({
			id: ra.id,
			apiEnabled: ra.targeting.apiEnabled,
			inputs: ra.scriptInfo.inputs.map((i) => i.id),
		})),
		campaigns: data.campaigns,
		queries: data.queries,
		deviceCount: data.devices.length,
		sampleDevices: data.devices.slice(0, 10),
		sampleUsers: data.users.slice(0, 10),
		workflowExecutions: data.workflowExecutions,
		remoteActionExecutions: data.remoteActionExecutions,
		campaignRequests: data.campaignRequests,
		enrichments: data.enrichments.length,
		deletions: data.deletions,
		sparkHandoffs: data.sparkHandoffs,
		thinkletTriggers: data.thinkletTriggers,
		exports: data.exports.map(({ snapshot, ...rest }) => ({
			...rest,
			snapshotRows: snapshot?.length,
		})),
	};
}

export async function handleControl(
	state: SimState,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
): Promise<void> {
	const raw = await readBody(req);
	const { body } = parseBody(raw, req.headers['content-type']);
	const input = isRecord(body) ? body : {};
	const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
	try {
		switch (route) {
			case 'GET /_simulator':
				return reply(res, 200, { endpoints: CONTROL_ENDPOINTS, endpointKeys: ENDPOINT_KEYS });
			case 'GET /_simulator/log':
				return reply(res, 200, state.log);
			case 'GET /_simulator/counters':
				return reply(res, 200, {
					counters: counters(state),
					tokensIssued: state.tokensIssued,
					inFlight: state.inFlight,
					maxInFlight: state.maxInFlight,
				});
			case 'POST /_simulator/max-in-flight/reset':
				state.resetMaxInFlight();
				return reply(res, 200, { inFlight: state.inFlight, maxInFlight: state.maxInFlight });
			case 'GET /_simulator/devices':
				return reply(res, 200, seedList(state.data.devices, 'devices', url));
			case 'GET /_simulator/users':
				return reply(res, 200, seedList(state.data.users, 'users', url));
			case 'GET /_simulator/enrichments':
				return reply(res, 200, {
					enrichments: seedList(state.data.devices, 'devices', url).devices.map((device) => ({
						identification: [{ name: 'device/device/name', value: device.name }],
						fields: [{ name: 'device/device/#asset_tag', value: device.uid }],
					})),
				});
			case 'GET /_simulator/faults':
				return reply(res, 200, state.faults.pending());
			case 'POST /_simulator/faults':
				state.faults.add(
					input.endpoint as EndpointKey,
					input.fault as Fault,
					input.times as number | undefined,
				);
				return reply(res, 201, state.faults.pending());
			case 'DELETE /_simulator/faults':
				state.faults.clear();
				return reply(res, 204);
			case 'POST /_simulator/reset':
				state.reset();
				return reply(res, 204);
			case 'POST /_simulator/expire-tokens':
				return reply(res, 200, { expired: state.expireAllTokens() });
			case 'POST /_simulator/queries/rows':
				state.setQueryRows(input.queryId as string, input.rows as number);
				return reply(res, 200, { queryId: input.queryId, rows: input.rows });
			case 'POST /_simulator/devices/free-disk':
				state.freeDiskSpace.setFor(input.device as string, input.gb as number | null | undefined);
				return reply(res, 200, { device: input.device, gb: input.gb ?? null });
			case 'PUT /_simulator/execution-timings':
				state.setExecutionTimings({
					pendingMs: input.pendingMs as number | undefined,
					inProgressMs: input.inProgressMs as number | undefined,
				});
				return reply(res, 200, state.options.executionTimings);
			case 'GET /_simulator/permissions':
				return reply(res, 200, { permissions: [...state.permissions] });
			case 'PUT /_simulator/permissions':
				if (!Array.isArray(input.permissions)) throw new Error('permissions must be an array');
				state.setPermissions(input.permissions);
				return reply(res, 200, { permissions: [...state.permissions] });
			case 'GET /_simulator/data':
				return reply(res, 200, dataSummary(state));
			case 'GET /_simulator/rejections':
				return reply(res, 200, {
					strict: state.strict.enabled,
					rejections: state.strict.rejections,
				});
			default:
				return reply(res, 404, {
					error: `No control endpoint ${route}`,
					endpoints: CONTROL_ENDPOINTS,
				});
		}
	} catch (error) {
		reply(res, 400, { error: (error as Error).message });
	}
}
