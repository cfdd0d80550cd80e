import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runPerItem } from '../../shared/items';
import { nqlIdLocator, readNqlIdLocator } from '../../shared/locator';
import {
	getRemoteAction,
	REMOTE_ACTION_ID,
	REMOTE_ACTION_ID_FIX,
	REMOTE_ACTION_ID_PATTERN,
} from './common';

const show = { resource: ['remoteAction'], operation: ['get'] };

export const description: INodeProperties[] = [
	nqlIdLocator({
		displayName: 'Remote Action',
		name: 'remoteActionId',
		searchListMethod: 'searchRemoteActions',
		placeholder: '#clear_browser_cache',
		description: 'The remote action to describe: its targeting, scripts, inputs and outputs',
		idPattern: REMOTE_ACTION_ID_PATTERN,
		idPatternMessage: 'An NQL ID starts with # (for example #clear_browser_cache)',
		displayOptions: { show },
	}),
];

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await runPerItem.call(this, items, async (itemIndex) => {
		const id = readNqlIdLocator.call(
			this,
			'remoteActionId',
			itemIndex,
			'Remote Action',
			REMOTE_ACTION_ID,
			REMOTE_ACTION_ID_FIX,
		);
		return [await getRemoteAction.call(this, id, 'Remote Action Get', itemIndex)];
	});
}
