import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { getWorkflow } from '../../api/workflows';
import { runPerItem } from '../../shared/engine';
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
		const found = await getWorkflow(this, nqlId, itemIndex);
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
