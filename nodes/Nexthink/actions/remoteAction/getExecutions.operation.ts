import type { IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';

import {
	getExecutions,
	getExecutionsDescription,
	REMOTE_ACTION_EXECUTIONS,
} from '../../shared/executions';

export const option: INodePropertyOptions = {
	name: 'Get Executions',
	value: 'getExecutions',
	action: 'Get executions of a remote action request by ID',
	description:
		'Get the executions a Remote Action > Execute request started, with their status and outputs, through a saved NQL query',
};

/** The fields and the run are Workflow > Get Executions', for remote_action.executions (shared/executions.ts). */
export const description = getExecutionsDescription(REMOTE_ACTION_EXECUTIONS);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await getExecutions.call(this, items, REMOTE_ACTION_EXECUTIONS);
}
