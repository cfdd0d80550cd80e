/** Remote actions: list, details, execute (docs/nexthink-api.md §5). */
import { randomUUID } from 'node:crypto';

import type { RemoteAction } from '../data/remoteActions';
import { hash32 } from '../data/random';
import type { Device } from '../data/seed';
import { ownCode, sendError } from '../errors';
import { isRecord, queryParam, sendEmpty, sendJson, type RequestContext } from '../http';
import { strictViolation, unknownField } from '../strict';
import { accepts, checkStringMap, ids, isInteger, show } from '../validate';

/** A business answer (not a contract rejection) in the domain's `{code, message}`. */
const fail = (ctx: RequestContext, status: number, message: string, code: string) =>
	sendError(ctx, 'remoteActions', status, message, code);

/** The fields of `ExecutionRequest` and `TriggerInfoRequest` (§5.3). */
const EXECUTE_FIELDS = ['remoteActionId', 'params', 'devices', 'expiresInMinutes', 'triggerInfo'];
const TRIGGER_INFO_FIELDS = ['externalSource', 'reason', 'externalReference'];

export function handleList(ctx: RequestContext): void {
	const filters: Array<[keyof RemoteAction['scriptInfo'], boolean]> = [];
	for (const name of ['hasScriptWindows', 'hasScriptMacOs'] as const) {
		const value = queryParam(ctx, name);
		if (value === undefined) continue;
		// The list call declares a 400 without body.
		if (value !== 'true' && value !== 'false') {
			ctx.state.strict.record(ctx, 400, `${name} ${show(value)} must be true or false.`);
			return sendEmpty(ctx, 400); // the list call's 400 has no body (§5.1)
		}
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
		return strictViolation(ctx, "Required request parameter 'nql-id' is not present.");
	// Exactly the NQL ID given: `clear_browser_cache` is not `#clear_browser_cache`.
	const action = ctx.state.data.remoteActions.find((ra) =>
		ids.REMOTE_ACTION_NQL_ID.same(ra.id, id),
	);
	if (!action)
		return fail(
			ctx,
			404,
			`No remote action associated with NQL ID ${show(id)}.`,
			ownCode('NOT_FOUND'),
		);
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
	const reject = (reason: string) => strictViolation(ctx, reason);
	if (ctx.jsonError) return reject('Malformed JSON request body.');
	if (!isRecord(ctx.body))
		return reject('The request body must be a JSON object with remoteActionId and devices.');
	const { remoteActionId, devices, params, expiresInMinutes, triggerInfo } = ctx.body;
	if (!accepts(ids.REMOTE_ACTION_NQL_ID, remoteActionId))
		return reject('remoteActionId is required.');
	if (!Array.isArray(devices) || devices.length === 0)
		return reject('devices is required and must hold 1 to 10000 collector IDs.');
	if (devices.length > 10000)
		return reject(`devices holds ${devices.length} IDs; the maximum is 10000.`);
	const badDevice = devices.find((d) => !accepts(ids.COLLECTOR_UUID, d));
	if (badDevice !== undefined)
		return reject(`devices item ${show(badDevice)} is not a collector ID (UUID).`);
	if (
		expiresInMinutes !== undefined &&
		(!isInteger(expiresInMinutes) || expiresInMinutes < 60 || expiresInMinutes > 10080)
	) {
		return reject(
			`expiresInMinutes ${show(expiresInMinutes)} must be an integer from 60 to 10080.`,
		);
	}
	if (triggerInfo !== undefined && triggerInfo !== null) {
		if (!isRecord(triggerInfo))
			return reject(`triggerInfo must be an object, got ${show(triggerInfo)}.`);
		for (const key of TRIGGER_INFO_FIELDS) {
			const v = triggerInfo[key];
			if (v !== undefined && v !== null && typeof v !== 'string')
				return reject(`triggerInfo.${key} must be a string, got ${show(v)}.`);
		}
		if (typeof triggerInfo.reason === 'string' && triggerInfo.reason.length > 500) {
			return reject(
				`triggerInfo.reason is ${triggerInfo.reason.length} characters long; the maximum is 500.`,
			);
		}
		const extraInfo = unknownField(ctx, triggerInfo, TRIGGER_INFO_FIELDS, 'triggerInfo');
		if (extraInfo) return reject(extraInfo);
	}
	const mapError = checkStringMap(params, 'params');
	if (mapError) return reject(mapError);
	const extra = unknownField(ctx, ctx.body, EXECUTE_FIELDS);
	if (extra) return reject(extra);
	const bad = (message: string, name: string) => fail(ctx, 400, message, ownCode(name));
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
	// No source says what Nexthink answers without an expiry: the answer then has none
	// (`expiresInMinutes` is optional in ExecutionResponse, §5.3), rather than an invented default.
	const expires = expiresInMinutes as number | undefined;
	const now = Date.now();
	const at = new Date(now).toISOString();
	const schedule = ctx.state.executionSchedule(now);
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
			expiresInMinutes: expires ?? null,
			at,
			...schedule,
		});
	}
	sendJson(
		ctx,
		200,
		expires === undefined ? { requestId } : { requestId, expiresInMinutes: expires },
	);
}
