import type { IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';

import {
	getExecutions,
	getExecutionsDescription,
	WORKFLOW_EXECUTIONS,
} from '../../shared/executions';

export const option: INodePropertyOptions = {
	name: 'Get Executions',
	value: 'getExecutions',
	action: 'Get executions of a workflow request by ID',
	description:
		'Get the executions a Workflow > Trigger request started, with their status, through a saved NQL query',
};

/** The fields and the run are shared with Remote Action > Get Executions (shared/executions.ts). */
export const description = getExecutionsDescription(WORKFLOW_EXECUTIONS);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await getExecutions.call(this, items, WORKFLOW_EXECUTIONS);
}
