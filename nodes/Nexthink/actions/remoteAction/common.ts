import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { nqlIdLocator, readNqlIdLocator } from '../../shared/locator';
import {
	REMOTE_ACTION_ID,
	REMOTE_ACTION_ID_FIX,
	REMOTE_ACTION_ID_PATTERN,
} from '../../shared/identifiers';

/** The remote action picker: a searchable list, or the NQL ID. */
export function remoteActionLocator(
	show: Record<string, string[]>,
	searchListMethod: string,
	description: string,
): INodeProperties {
	return nqlIdLocator({
		displayName: 'Remote Action',
		name: 'remoteActionId',
		searchListMethod,
		placeholder: '#clear_browser_cache',
		description,
		idPattern: REMOTE_ACTION_ID_PATTERN,
		idPatternMessage: 'An NQL ID starts with # (for example #clear_browser_cache)',
		displayOptions: { show },
	});
}

/** The remote action's NQL ID from the locator, checked. */
export function readRemoteActionId(this: IExecuteFunctions, itemIndex: number): string {
	return readNqlIdLocator.call(
		this,
		'remoteActionId',
		itemIndex,
		'Remote Action',
		REMOTE_ACTION_ID,
		REMOTE_ACTION_ID_FIX,
	);
}
