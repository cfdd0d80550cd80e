/** The Workflows API (docs/nexthink-api.md "Workflows"): one function per endpoint. */
import type { IDataObject } from 'n8n-workflow';

import { nexthinkRequest, type NexthinkContext } from '../transport/request';

/** A workflow as Nexthink lists it; the spec's self-referencing fields are read defensively. */
export type WorkflowObject = IDataObject;

interface WorkflowVersion {
	status?: string;
	hasDevice?: boolean;
	hasUser?: boolean;
	parameters?: Array<{ id?: string }>;
}

function currentVersion(workflow: WorkflowObject): WorkflowVersion | undefined {
	const versions = Array.isArray(workflow.versions)
		? (workflow.versions as WorkflowVersion[]).filter((v) => v && typeof v === 'object')
		: [];
	return versions.find((v) => v.status === 'ACTIVE') ?? versions[versions.length - 1];
}

/** Whether the workflow's API trigger is on (the live shape has booleans; older SDKs used a list). */
export function isApiEnabled(workflow: WorkflowObject): boolean {
	const methods = workflow.triggerMethods as unknown;
	if (Array.isArray(methods)) return methods.includes('API');
	return (methods as IDataObject | undefined)?.apiEnabled === true;
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
	const parameters = currentVersion(workflow)?.parameters;
	if (Array.isArray(parameters))
		simple.parameters = parameters.map((p) => p?.id).filter((id): id is string => !!id);
	if (workflow.lastUpdateTime !== undefined) simple.lastUpdateTime = workflow.lastUpdateTime;
	return simple;
}

/** `GET /api/v1/workflows` with the filters that are set. */
export async function listWorkflows(
	context: NexthinkContext,
	qs: IDataObject = {},
	itemIndex?: number,
): Promise<WorkflowObject[]> {
	const { body } = await nexthinkRequest.call(context, {
		method: 'GET',
		path: '/api/v1/workflows',
		qs,
		operation: 'Workflow Get Many',
		domain: 'workflows',
		itemIndex,
	});
	if (Array.isArray(body)) return body as WorkflowObject[];
	// Tolerate a wrapped list, should a gateway or a later API version add one.
	const wrapped = (body as IDataObject | undefined)?.workflows;
	return Array.isArray(wrapped) ? (wrapped as WorkflowObject[]) : [];
}

/**
 * `GET /api/v1/workflows/details?nqlId=` (camelCase, unlike remote actions' `nql-id`). The spec
 * answers an array, live tenants a single object: both come back as a list.
 */
export async function getWorkflow(
	context: NexthinkContext,
	nqlId: string,
	itemIndex?: number,
): Promise<WorkflowObject[]> {
	const { body } = await nexthinkRequest.call(context, {
		method: 'GET',
		path: '/api/v1/workflows/details',
		qs: { nqlId },
		operation: 'Workflow Get',
		domain: 'workflows',
		notFoundHint: `Nexthink has no workflow with NQL ID ${nqlId}: check the ID under Workflows > the workflow > General, or pick it from the list.`,
		itemIndex,
	});
	const list = Array.isArray(body) ? body : body === undefined || body === null ? [] : [body];
	return list.filter(
		(workflow): workflow is WorkflowObject =>
			typeof workflow === 'object' && workflow !== null && !Array.isArray(workflow),
	);
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

/** `POST /api/v1/workflows/execute` or `/api/v2/workflows/execute` (external identifiers). */
export async function triggerWorkflow(
	context: NexthinkContext,
	request: WorkflowTriggerRequest,
	itemIndex?: number,
): Promise<WorkflowTriggerAnswer> {
	const body: IDataObject = { workflowId: request.workflowId };
	if (request.devices?.length) body.devices = request.devices as IDataObject[];
	if (request.users?.length) body.users = request.users as IDataObject[];
	if (request.params && Object.keys(request.params).length) body.params = request.params;
	const response = await nexthinkRequest.call(context, {
		method: 'POST',
		path: `/api/${request.apiVersion}/workflows/execute`,
		body,
		headers: request.source ? { Source: request.source } : undefined,
		operation: 'Workflow Trigger',
		domain: 'workflows',
		triggersAction: true,
		notFoundHint: `Nexthink has no workflow ${request.workflowId} enabled for the API: check its NQL ID, that it is active, and that its API trigger is on.`,
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
		itemIndex,
	});
	// The spec answers [{requestUuid}], the Go SDK reads {requestUuid}.
	const body = response.body;
	const answer = (Array.isArray(body) ? body[0] : body) as IDataObject | undefined;
	return {
		requestUuid: typeof answer?.requestUuid === 'string' ? answer.requestUuid : null,
	};
}
