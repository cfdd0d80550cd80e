import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runPerItem } from '../../shared/engine';
import { getRemoteAction } from '../../api/remoteActions';
import { readRemoteActionId, remoteActionLocator } from './common';

const show = { resource: ['remoteAction'], operation: ['get'] };

export const description: INodeProperties[] = [
	remoteActionLocator(
		show,
		'searchRemoteActions',
		'The remote action to describe: its targeting, scripts, inputs and outputs',
	),
];

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await runPerItem.call(this, items, async (itemIndex) => {
		const id = readRemoteActionId.call(this, itemIndex);
		return [await getRemoteAction(this, id, 'Remote Action Get', itemIndex)];
	});
}
