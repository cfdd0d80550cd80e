import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import {
	TRIGGER_METHODS,
	hasTriggerMethod,
	isApiEnabled,
	listWorkflowsAcross,
	type WorkflowObject,
} from '../../api/workflows';

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

/**
 * Workflows the Trigger operation can start: active, with the API trigger on. The list call
 * requires a dependency and a trigger method (docs/nexthink-api.md §6.4): `triggerMethod=API` and the
 * four dependencies, 4 calls. The value is the ID exactly as Nexthink lists it.
 */
export async function searchApiWorkflows(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const workflows = await listWorkflowsAcross(this, { triggerMethods: ['API'], onlyActive: true });
	return {
		results: workflows
			// Filter again here, should a tenant ignore the filters.
			.filter(
				(w) =>
					w.id &&
					w.status === 'ACTIVE' &&
					hasTriggerMethod(w, 'API') !== false &&
					matches(w, filter),
			)
			.sort(byName)
			.map((w) => item(w, w.id, false)),
	};
}

/**
 * A list over every trigger method, a page per trigger method (4 calls each, one per dependency),
 * API first: listing every workflow at once would take 16 calls. A page leaves out the workflows
 * an earlier page listed (their `triggerMethods` say so); a page with nothing to show is followed
 * by the next one at once, so that a search finds a workflow wherever it is.
 */
async function pageByTriggerMethod(
	context: ILoadOptionsFunctions,
	paginationToken: string | undefined,
	options: {
		onlyActive?: boolean;
		keep: (workflow: WorkflowObject) => boolean;
		toItem: (workflow: WorkflowObject) => INodeListSearchItems;
	},
): Promise<INodeListSearchResult> {
	const start = Number(paginationToken ?? 0);
	let page = Number.isInteger(start) && start > 0 && start < TRIGGER_METHODS.length ? start : 0;
	const results: INodeListSearchItems[] = [];
	while (page < TRIGGER_METHODS.length && results.length === 0) {
		const method = TRIGGER_METHODS[page];
		const earlier = TRIGGER_METHODS.slice(0, page);
		const workflows = await listWorkflowsAcross(context, {
			triggerMethods: [method],
			onlyActive: options.onlyActive,
		});
		results.push(
			...workflows
				.filter((w) => !earlier.some((m) => hasTriggerMethod(w, m) === true) && options.keep(w))
				.sort(byName)
				.map(options.toItem),
		);
		page++;
	}
	return page < TRIGGER_METHODS.length ? { results, paginationToken: String(page) } : { results };
}

/** Every workflow, by its NQL ID as Nexthink lists it (Get), a trigger method per page. */
export async function searchWorkflows(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await pageByTriggerMethod(this, paginationToken, {
		keep: (w) => !!w.id && matches(w, filter),
		toItem: (w) => item(w, w.id, true),
	});
}

/** Active workflows, by UUID (Trigger Wait-for-Event addresses a workflow by its UUID). */
export async function searchWorkflowUuids(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await pageByTriggerMethod(this, paginationToken, {
		onlyActive: true,
		keep: (w) => !!w.uuid && w.status === 'ACTIVE' && matches(w, filter),
		toItem: (w) => item(w, w.uuid, false),
	});
}
