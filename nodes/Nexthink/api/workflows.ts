/** The Workflows API (docs/nexthink-api.md "Workflows"): one function per endpoint. */
import type { IDataObject } from 'n8n-workflow';

import type { BadRequestFields } from '../transport/errors';
import { nexthinkRequest, type NexthinkContext } from '../transport/request';

/** A workflow as Nexthink lists it; the spec's self-referencing fields are read defensively. */
export type WorkflowObject = IDataObject;

interface WorkflowVersion {
	status?: string;
	hasDevice?: boolean;
	hasUser?: boolean;
	parameters?: WorkflowParameter[];
}

/** A parameter of a workflow's version (§6.6): its ID, and the values Nexthink offers. */
export interface WorkflowParameter {
	id?: string;
	allowCustomValue?: boolean;
	options?: string[];
}

function currentVersion(workflow: WorkflowObject): WorkflowVersion | undefined {
	const versions = Array.isArray(workflow.versions)
		? (workflow.versions as WorkflowVersion[]).filter((v) => v && typeof v === 'object')
		: [];
	return versions.find((v) => v.status === 'ACTIVE') ?? versions[versions.length - 1];
}

/** The parameters of the version that runs, as Nexthink describes them (none when it does not). */
export function parametersOf(workflow: WorkflowObject): Array<WorkflowParameter & { id: string }> {
	const parameters = currentVersion(workflow)?.parameters;
	if (!Array.isArray(parameters)) return [];
	return parameters.filter(
		(p): p is WorkflowParameter & { id: string } =>
			typeof p === 'object' && p !== null && typeof p.id === 'string' && p.id !== '',
	);
}

/** The list's `dependency` filter values (§6.4), in the spec's order. */
export const DEPENDENCIES = ['USER', 'DEVICE', 'USER_AND_DEVICE', 'NONE'] as const;
/** The list's `triggerMethod` filter values (§6.4), in the spec's order. */
export const TRIGGER_METHODS = ['API', 'MANUAL', 'MANUAL_MULTIPLE', 'SCHEDULER'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];
export type TriggerMethod = (typeof TRIGGER_METHODS)[number];

/** The live shape's boolean for each trigger method (§6.6, as the Go SDK maps them). */
const TRIGGER_FLAGS: Record<TriggerMethod, string> = {
	API: 'apiEnabled',
	MANUAL: 'manualEnabled',
	MANUAL_MULTIPLE: 'manualAllowMultipleInstances',
	SCHEDULER: 'schedulingEnabled',
};

/**
 * Whether the workflow can be started this way: true or false when its `triggerMethods` says (the
 * live booleans, or the list older SDKs used), undefined when it says nothing readable.
 */
export function hasTriggerMethod(
	workflow: WorkflowObject,
	method: TriggerMethod,
): boolean | undefined {
	const methods = workflow.triggerMethods as unknown;
	if (Array.isArray(methods)) return methods.includes(method);
	if (typeof methods !== 'object' || methods === null) return undefined;
	const flag = (methods as IDataObject)[TRIGGER_FLAGS[method]];
	return typeof flag === 'boolean' ? flag : undefined;
}

/** Whether the workflow's API trigger is on (the live shape has booleans; older SDKs used a list). */
export function isApiEnabled(workflow: WorkflowObject): boolean {
	return hasTriggerMethod(workflow, 'API') === true;
}

/** USER, DEVICE, USER_AND_DEVICE or NONE, from the version that runs. */
export function dependencyOf(workflow: WorkflowObject): string | undefined {
	const version = currentVersion(workflow);
	if (!version || (version.hasDevice === undefined && version.hasUser === undefined))
		return undefined;
	if (version.hasDevice && version.hasUser) return 'USER_AND_DEVICE';
	if (version.hasDevice) return 'DEVICE';
	return version.hasUser ? 'USER' : 'NONE';
}

/** What a person or an agent needs to pick and trigger a workflow. */
export function simplifyWorkflow(workflow: WorkflowObject): IDataObject {
	const simple: IDataObject = {
		id: workflow.id,
		uuid: workflow.uuid,
		name: workflow.name,
		description: workflow.description,
		status: workflow.status,
		apiEnabled: isApiEnabled(workflow),
	};
	const dependency = dependencyOf(workflow);
	if (dependency) simple.dependency = dependency;
	if (Array.isArray(currentVersion(workflow)?.parameters))
		simple.parameters = parametersOf(workflow).map((parameter) => parameter.id);
	if (workflow.lastUpdateTime !== undefined) simple.lastUpdateTime = workflow.lastUpdateTime;
	return simple;
}

/** One list call's query: the spec requires `dependency` and `triggerMethod` (§6.4). */
export interface WorkflowListQuery {
	dependency: Dependency;
	triggerMethod: TriggerMethod;
	/** Optional in the spec; left out when undefined. */
	onlyActive?: boolean;
}

/** `GET /api/v1/workflows?dependency=&triggerMethod=[&fetchOnlyActiveWorkflows=]`: one call. */
export async function listWorkflows(
	context: NexthinkContext,
	query: WorkflowListQuery,
	itemIndex?: number,
): Promise<WorkflowObject[]> {
	const qs: IDataObject = { dependency: query.dependency, triggerMethod: query.triggerMethod };
	if (query.onlyActive !== undefined) qs.fetchOnlyActiveWorkflows = String(query.onlyActive);
	const { body } = await nexthinkRequest.call(context, {
		method: 'GET',
		path: '/api/v1/workflows',
		qs,
		operation: 'Workflow Get Many',
		domain: 'workflows',
		badRequest: {
			otherwise:
				'Check Filters: Dependency, Trigger Method and Only Active are what the list call sends.',
		},
		itemIndex,
	});
	const list = Array.isArray(body)
		? body
		: // Tolerate a wrapped list, should a gateway or a later API version add one.
			(body as IDataObject | undefined)?.workflows;
	return Array.isArray(list)
		? (list as unknown[]).filter(
				(workflow): workflow is WorkflowObject =>
					typeof workflow === 'object' && workflow !== null && !Array.isArray(workflow),
			)
		: [];
}

/** What a list across several filter values asks for; a filter left out means "every value". */
export interface WorkflowListFilters {
	dependencies?: readonly Dependency[];
	triggerMethods?: readonly TriggerMethod[];
	onlyActive?: boolean;
}

/** List calls one list across filters sends at once. */
const LIST_CONCURRENCY = 4;

/** The list calls `listWorkflowsAcross` makes: one per dependency × trigger method. */
export function listQueries(filters: WorkflowListFilters): WorkflowListQuery[] {
	const queries: WorkflowListQuery[] = [];
	for (const triggerMethod of filters.triggerMethods ?? TRIGGER_METHODS)
		for (const dependency of filters.dependencies ?? DEPENDENCIES)
			queries.push({ dependency, triggerMethod, onlyActive: filters.onlyActive });
	return queries;
}

/**
 * The workflows of every dependency × trigger method combination the filters leave open (the spec
 * requires both filters on every list call, §6.4): one call per combination, at most 4 at a time,
 * merged in the order of the calls and de-duplicated by UUID (a workflow with two trigger methods
 * is in two lists). A workflow with no trigger method at all is in no such list.
 */
export async function listWorkflowsAcross(
	context: NexthinkContext,
	filters: WorkflowListFilters,
	itemIndex?: number,
): Promise<WorkflowObject[]> {
	const queries = listQueries(filters);
	const answers: WorkflowObject[][] = new Array<WorkflowObject[]>(queries.length);
	let next = 0;
	const worker = async () => {
		while (next < queries.length) {
			const position = next++;
			answers[position] = await listWorkflows(context, queries[position], itemIndex);
		}
	};
	await Promise.all(
		Array.from({ length: Math.min(LIST_CONCURRENCY, queries.length) }, async () => await worker()),
	);
	const seen = new Set<string>();
	const merged: WorkflowObject[] = [];
	for (const workflow of answers.flat()) {
		const identity = String(workflow.uuid ?? workflow.id ?? JSON.stringify(workflow)).toLowerCase();
		if (seen.has(identity)) continue;
		seen.add(identity);
		merged.push(workflow);
	}
	return merged;
}

/**
 * `GET /api/v1/workflows/details?nqlId=` (camelCase, unlike remote actions' `nql-id`), the ID sent
 * as given (§6.5 takes it with or without `#`). The spec answers an array, live tenants a single
 * object: both come back as a list. The spec declares no 404: an unknown ID gives an empty list
 * or a 400, and both name the ID.
 */
export async function getWorkflow(
	context: NexthinkContext,
	nqlId: string,
	itemIndex?: number,
): Promise<WorkflowObject[]> {
	const hint = `check the NQL ID ${nqlId} under Workflows > the workflow > General (or in Workflow > Get Many), or pick the workflow from the list.`;
	const { body } = await nexthinkRequest.call(context, {
		method: 'GET',
		path: '/api/v1/workflows/details',
		qs: { nqlId },
		operation: 'Workflow Get',
		domain: 'workflows',
		notFoundHint: `Nexthink has no workflow with NQL ID ${nqlId}: ${hint}`,
		// The Workflows API declares no 404 (§6.5): a 400 may mean the workflow is unknown.
		badRequest: { otherwise: `In Workflow, ${hint}` },
		itemIndex,
	});
	const list = Array.isArray(body) ? body : body === undefined || body === null ? [] : [body];
	return list.filter(
		(workflow): workflow is WorkflowObject =>
			typeof workflow === 'object' && workflow !== null && !Array.isArray(workflow),
	);
}

/**
 * The fields of Workflow > Trigger that a 400 can point to. Nexthink documents no 400 codes and
 * no 404 (§6), so its message decides, the first match winning: parameters, targets, then the
 * workflow itself, which is also where an answer naming none of them most often points.
 */
function triggerBadRequest(workflowHint: string): BadRequestFields {
	return {
		named: [
			[
				/param/i,
				"Check Workflow Parameters and Additional Parameters: each must be one of the workflow's parameter IDs (the fields Workflow Parameters offers, or Workflow > Get), each value non-empty.",
			],
			[
				/device|user|target|collector|\bsid\b|\bupn\b/i,
				'Check Devices and Users, and their identifier types: Nexthink found none of the targets, or refused one of them.',
			],
			[/workflow|nql[ _-]?id|api/i, `Check Workflow: ${workflowHint}`],
		],
		otherwise: `Check Workflow (${workflowHint.replace(/\.$/, '')}), Devices, Users and Workflow Parameters.`,
	};
}

/** v1 takes collector UUIDs and SIDs as strings; v2 takes `{collectorUid|name|uid}` / `{sid|upn|uid}`. */
type WorkflowTarget = string | IDataObject;

export interface WorkflowTriggerRequest {
	apiVersion: 'v1' | 'v2';
	workflowId: string;
	devices?: WorkflowTarget[];
	users?: WorkflowTarget[];
	params?: Record<string, string>;
	/** Sent as the `Source` header. */
	source?: string;
}

export interface WorkflowTriggerAnswer {
	requestUuid: string | null;
	executionsUuids: string[];
}

/**
 * `POST /api/v1/workflows/execute` or `/api/v2/workflows/execute` (external identifiers). Both
 * target lists are always sent, one of them possibly empty: the spec's schema requires both, its
 * text says either alone will do (§6.1, §9.2 item 1), and `[]` satisfies both readings.
 */
export async function triggerWorkflow(
	context: NexthinkContext,
	request: WorkflowTriggerRequest,
	itemIndex?: number,
): Promise<WorkflowTriggerAnswer> {
	const body: IDataObject = {
		workflowId: request.workflowId,
		devices: (request.devices ?? []) as IDataObject[],
		users: (request.users ?? []) as IDataObject[],
	};
	if (request.params && Object.keys(request.params).length) body.params = request.params;
	const hint = `give its NQL ID exactly as Nexthink lists it (the node sends ${request.workflowId} as given, without adding or removing a #), and check that it is active and that its API trigger is on.`;
	const response = await nexthinkRequest.call(context, {
		method: 'POST',
		path: `/api/${request.apiVersion}/workflows/execute`,
		body,
		headers: request.source ? { Source: request.source } : undefined,
		operation: 'Workflow Trigger',
		domain: 'workflows',
		triggersAction: true,
		notFoundHint: `Nexthink has no workflow ${request.workflowId} enabled for the API: ${hint}`,
		badRequest: triggerBadRequest(hint),
		itemIndex,
	});
	const answer = (response.body ?? {}) as IDataObject;
	return {
		requestUuid: typeof answer.requestUuid === 'string' ? answer.requestUuid : null,
		executionsUuids: Array.isArray(answer.executionsUuids)
			? (answer.executionsUuids as string[])
			: [],
	};
}

export interface WaitForEventRequest {
	workflowUuid: string;
	executionUuid: string;
	parameters: Record<string, string>;
	source?: string;
}

/** `POST /api/v1/workflows/workflows/{workflowUuid}/execution/{executionUuid}/trigger`. */
export async function triggerWaitForEvent(
	context: NexthinkContext,
	request: WaitForEventRequest,
	itemIndex?: number,
): Promise<{ requestUuid: string | null }> {
	const { workflowUuid, executionUuid } = request;
	const response = await nexthinkRequest.call(context, {
		method: 'POST',
		path: `/api/v1/workflows/workflows/${workflowUuid}/execution/${executionUuid}/trigger`,
		// The body is required, and "parameters" stays even when empty ("leave the object empty if
		// there are none"): n8n drops a bare {} body, which Nexthink refuses.
		body: { parameters: request.parameters },
		headers: request.source ? { Source: request.source } : undefined,
		operation: 'Workflow Trigger Wait-for-Event',
		domain: 'workflows',
		triggersAction: true,
		notFoundHint: `Nexthink has no waiting execution ${executionUuid} of workflow ${workflowUuid}: check both UUIDs (the workflow's UUID, not its NQL ID).`,
		badRequest: {
			named: [
				[
					/param/i,
					'Check Event Parameters: the names the wait-for-event thinklet expects, each with a non-empty value.',
				],
			],
			otherwise:
				"Check Workflow (the workflow's UUID, not its NQL ID), Execution UUID (an execution that waits for the event) and Event Parameters.",
		},
		itemIndex,
	});
	// The spec answers [{requestUuid}], the Go SDK reads {requestUuid}.
	const body = response.body;
	const answer = (Array.isArray(body) ? body[0] : body) as IDataObject | undefined;
	return {
		requestUuid: typeof answer?.requestUuid === 'string' ? answer.requestUuid : null,
	};
}
