import type { IExecuteFunctions, INodePropertyMode } from 'n8n-workflow';

import { nqlIdModes, readNqlIdLocator } from '../../shared/locator';
import { REMOTE_ACTION_NQL_ID } from '../../shared/identifiers';

/** The modes of the Remote Action picker (`remoteActionId`): a searchable list, or the NQL ID. */
export function remoteActionIdModes(searchListMethod: string): INodePropertyMode[] {
	return nqlIdModes({
		noun: 'remote action',
		searchListMethod,
		identifier: REMOTE_ACTION_NQL_ID,
		idPatternMessage:
			'Enter the NQL ID as Nexthink shows it, without spaces: it usually starts with # (for example #clear_browser_cache)',
	});
}

/** The remote action's NQL ID from the locator, checked, exactly as given (no # added or removed). */
export function readRemoteActionId(this: IExecuteFunctions, itemIndex: number): string {
	return readNqlIdLocator.call(
		this,
		'remoteActionId',
		itemIndex,
		'Remote Action',
		REMOTE_ACTION_NQL_ID,
	);
}
