/** Workflows: execute v1/v2, thinklet trigger, list, details (NEXTHINK-API.md §6). */
import { randomUUID } from 'node:crypto';

import type { WorkflowExecutionRecord } from '../data/records';
import type { Device, User } from '../data/seed';
import {
	currentVersion,
	dependencyOf,
	WAIT_FOR_EVENT_WORKFLOWS,
	type Workflow,
} from '../data/workflows';
import { sendError } from '../errors';
import { header, isRecord, queryParam, sendJson, type RequestContext } from '../http';
import { accepts, checkStringMap, ids, show } from '../validate';

const fail = (ctx: RequestContext, message: string, code = 'INVALID_REQUEST', status = 400) =>
	sendError(ctx, 'workflows', status, message, code);

const MAX_TARGETS = 10000;
type Target = { device?: Device; user?: User };
/** A look-up key: '' matches nothing. */
const str = (v: unknown) => (typeof v === 'string' ? v : '');

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

/** Resolves v2 targets (`{collectorUid|name|uid}`, `{sid|upn|uid}`). */
function targetsV2(ctx: RequestContext, devices: unknown[], users: unknown[]): string | Target[] {
	const { directory } = ctx.state;
	const out: Target[] = [];
	for (const [i, d] of devices.entries()) {
		if (
			!isRecord(d) ||
			(d.collectorUid === undefined && d.name === undefined && d.uid === undefined)
		) {
			return `devices[${i}] must provide at least one of collectorUid, name, uid; got ${show(d)}.`;
		}
		if (d.collectorUid !== undefined && !accepts(ids.COLLECTOR_UUID, d.collectorUid))
			return `devices[${i}].collectorUid ${show(d.collectorUid)} is not a UUID.`;
		if (d.uid !== undefined && !accepts(ids.DEVICE_UID, d.uid))
			return `devices[${i}].uid ${show(d.uid)} is not a UUID.`;
		if (d.name !== undefined && !accepts(ids.DEVICE_NAME, d.name))
			return `devices[${i}].name must be a non-empty string.`;
		out.push({
			device:
				directory.deviceByCollectorUid(str(d.collectorUid)) ??
				directory.deviceByUid(str(d.uid)) ??
				directory.deviceByName(str(d.name)),
		});
	}
	for (const [i, u] of users.entries()) {
		if (!isRecord(u) || (u.sid === undefined && u.upn === undefined && u.uid === undefined)) {
			return `users[${i}] must provide at least one of sid, upn, uid; got ${show(u)}.`;
		}
		if (u.sid !== undefined && !accepts(ids.WORKFLOW_USER_SID, u.sid))
			return `users[${i}].sid ${show(u.sid)} is not a SID.`;
		if (u.upn !== undefined && !accepts(ids.USER_UPN, u.upn))
			return `users[${i}].upn ${show(u.upn)} is not a UPN.`;
		if (u.uid !== undefined && !accepts(ids.USER_UID, u.uid))
			return `users[${i}].uid ${show(u.uid)} is not a UUID.`;
		out.push({
			user:
				directory.userBySid(str(u.sid)) ??
				directory.userByUpn(str(u.upn)) ??
				directory.userByUid(str(u.uid)),
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
		const bad = (message: string, code?: string) => fail(ctx, message, code);
		if (ctx.jsonError) return bad('Malformed JSON request body.');
		if (!isRecord(ctx.body))
			return bad(
				'The request body must be a JSON object with workflowId and devices and/or users.',
			);
		const { workflowId, devices = [], users = [], params } = ctx.body;
		if (!accepts(ids.WORKFLOW_NQL_ID, workflowId)) return bad('workflowId is required.');
		if (!Array.isArray(devices)) return bad(`devices must be an array, got ${show(devices)}.`);
		if (!Array.isArray(users)) return bad(`users must be an array, got ${show(users)}.`);
		if (devices.length === 0 && users.length === 0)
			return bad('At least one device or user target is required.');
		if (devices.length > MAX_TARGETS)
			return bad(`devices holds ${devices.length} items; the maximum is ${MAX_TARGETS}.`);
		if (users.length > MAX_TARGETS)
			return bad(`users holds ${users.length} items; the maximum is ${MAX_TARGETS}.`);
		const mapError = checkStringMap(params, 'params');
		if (mapError) return bad(mapError);
		const targets =
			version === 'v1' ? targetsV1(ctx, devices, users) : targetsV2(ctx, devices, users);
		if (typeof targets === 'string') return bad(targets);
		// With or without its `#` (§6.5).
		const workflow = ctx.state.data.workflows.find((w) =>
			ids.WORKFLOW_NQL_ID.same(w.id, workflowId),
		);
		if (!workflow) return bad(`No workflow with NQL ID ${show(workflowId)}.`, 'WORKFLOW_NOT_FOUND');
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
		const at = new Date().toISOString();
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
			};
		});
		ctx.state.data.workflowExecutions.push(...executions);
		sendJson(ctx, 200, { requestUuid, executionsUuids: executions.map((e) => e.executionUuid) });
	};
}

export function handleThinklet(ctx: RequestContext): void {
	const [workflowUuid, executionUuid] = ctx.params;
	if (!accepts(ids.WORKFLOW_UUID, workflowUuid))
		return fail(ctx, `workflowUuid ${show(workflowUuid)} is not a UUID.`);
	if (!accepts(ids.EXECUTION_UUID, executionUuid))
		return fail(ctx, `executionUuid ${show(executionUuid)} is not a UUID.`);
	if (ctx.jsonError) return fail(ctx, 'Malformed JSON request body.');
	if (ctx.body === undefined)
		return fail(ctx, 'Required request body is missing: send {} when there are no parameters.');
	if (!isRecord(ctx.body))
		return fail(ctx, `The request body must be a JSON object, got ${show(ctx.body)}.`);
	const mapError = checkStringMap(ctx.body.parameters, 'parameters', { nonEmptyValues: true });
	if (mapError) return fail(ctx, mapError);
	const execution = ctx.state.data.workflowExecutions.find(
		(e) => e.executionUuid === executionUuid.toLowerCase(),
	);
	if (execution && execution.workflowUuid !== workflowUuid.toLowerCase()) {
		return fail(ctx, `Execution ${executionUuid} does not belong to workflow ${workflowUuid}.`);
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

export function handleList(ctx: RequestContext): void {
	const dependency = queryParam(ctx, 'dependency');
	const triggerMethod = queryParam(ctx, 'triggerMethod');
	const onlyActive = queryParam(ctx, 'fetchOnlyActiveWorkflows');
	if (dependency !== undefined && !DEPENDENCIES.includes(dependency)) {
		return fail(
			ctx,
			`Invalid value ${show(dependency)} for parameter 'dependency': use one of ${DEPENDENCIES.join(', ')}.`,
		);
	}
	if (triggerMethod !== undefined && !(triggerMethod in TRIGGER_FLAGS)) {
		return fail(
			ctx,
			`Invalid value ${show(triggerMethod)} for parameter 'triggerMethod': use one of ${Object.keys(TRIGGER_FLAGS).join(', ')}.`,
		);
	}
	if (onlyActive !== undefined && onlyActive !== 'true' && onlyActive !== 'false') {
		return fail(
			ctx,
			`Invalid value ${show(onlyActive)} for parameter 'fetchOnlyActiveWorkflows': use true or false.`,
		);
	}
	const list = ctx.state.data.workflows.filter(
		(w) =>
			(dependency === undefined || dependencyOf(w) === dependency) &&
			(triggerMethod === undefined || w.triggerMethods[TRIGGER_FLAGS[triggerMethod]]) &&
			(onlyActive !== 'true' || w.status === 'ACTIVE'),
	);
	sendJson(ctx, 200, list);
}

export function handleDetails(ctx: RequestContext): void {
	const nqlId = queryParam(ctx, 'nqlId');
	if (nqlId === undefined) {
		const hint =
			queryParam(ctx, 'nql-id') !== undefined ? " (this endpoint takes 'nqlId', not 'nql-id')" : '';
		return fail(
			ctx,
			`Required request parameter 'nqlId' for method parameter type String is not present${hint}.`,
			'BAD_REQUEST',
		);
	}
	if (nqlId === '' || nqlId === '#')
		return fail(ctx, `Invalid value ${show(nqlId)} for parameter 'nqlId'.`, 'BAD_REQUEST');
	const workflow = ctx.state.data.workflows.find((w) => ids.WORKFLOW_NQL_ID.same(w.id, nqlId));
	if (!workflow)
		return fail(ctx, `No workflow with NQL ID ${show(nqlId)}.`, 'WORKFLOW_NOT_FOUND', 404);
	sendJson(ctx, 200, ctx.state.options.workflowDetailsShape === 'object' ? workflow : [workflow]);
}
