import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { nexthinkRequest } from '../../transport/request';
import { runPerItem } from '../../shared/items';
import { readWorkflowId, workflowLocator } from './common';

const show = { resource: ['workflow'], operation: ['get'] };

export const description: INodeProperties[] = [
	workflowLocator(
		show,
		'searchWorkflows',
		'The workflow to describe: its UUID, status, trigger methods, versions and parameters',
	),
];

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await runPerItem.call(this, items, async (itemIndex) => {
		const nqlId = readWorkflowId.call(this, itemIndex);
		const response = await nexthinkRequest.call(this, {
			method: 'GET',
			path: '/api/v1/workflows/details',
			// camelCase here, unlike remote actions' nql-id (NEXTHINK-API.md §6.5)
			qs: { nqlId },
			operation: 'Workflow Get',
			domain: 'workflows',
			notFoundHint: `Nexthink has no workflow with NQL ID ${nqlId}: check the ID under Workflows > the workflow > General, or pick it from the list.`,
			itemIndex,
		});
		// The spec answers an array, live tenants a single object (NEXTHINK-API.md §6.5, §9.2).
		const body = response.body;
		const workflows = Array.isArray(body)
			? body
			: body === undefined || body === null
				? []
				: [body];
		const found = workflows.filter(
			(workflow): workflow is IDataObject =>
				typeof workflow === 'object' && workflow !== null && !Array.isArray(workflow),
		);
		if (found.length === 0) {
			throw new NodeOperationError(this.getNode(), `Nexthink returned no workflow for ${nqlId}`, {
				itemIndex,
				description:
					'Check the NQL ID under Workflows > the workflow > General, or pick the workflow from the list.',
			});
		}
		return found;
	});
}
