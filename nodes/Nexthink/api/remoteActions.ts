/** The Remote Actions API (docs/nexthink-api.md "Remote actions"): one function per endpoint. */
import type { IDataObject } from 'n8n-workflow';

import { nexthinkRequest, type NexthinkContext } from '../transport/request';

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

/** Whether Nexthink lets the API run the remote action (the "API" box on its General tab). */
export function isApiEnabled(action: RemoteAction): boolean {
	return action.targeting?.apiEnabled === true;
}

/** `GET /api/v1/act/remote-action`, optionally filtered by script platform. */
export async function listRemoteActions(
	context: NexthinkContext,
	filters: { hasScriptWindows?: boolean; hasScriptMacOs?: boolean } = {},
	itemIndex?: number,
): Promise<RemoteAction[]> {
	const qs: IDataObject = {};
	if (filters.hasScriptWindows !== undefined) qs.hasScriptWindows = filters.hasScriptWindows;
	if (filters.hasScriptMacOs !== undefined) qs.hasScriptMacOs = filters.hasScriptMacOs;
	const { body } = await nexthinkRequest.call(context, {
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
	context: NexthinkContext,
	nqlId: string,
	operation: string,
	itemIndex?: number,
): Promise<RemoteAction> {
	const { body } = await nexthinkRequest.call(context, {
		method: 'GET',
		path: '/api/v1/act/remote-action/details',
		qs: { 'nql-id': nqlId },
		operation,
		domain: 'remoteActions',
		notFoundHint: `Nexthink has no remote action with NQL ID ${nqlId}: pick it from the list, or copy the ID from the remote action's General tab in Nexthink (it usually starts with #; the node sends it exactly as given).`,
		itemIndex,
	});
	return (Array.isArray(body) ? body[0] : body) as RemoteAction;
}

export interface RemoteActionRequest {
	remoteActionId: string;
	params: Record<string, string>;
	expiresInMinutes?: number;
	triggerInfo?: { externalSource?: string; reason?: string; externalReference?: string };
	devices: string[];
}

export interface RemoteActionAnswer {
	requestId: string | null;
	expiresInMinutes: number | null;
}

/** `POST /api/v1/act/execute`: runs a remote action on up to 10,000 devices (collector UUIDs). */
export async function executeRemoteAction(
	context: NexthinkContext,
	request: RemoteActionRequest,
	itemIndex?: number,
): Promise<RemoteActionAnswer> {
	const { body } = await nexthinkRequest.call(context, {
		method: 'POST',
		path: '/api/v1/act/execute',
		body: request as unknown as IDataObject,
		operation: 'Remote Action Execute',
		domain: 'remoteActions',
		triggersAction: true,
		notFoundHint: `Nexthink has no remote action ${request.remoteActionId} that the API may run: check its NQL ID and that "API" is ticked on its General tab.`,
		itemIndex,
	});
	const answer = (body ?? {}) as IDataObject;
	return {
		requestId: typeof answer.requestId === 'string' ? answer.requestId : null,
		expiresInMinutes: typeof answer.expiresInMinutes === 'number' ? answer.expiresInMinutes : null,
	};
}
