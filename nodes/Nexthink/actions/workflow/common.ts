import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { nexthinkRequest, type NexthinkContext } from '../../transport/request';
import { nqlIdLocator, readNqlIdLocator } from '../../shared/locator';
import { invalidField } from '../../shared/validation';

/**
 * Workflow NQL IDs, with or without the leading `#`. Nexthink documents no pattern for them
 * (its examples are `#workflow_example` and `#ExampleWorkflow`; a live tenant answered
 * `lab_workflow`), so this only keeps out what can never be one: spaces, `#` inside, empty.
 */
export const WORKFLOW_ID_PATTERN = '^#?[A-Za-z0-9_.\\-]{1,255}$';
const WORKFLOW_ID_RE = new RegExp(WORKFLOW_ID_PATTERN);

/** Identifier patterns of the Workflows API (NEXTHINK-API.md §6.1–6.2). */
export const UUID_RE =
	/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const SID_RE = /^S(-\d+){2,10}$|^0$/;
export const UPN_RE = /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/;

export const UUID_EXAMPLE = '2bdb0941-2507-40de-854a-3efa1784b26b';

/** `restart_service` and `#restart_service` are the same workflow; Nexthink's examples use `#`. */
export function withHash(id: string): string {
	return `#${id.trim().replace(/^#/, '')}`;
}

/** The workflow picker: a searchable list, or the NQL ID with or without `#`. */
export function workflowLocator(
	show: Record<string, string[]>,
	searchListMethod: string,
	description: string,
): INodeProperties {
	return nqlIdLocator({
		displayName: 'Workflow',
		name: 'workflowId',
		searchListMethod,
		placeholder: '#restart_service',
		description,
		idPattern: WORKFLOW_ID_PATTERN,
		idPatternMessage:
			'Enter the NQL ID of the workflow, for example #restart_service (the # is optional)',
		displayOptions: { show },
	});
}

/** The workflow's NQL ID from the locator, checked and given its `#`. */
export function readWorkflowId(this: IExecuteFunctions, itemIndex: number): string {
	const id = readNqlIdLocator.call(
		this,
		'workflowId',
		itemIndex,
		'Workflow',
		WORKFLOW_ID_RE,
		'Pick a workflow from the list, or enter its NQL ID (Workflows > the workflow > General > NQL ID), for example #restart_service.',
	);
	return withHash(id);
}

/** A UUID the user typed or mapped, checked before any request. */
export function readUuid(
	this: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	field: string,
	where: string,
): string {
	const text = typeof value === 'string' ? value.trim() : value === undefined ? '' : String(value);
	if (UUID_RE.test(text)) return text.toLowerCase();
	throw invalidField.call(
		this,
		itemIndex,
		field,
		text === '' ? 'it is empty' : `"${text}" is not a UUID`,
		`Enter a UUID such as ${UUID_EXAMPLE}: ${where}.`,
	);
}

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
	this: NexthinkContext,
	qs: IDataObject = {},
	itemIndex?: number,
): Promise<WorkflowObject[]> {
	const response = await nexthinkRequest.call(this, {
		method: 'GET',
		path: '/api/v1/workflows',
		qs,
		operation: 'Workflow Get Many',
		domain: 'workflows',
		itemIndex,
	});
	const body = response.body;
	if (Array.isArray(body)) return body as WorkflowObject[];
	// Tolerate a wrapped list, should a gateway or a later API version add one.
	const wrapped = (body as IDataObject | undefined)?.workflows;
	return Array.isArray(wrapped) ? (wrapped as WorkflowObject[]) : [];
}
