/** Remote actions: list, details, execute (NEXTHINK-API.md §5). */
import { randomUUID } from 'node:crypto';

import type { RemoteAction } from '../data/remoteActions';
import { hash32 } from '../data/random';
import type { Device } from '../data/seed';
import { sendError } from '../errors';
import { isRecord, queryParam, sendEmpty, sendJson, type RequestContext } from '../http';
import { accepts, checkStringMap, ids, isInteger, show } from '../validate';

const fail = (ctx: RequestContext, status: number, message: string, code: string) =>
	sendError(ctx, 'remoteActions', status, message, code);

export function handleList(ctx: RequestContext): void {
	const filters: Array<[keyof RemoteAction['scriptInfo'], boolean]> = [];
	for (const name of ['hasScriptWindows', 'hasScriptMacOs'] as const) {
		const value = queryParam(ctx, name);
		if (value === undefined) continue;
		// The list call declares a 400 without body.
		if (value !== 'true' && value !== 'false') return sendEmpty(ctx, 400);
		filters.push([name, value === 'true']);
	}
	sendJson(
		ctx,
		200,
		ctx.state.data.remoteActions.filter((ra) => filters.every(([k, v]) => ra.scriptInfo[k] === v)),
	);
}

export function handleDetails(ctx: RequestContext): void {
	const id = queryParam(ctx, 'nql-id');
	if (!accepts(ids.REMOTE_ACTION_NQL_ID, id))
		return fail(ctx, 400, "Required request parameter 'nql-id' is not present.", 'BAD_REQUEST');
	// Exactly the NQL ID given: `clear_browser_cache` is not `#clear_browser_cache`.
	const action = ctx.state.data.remoteActions.find((ra) =>
		ids.REMOTE_ACTION_NQL_ID.same(ra.id, id),
	);
	if (!action)
		return fail(ctx, 404, `No remote action associated with NQL ID ${show(id)}.`, 'NOT_FOUND');
	sendJson(ctx, 200, action);
}

/** Outputs of a successful run, deterministic per device and action. */
function outputsFor(action: RemoteAction, device: Device): Record<string, string | number> {
	const out: Record<string, string | number> = {};
	for (const o of action.scriptInfo.outputs) {
		const h = hash32(`${action.id}:${device.collectorUid}:${o.id}`);
		if (o.type === 'int' || o.type === 'float') out[o.id] = o.id === 'TotalSpaceGB' ? 512 : h % 400;
		else if (o.type === 'bool') out[o.id] = h % 2 === 0 ? 'true' : 'false';
		else out[o.id] = o.id.toLowerCase().includes('status') ? 'OK' : `${o.name} on ${device.name}`;
	}
	return out;
}

function checkParams(action: RemoteAction, params: Record<string, string>): string | undefined {
	for (const [key, value] of Object.entries(params)) {
		const input = action.scriptInfo.inputs.find((i) => i.id === key);
		if (!input) {
			const known = action.scriptInfo.inputs.map((i) => i.id).join(', ') || 'none';
			return `Unknown parameter '${key}' for remote action '${action.id}' (inputs: ${known}).`;
		}
		if (!input.allowCustomValue && input.options.length > 0 && !input.options.includes(value)) {
			return `Invalid value ${show(value)} for parameter '${key}': use one of ${input.options.join(', ')}.`;
		}
	}
	return undefined;
}

export function handleExecute(ctx: RequestContext): void {
	const bad = (message: string, code = 'INVALID_REQUEST') => fail(ctx, 400, message, code);
	if (ctx.jsonError) return bad('Malformed JSON request body.');
	if (!isRecord(ctx.body))
		return bad('The request body must be a JSON object with remoteActionId and devices.');
	const { remoteActionId, devices, params, expiresInMinutes, triggerInfo } = ctx.body;
	if (!accepts(ids.REMOTE_ACTION_NQL_ID, remoteActionId)) return bad('remoteActionId is required.');
	if (!Array.isArray(devices) || devices.length === 0)
		return bad('devices is required and must hold 1 to 10000 collector IDs.');
	if (devices.length > 10000)
		return bad(`devices holds ${devices.length} IDs; the maximum is 10000.`);
	const badDevice = devices.find((d) => !accepts(ids.COLLECTOR_UUID, d));
	if (badDevice !== undefined)
		return bad(`devices item ${show(badDevice)} is not a collector ID (UUID).`);
	if (
		expiresInMinutes !== undefined &&
		(!isInteger(expiresInMinutes) || expiresInMinutes < 60 || expiresInMinutes > 10080)
	) {
		return bad(`expiresInMinutes ${show(expiresInMinutes)} must be an integer from 60 to 10080.`);
	}
	if (triggerInfo !== undefined && triggerInfo !== null) {
		if (!isRecord(triggerInfo))
			return bad(`triggerInfo must be an object, got ${show(triggerInfo)}.`);
		for (const key of ['externalSource', 'reason', 'externalReference']) {
			const v = triggerInfo[key];
			if (v !== undefined && v !== null && typeof v !== 'string')
				return bad(`triggerInfo.${key} must be a string, got ${show(v)}.`);
		}
		if (typeof triggerInfo.reason === 'string' && triggerInfo.reason.length > 500) {
			return bad(
				`triggerInfo.reason is ${triggerInfo.reason.length} characters long; the maximum is 500.`,
			);
		}
	}
	const mapError = checkStringMap(params, 'params');
	if (mapError) return bad(mapError);
	const action = ctx.state.data.remoteActions.find((ra) =>
		ids.REMOTE_ACTION_NQL_ID.same(ra.id, remoteActionId),
	);
	if (!action)
		return bad(
			`No remote action associated with NQL ID ${show(remoteActionId)}.`,
			'REMOTE_ACTION_NOT_FOUND',
		);
	if (!action.targeting.apiEnabled)
		return bad(
			`Remote action '${action.id}' is not enabled for API use.`,
			'REMOTE_ACTION_NOT_API_ENABLED',
		);
	const values = (params ?? {}) as Record<string, string>;
	const paramError = checkParams(action, values);
	if (paramError) return bad(paramError, 'INVALID_PARAMETERS');

	const requestId = randomUUID();
	const expires = (expiresInMinutes as number | undefined) ?? 60;
	const at = new Date().toISOString();
	for (const collectorUid of new Set((devices as string[]).map(ids.COLLECTOR_UUID.key))) {
		const device = ctx.state.directory.deviceByCollectorUid(collectorUid);
		const hasScript =
			device &&
			(device.osPlatform === 'macOS'
				? action.scriptInfo.hasScriptMacOs
				: device.osPlatform === 'Windows' && action.scriptInfo.hasScriptWindows);
		ctx.state.data.remoteActionExecutions.push({
			requestId,
			remoteActionId: action.id,
			remoteActionName: action.name,
			deviceCollectorUid: collectorUid,
			deviceName: device?.name ?? null,
			status: device && hasScript ? 'success' : 'failure',
			statusDetails: !device
				? 'Unknown device'
				: hasScript
					? 'Execution completed'
					: `No script for ${device.osPlatform}`,
			outputs: device && hasScript ? outputsFor(action, device) : {},
			params: values,
			triggerInfo: isRecord(triggerInfo) ? triggerInfo : null,
			expiresInMinutes: expires,
			at,
		});
	}
	sendJson(ctx, 200, { requestId, expiresInMinutes: expires });
}
