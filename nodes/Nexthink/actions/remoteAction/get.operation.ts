import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { runPerItem } from '../../shared/engine';
import { optionsCollection, requestTimeoutOption } from '../../shared/fields';
import { getRemoteAction } from '../../api/remoteActions';
import { readRemoteActionId, remoteActionIdModes } from './common';

export const option: INodePropertyOptions = {
	name: 'Get',
	value: 'get',
	action: 'Get a remote action by NQL ID',
	description: 'Get one remote action with its targeting, scripts, inputs and outputs',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Remote Action',
		name: 'remoteActionId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The remote action to describe: its targeting, scripts, inputs and outputs',
		modes: remoteActionIdModes('searchRemoteActions'),
	},
	optionsCollection([requestTimeoutOption]),
];

const displayOptions = { show: { resource: ['remoteAction'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await runPerItem.call(this, items, async (itemIndex) => {
		const id = readRemoteActionId.call(this, itemIndex);
		return [await getRemoteAction(this, id, 'Remote Action Get', itemIndex)];
	});
}
