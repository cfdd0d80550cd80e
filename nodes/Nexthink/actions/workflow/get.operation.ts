import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { getWorkflow } from '../../api/workflows';
import { runPerItem } from '../../shared/engine';
import { optionsCollection, requestTimeoutOption } from '../../shared/fields';
import { WORKFLOW_DETAILS_NQL_ID } from '../../shared/identifiers';
import { readWorkflowId, workflowIdModes } from './common';

export const option: INodePropertyOptions = {
	name: 'Get',
	value: 'get',
	action: 'Get a workflow by NQL ID',
	description: 'Get one workflow by NQL ID: UUID, status, trigger methods, versions and parameters',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Workflow',
		name: 'workflowId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The workflow to describe: its UUID, status, trigger methods, versions and parameters',
		modes: workflowIdModes('searchWorkflows', WORKFLOW_DETAILS_NQL_ID),
	},
	optionsCollection([requestTimeoutOption]),
];

const displayOptions = { show: { resource: ['workflow'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await runPerItem.call(this, items, async (itemIndex) => {
		// Sent as given: details takes the NQL ID with or without its # (§6.5).
		const nqlId = readWorkflowId.call(this, itemIndex, WORKFLOW_DETAILS_NQL_ID);
		const found = await getWorkflow(this, nqlId, itemIndex);
		if (found.length === 0) {
			// What the spec's array answer says when nothing matches (it declares no 404).
			throw new NodeOperationError(
				this.getNode(),
				`Nexthink has no workflow with NQL ID ${nqlId}`,
				{
					itemIndex,
					description:
						'Nexthink answered with no workflow. Check the NQL ID under Workflows > the workflow > General (or in Workflow > Get Many), or pick the workflow from the list.',
				},
			);
		}
		return found;
	});
}
