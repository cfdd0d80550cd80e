/** Workflows: execute v1/v2, thinklet trigger, list, details (docs/nexthink-api.md §6). */
import { randomUUID } from 'node:crypto';

import type { WorkflowExecutionRecord } from '../data/records';
import type { Device, User } from '../data/seed';
import {
	currentVersion,
	dependencyOf,
	WAIT_FOR_EVENT_WORKFLOWS,
	type Workflow,
} from '../data/workflows';
import { ownCode, sendError } from '../errors';
import { header, isRecord, queryParam, sendJson, type RequestContext } from '../http';
import { strictViolation, unknownField } from '../strict';
import { accepts, checkStringMap, ids, show } from '../validate';

/**
 * A business answer (not a contract rejection) in the domain's `{code, details}`. The Workflows
 * API documents that body but names no code (§6.1–6.5), so every code is the simulator's own
 * (`ownCode`: `SIMULATOR_<NAME>`; the README lists them). Contract rejections (`strictViolation`)
 * get the domain's default, `SIMULATOR_BAD_REQUEST`.
 */
const fail = (ctx: RequestContext, message: string, name: string) =>
	sendError(ctx, 'workflows', 400, message, ownCode(name));

/** The fields of the execute bodies (§6.1, §6.2). */
const EXECUTE_FIELDS = ['workflowId', 'devices', 'users', 'params'];

const MAX_TARGETS = 10000;
type Target = { device?: Device; user?: User };
/** A look-up key: '' matches nothing. */
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The fields of DeviceData and UserData (§6.2). */
const DEVICE_KEYS = ['collectorUid', 'name', 'uid'];
const USER_KEYS = ['sid', 'upn', 'uid'];
/** The field of the thinklet trigger body (§6.3). */
const THINKLET_FIELDS = ['parameters'];

/**
 * What a combination of identifiers names (§6.2 "provide at least one of"): the one object every
 * identifier given names; none when one of them names nothing or two name different objects.
 */
function resolveAll<T>(found: Array<T | undefined>): T | undefined {
	const [first] = found;
	return first !== undefined && found.every((entry) => entry === first) ? first : undefined;
}

/** Resolves v1 targets (collector UIDs, SIDs). Returns an error message or the targets. */
function targetsV1(ctx: RequestContext, devices: unknown[], users: unknown[]): string | Target[] {
	const { directory } = ctx.state;
	const bad = devices.find((d) => !accepts(ids.COLLECTOR_UUID, d));
	if (bad !== undefined)
		return `devices item ${show(bad)} is not a collector ID: it must match ${ids.COLLECTOR_UUID.apiPattern.source}.`;
	const badSid = users.find((u) => !accepts(ids.WORKFLOW_USER_SID, u));
	if (badSid !== undefined)
		return `users item ${show(badSid)} is not a SID: it must match ${ids.WORKFLOW_USER_SID.apiPattern.source}.`;
	return [
		...(devices as string[]).map((d): Target => ({ device: directory.deviceByCollectorUid(d) })),
		...(users as string[]).map((u): Target => ({ user: directory.userBySid(u) })),
	];
}

/**
 * Resolves v2 targets (`{collectorUid?, name?, uid?}`, `{sid?, upn?, uid?}`, at least one each,
 * combinations taken). An empty object or a value of the wrong shape is refused; an unknown key
 * too, in strict mode (Nexthink's reader may ignore it, but a client sending one believes in an
 * identifier that does not exist).
 */
function targetsV2(ctx: RequestContext, devices: unknown[], users: unknown[]): string | Target[] {
	const { directory } = ctx.state;
	const out: Target[] = [];
	for (const [i, d] of devices.entries()) {
		if (!isRecord(d) || Object.keys(d).length === 0)
			return `devices[${i}] must provide at least one of ${DEVICE_KEYS.join(', ')}; got ${show(d)}.`;
		const unknown = unknownField(ctx, d, DEVICE_KEYS, `devices[${i}]`);
		if (unknown) return unknown;
		if (d.collectorUid !== undefined && !accepts(ids.COLLECTOR_UUID, d.collectorUid))
			return `devices[${i}].collectorUid ${show(d.collectorUid)} is not a UUID.`;
		if (d.uid !== undefined && !accepts(ids.DEVICE_UID, d.uid))
			return `devices[${i}].uid ${show(d.uid)} is not a UUID.`;
		if (d.name !== undefined && !accepts(ids.DEVICE_NAME, d.name))
			return `devices[${i}].name must be a non-empty string.`;
		out.push({
			device: resolveAll([
				...(d.collectorUid === undefined
					? []
					: [directory.deviceByCollectorUid(str(d.collectorUid))]),
				...(d.uid === undefined ? [] : [directory.deviceByUid(str(d.uid))]),
				...(d.name === undefined ? [] : [directory.deviceByName(str(d.name))]),
			]),
		});
	}
	for (const [i, u] of users.entries()) {
		if (!isRecord(u) || Object.keys(u).length === 0)
			return `users[${i}] must provide at least one of ${USER_KEYS.join(', ')}; got ${show(u)}.`;
		const unknown = unknownField(ctx, u, USER_KEYS, `users[${i}]`);
		if (unknown) return unknown;
		if (u.sid !== undefined && !accepts(ids.WORKFLOW_USER_SID, u.sid))
			return `users[${i}].sid ${show(u.sid)} is not a SID.`;
		if (u.upn !== undefined && !accepts(ids.USER_UPN, u.upn))
			return `users[${i}].upn ${show(u.upn)} is not a UPN.`;
		if (u.uid !== undefined && !accepts(ids.USER_UID, u.uid))
			return `users[${i}].uid ${show(u.uid)} is not a UUID.`;
		out.push({
			user: resolveAll([
				...(u.sid === undefined ? [] : [directory.userBySid(str(u.sid))]),
				...(u.upn === undefined ? [] : [directory.userByUpn(str(u.upn))]),
				...(u.uid === undefined ? [] : [directory.userByUid(str(u.uid))]),
			]),
		});
	}
	return out;
}

function checkWorkflowParams(
	workflow: Workflow,
	params: Record<string, string>,
): string | undefined {
	const declared = currentVersion(workflow).parameters;
	for (const [key, value] of Object.entries(params)) {
		const p = declared.find((d) => d.id === key);
		if (!p)
			return `Unknown parameter '${key}' for workflow '${workflow.id}' (parameters: ${declared.map((d) => d.id).join(', ') || 'none'}).`;
		if (!p.allowCustomValue && p.options.length > 0 && !p.options.includes(value)) {
			return `Invalid value ${show(value)} for parameter '${key}': use one of ${p.options.join(', ')}.`;
		}
	}
	return undefined;
}

export function handleExecute(version: 'v1' | 'v2') {
	return (ctx: RequestContext): void => {
		const reject = (reason: string) => strictViolation(ctx, reason);
		if (ctx.jsonError) return reject('Malformed JSON request body.');
		if (!isRecord(ctx.body))
			return reject('The request body must be a JSON object with workflowId, devices and users.');
		const { workflowId, devices, users, params } = ctx.body;
		if (!accepts(ids.WORKFLOW_NQL_ID, workflowId)) return reject('workflowId is required.');
		// The schema requires both lists (§6.1, §6.2); its text lets either be empty (§9.2 item 1).
		for (const [name, list] of [
			['devices', devices],
			['users', users],
		] as const) {
			if (list === undefined)
				return reject(
					`Required property '${name}' is missing: send both devices and users, an empty array for none.`,
				);
			if (!Array.isArray(list)) return reject(`${name} must be an array, got ${show(list)}.`);
		}
		if (!Array.isArray(devices) || !Array.isArray(users)) return;
		if (devices.length === 0 && users.length === 0)
			return reject('At least one device or user target is required.');
		if (devices.length > MAX_TARGETS)
			return reject(`devices holds ${devices.length} items; the maximum is ${MAX_TARGETS}.`);
		if (users.length > MAX_TARGETS)
			return reject(`users holds ${users.length} items; the maximum is ${MAX_TARGETS}.`);
		const mapError = checkStringMap(params, 'params');
		if (mapError) return reject(mapError);
		const extra = unknownField(ctx, ctx.body, EXECUTE_FIELDS);
		if (extra) return reject(extra);
		const targets =
			version === 'v1' ? targetsV1(ctx, devices, users) : targetsV2(ctx, devices, users);
		if (typeof targets === 'string') return reject(targets);
		const bad = (message: string, name: string) => fail(ctx, message, name);
		// Exactly as given: execute documents no equivalence of `x` and `#x` (identifiers.ts).
		const workflow = ctx.state.data.workflows.find((w) =>
			ids.WORKFLOW_NQL_ID.same(w.id, workflowId),
		);
		if (!workflow)
			return bad(
				`No workflow with NQL ID ${show(workflowId)} (NQL IDs are taken exactly as listed).`,
				'WORKFLOW_NOT_FOUND',
			);
		if (workflow.status !== 'ACTIVE')
			return bad(`Workflow '${workflow.id}' is not active.`, 'WORKFLOW_NOT_ACTIVE');
		if (!workflow.triggerMethods.apiEnabled)
			return bad(
				`Workflow '${workflow.id}' is not enabled for API triggering.`,
				'WORKFLOW_NOT_API_ENABLED',
			);
		const values = (params ?? {}) as Record<string, string>;
		const paramError = checkWorkflowParams(workflow, values);
		if (paramError) return bad(paramError, 'INVALID_PARAMETERS');

		const seen = new Set<string>();
		const resolved = targets.filter((t) => {
			const key = t.device ? `d${t.device.index}` : t.user ? `u${t.user.index}` : '';
			if (!key || seen.has(key)) return false;
			seen.add(key);
			return true;
		});
		if (resolved.length === 0)
			return bad('None of the given devices or users exists in this tenant.', 'TARGETS_NOT_FOUND');
		const { directory } = ctx.state;
		const requestUuid = randomUUID();
		const now = Date.now();
		const at = new Date(now).toISOString();
		const schedule = ctx.state.executionSchedule(now);
		const executions = resolved.map((t): WorkflowExecutionRecord => {
			const device = t.device ?? (t.user ? directory.deviceOf(t.user) : undefined);
			const user = t.user ?? (t.device ? directory.userOf(t.device) : undefined);
			return {
				requestUuid,
				executionUuid: randomUUID(),
				workflowId: workflow.id,
				workflowUuid: workflow.uuid,
				workflowName: workflow.name,
				status: WAIT_FOR_EVENT_WORKFLOWS.has(workflow.id) ? 'waiting' : 'success',
				deviceName: device?.name ?? null,
				deviceCollectorUid: device?.collectorUid ?? null,
				userSid: user?.sid ?? null,
				userUpn: user?.upn ?? null,
				params: values,
				apiVersion: version,
				source: header(ctx, 'source') ?? null,
				at,
				...schedule,
			};
		});
		ctx.state.data.workflowExecutions.push(...executions);
		sendJson(ctx, 200, { requestUuid, executionsUuids: executions.map((e) => e.executionUuid) });
	};
}

export function handleThinklet(ctx: RequestContext): void {
	const [workflowUuid, executionUuid] = ctx.params;
	const reject = (reason: string) => strictViolation(ctx, reason);
	if (!accepts(ids.WORKFLOW_UUID, workflowUuid))
		return reject(`workflowUuid ${show(workflowUuid)} is not a UUID.`);
	if (!accepts(ids.EXECUTION_UUID, executionUuid))
		return reject(`executionUuid ${show(executionUuid)} is not a UUID.`);
	if (ctx.jsonError) return reject('Malformed JSON request body.');
	if (ctx.body === undefined)
		return reject('Required request body is missing: send {} when there are no parameters.');
	if (!isRecord(ctx.body))
		return reject(`The request body must be a JSON object, got ${show(ctx.body)}.`);
	const mapError = checkStringMap(ctx.body.parameters, 'parameters', { nonEmptyValues: true });
	if (mapError) return reject(mapError);
	const extra = unknownField(ctx, ctx.body, THINKLET_FIELDS);
	if (extra) return reject(extra);
	const execution = ctx.state.data.workflowExecutions.find(
		(e) => e.executionUuid === executionUuid.toLowerCase(),
	);
	if (execution && execution.workflowUuid !== workflowUuid.toLowerCase()) {
		return fail(
			ctx,
			`Execution ${executionUuid} does not belong to workflow ${workflowUuid}.`,
			'EXECUTION_NOT_IN_WORKFLOW',
		);
	}
	if (execution?.status === 'waiting') execution.status = 'success';
	const requestUuid = randomUUID();
	ctx.state.data.thinkletTriggers.push({
		requestUuid,
		workflowUuid: workflowUuid.toLowerCase(),
		executionUuid: executionUuid.toLowerCase(),
		parameters: (ctx.body.parameters ?? {}) as Record<string, string>,
		source: header(ctx, 'source') ?? null,
		at: new Date().toISOString(),
	});
	sendJson(
		ctx,
		200,
		ctx.state.options.thinkletResponseShape === 'object' ? { requestUuid } : [{ requestUuid }],
	);
}

const DEPENDENCIES = ['USER', 'DEVICE', 'USER_AND_DEVICE', 'NONE'];
const TRIGGER_FLAGS: Record<string, keyof Workflow['triggerMethods']> = {
	API: 'apiEnabled',
	MANUAL: 'manualEnabled',
	MANUAL_MULTIPLE: 'manualAllowMultipleInstances',
	SCHEDULER: 'schedulingEnabled',
};

/**
 * The list requires `dependency` and `triggerMethod` (§6.4: the spec marks both required, and the
 * Python and PowerShell clients always send them); `fetchOnlyActiveWorkflows` is optional.
 */
export function handleList(ctx: RequestContext): void {
	const dependency = queryParam(ctx, 'dependency');
	const triggerMethod = queryParam(ctx, 'triggerMethod');
	const onlyActive = queryParam(ctx, 'fetchOnlyActiveWorkflows');
	for (const [name, value] of [
		['dependency', dependency],
		['triggerMethod', triggerMethod],
	] as const) {
		if (value === undefined)
			return strictViolation(
				ctx,
				`Required request parameter '${name}' is not present: the list takes dependency (${DEPENDENCIES.join(', ')}) and triggerMethod (${Object.keys(TRIGGER_FLAGS).join(', ')}).`,
			);
	}
	if (dependency === undefined || triggerMethod === undefined) return;
	if (!DEPENDENCIES.includes(dependency)) {
		return strictViolation(
			ctx,
			`Invalid value ${show(dependency)} for parameter 'dependency': use one of ${DEPENDENCIES.join(', ')}.`,
		);
	}
	if (!(triggerMethod in TRIGGER_FLAGS)) {
		return strictViolation(
			ctx,
			`Invalid value ${show(triggerMethod)} for parameter 'triggerMethod': use one of ${Object.keys(TRIGGER_FLAGS).join(', ')}.`,
		);
	}
	if (onlyActive !== undefined && onlyActive !== 'true' && onlyActive !== 'false') {
		return strictViolation(
			ctx,
			`Invalid value ${show(onlyActive)} for parameter 'fetchOnlyActiveWorkflows': use true or false.`,
		);
	}
	const list = ctx.state.data.workflows.filter(
		(w) =>
			dependencyOf(w) === dependency &&
			w.triggerMethods[TRIGGER_FLAGS[triggerMethod]] &&
			(onlyActive !== 'true' || w.status === 'ACTIVE'),
	);
	sendJson(ctx, 200, list);
}

/**
 * Details, by NQL ID with or without its `#` (§6.5). The spec declares no 404: an unknown ID gets
 * what its answer implies, an empty array; in the `object` shape (one workflow, not a list), which
 * cannot be empty, the documented 400 body.
 */
export function handleDetails(ctx: RequestContext): void {
	const nqlId = queryParam(ctx, 'nqlId');
	if (nqlId === undefined) {
		const hint =
			queryParam(ctx, 'nql-id') !== undefined ? " (this endpoint takes 'nqlId', not 'nql-id')" : '';
		return strictViolation(
			ctx,
			`Required request parameter 'nqlId' for method parameter type String is not present${hint}.`,
		);
	}
	if (nqlId === '' || nqlId === '#')
		return strictViolation(ctx, `Invalid value ${show(nqlId)} for parameter 'nqlId'.`);
	const workflow = ctx.state.data.workflows.find((w) =>
		ids.WORKFLOW_DETAILS_NQL_ID.same(w.id, nqlId),
	);
	const asObject = ctx.state.options.workflowDetailsShape === 'object';
	if (!workflow && asObject)
		return fail(ctx, `No workflow with NQL ID ${show(nqlId)}.`, 'WORKFLOW_NOT_FOUND');
	if (!workflow) return sendJson(ctx, 200, []);
	sendJson(ctx, 200, asObject ? workflow : [workflow]);
}
