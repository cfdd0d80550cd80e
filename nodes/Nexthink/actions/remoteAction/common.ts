import type { IExecuteFunctions, INodePropertyMode } from 'n8n-workflow';

import { nqlIdModes, readNqlIdLocator } from '../../shared/locator';
import {
	REMOTE_ACTION_ID,
	REMOTE_ACTION_ID_FIX,
	REMOTE_ACTION_ID_PATTERN,
} from '../../shared/identifiers';

/** The modes of the Remote Action picker (`remoteActionId`): a searchable list, or the NQL ID. */
export function remoteActionIdModes(searchListMethod: string): INodePropertyMode[] {
	return nqlIdModes({
		noun: 'remote action',
		searchListMethod,
		placeholder: '#clear_browser_cache',
		idPattern: REMOTE_ACTION_ID_PATTERN,
		idPatternMessage: 'An NQL ID starts with # (for example #clear_browser_cache)',
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
