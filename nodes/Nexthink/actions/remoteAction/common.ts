import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { nqlIdLocator, readNqlIdLocator } from '../../shared/locator';
import type { NexthinkContext } from '../../transport/request';
import { nexthinkRequest } from '../../transport/request';

/** Remote action NQL IDs look like `#clear_browser_cache` (Nexthink's own examples: `#ExampleRA`). */
export const REMOTE_ACTION_ID = /^#[A-Za-z0-9_.-]{1,255}$/;
export const REMOTE_ACTION_ID_PATTERN = '^#[A-Za-z0-9_.\\-]{1,255}$';
export const REMOTE_ACTION_ID_FIX =
	'Pick the remote action from the list, or give its NQL ID as shown in Nexthink (remote action > General), for example #clear_browser_cache';

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

export interface RemoteActionInput {
	id: string;
	name?: string;
	description?: string;
	options?: string[];
	allowCustomValue?: boolean;
	usedByWindows?: boolean;
	usedByMacOs?: boolean;
}

export interface RemoteAction extends IDataObject {
	id: string;
	uuid?: string;
	name?: string;
	description?: string;
	purpose?: string[];
	targeting?: { apiEnabled?: boolean; manualEnabled?: boolean; workflowEnabled?: boolean };
	scriptInfo?: {
		hasScriptWindows?: boolean;
		hasScriptMacOs?: boolean;
		inputs?: RemoteActionInput[];
		outputs?: IDataObject[];
		runAs?: string;
		timeoutSeconds?: number;
	};
}

/** `GET /api/v1/act/remote-action`, optionally filtered by script platform (NEXTHINK-API.md §5.1). */
export async function listRemoteActions(
	this: NexthinkContext,
	filters: { hasScriptWindows?: boolean; hasScriptMacOs?: boolean } = {},
	itemIndex?: number,
): Promise<RemoteAction[]> {
	const qs: IDataObject = {};
	if (filters.hasScriptWindows !== undefined) qs.hasScriptWindows = filters.hasScriptWindows;
	if (filters.hasScriptMacOs !== undefined) qs.hasScriptMacOs = filters.hasScriptMacOs;
	const { body } = await nexthinkRequest.call(this, {
		method: 'GET',
		path: '/api/v1/act/remote-action',
		qs,
		operation: 'Remote Action Get Many',
		domain: 'remoteActions',
		itemIndex,
	});
	const list = Array.isArray(body) ? (body as RemoteAction[]) : [];
	// The filters are documented only in an older guide: apply them here too, whatever the server did.
	return list.filter(
		(action) =>
			(filters.hasScriptWindows === undefined ||
				(action.scriptInfo?.hasScriptWindows ?? false) === filters.hasScriptWindows) &&
			(filters.hasScriptMacOs === undefined ||
				(action.scriptInfo?.hasScriptMacOs ?? false) === filters.hasScriptMacOs),
	);
}

/** `GET /api/v1/act/remote-action/details?nql-id=` (hyphenated, unlike workflows' `nqlId`). */
export async function getRemoteAction(
	this: NexthinkContext,
	nqlId: string,
	operation: string,
	itemIndex?: number,
): Promise<RemoteAction> {
	const { body } = await nexthinkRequest.call(this, {
		method: 'GET',
		path: '/api/v1/act/remote-action/details',
		qs: { 'nql-id': nqlId },
		operation,
		domain: 'remoteActions',
		notFoundHint: `Nexthink has no remote action with NQL ID ${nqlId}: pick it from the list, or copy the ID from the remote action's General tab in Nexthink.`,
		itemIndex,
	});
	return (Array.isArray(body) ? body[0] : body) as RemoteAction;
}

export function isApiEnabled(action: RemoteAction): boolean {
	return action.targeting?.apiEnabled === true;
}
