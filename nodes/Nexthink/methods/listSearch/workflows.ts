import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { isApiEnabled, listWorkflows, type WorkflowObject } from '../../api/workflows';
import { WORKFLOW_NQL_ID } from '../../shared/identifiers';

function matches(workflow: WorkflowObject, filter: string | undefined): boolean {
	const wanted = (filter ?? '').trim().toLowerCase().replace(/^#/, '');
	if (!wanted) return true;
	const id = String(workflow.id ?? '')
		.toLowerCase()
		.replace(/^#/, '');
	const name = String(workflow.name ?? '').toLowerCase();
	const uuid = String(workflow.uuid ?? '').toLowerCase();
	return id.includes(wanted) || name.includes(wanted) || uuid === wanted;
}

function byName(a: WorkflowObject, b: WorkflowObject): number {
	return String(a.name ?? a.id).localeCompare(String(b.name ?? b.id));
}

function label(workflow: WorkflowObject, withState: boolean): string {
	const notes: string[] = [];
	if (withState && workflow.status && workflow.status !== 'ACTIVE') notes.push('inactive');
	if (withState && !isApiEnabled(workflow)) notes.push('no API trigger');
	const id = workflow.id ? ` (${String(workflow.id)})` : '';
	return `${String(workflow.name ?? workflow.id)}${id}${notes.length ? ` [${notes.join(', ')}]` : ''}`;
}

function item(workflow: WorkflowObject, value: unknown, withState: boolean): INodeListSearchItems {
	const entry: INodeListSearchItems = { name: label(workflow, withState), value: String(value) };
	if (typeof workflow.description === 'string' && workflow.description)
		entry.description = workflow.description;
	return entry;
}

/** Workflows the Trigger operation can start: active, with the API trigger on. */
export async function searchApiWorkflows(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const workflows = await listWorkflows(this, {
		triggerMethod: 'API',
		fetchOnlyActiveWorkflows: 'true',
	});
	return {
		results: workflows
			// Filter again here: the filters are not required by every API version.
			.filter((w) => w.id && w.status === 'ACTIVE' && isApiEnabled(w) && matches(w, filter))
			.sort(byName)
			.map((w) => item(w, WORKFLOW_NQL_ID.normalise(String(w.id)), false)),
	};
}

/** Every workflow, by NQL ID (Get). */
export async function searchWorkflows(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const workflows = await listWorkflows(this);
	return {
		results: workflows
			.filter((w) => w.id && matches(w, filter))
			.sort(byName)
			.map((w) => item(w, WORKFLOW_NQL_ID.normalise(String(w.id)), true)),
	};
}

/** Active workflows, by UUID (Trigger Wait-for-Event addresses a workflow by its UUID). */
export async function searchWorkflowUuids(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const workflows = await listWorkflows(this, { fetchOnlyActiveWorkflows: 'true' });
	return {
		results: workflows
			.filter((w) => w.uuid && w.status === 'ACTIVE' && matches(w, filter))
			.sort(byName)
			.map((w) => item(w, w.uuid, false)),
	};
}
