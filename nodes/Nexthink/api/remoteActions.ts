/** The Remote Actions API (docs/nexthink-api.md "Remote actions"): one function per endpoint. */
import type { IDataObject } from 'n8n-workflow';

import type { BadRequestFields } from '../transport/errors';
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
		// The list's 400 has no body (§5.1): only the filters can be what it refused.
		badRequest: {
			otherwise:
				'Check Filters: Has Windows Script and Has macOS Script are the only ones the node sends to Nexthink.',
		},
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

/**
 * The fields of Remote Action > Execute that a 400 can point to. Nexthink documents no 400 codes
 * (§5.3), so its message decides, the first match winning: "not enabled for API", then inputs,
 * then the remote action, the expiry, the devices and the trigger info.
 */
const EXECUTE_BAD_REQUEST: BadRequestFields = {
	named: [
		[
			/not[ _](?:api[ _])?enabled|api[ _]enabled/i,
			'The remote action is not enabled for API use: tick "API" on its General tab in Nexthink, or pick another one from the Remote Action list, which shows only those the API may run.',
		],
		[
			/param|input/i,
			"Check Inputs and Additional Inputs: each name must be one of the remote action's input IDs (Remote Action > Get lists them), with a value from its options where it lists some.",
		],
		[
			/remote[ _]?action|nql[ _-]?id/i,
			'Check Remote Action: pick it from the list, or give its NQL ID as Nexthink shows it (remote action > General); the node sends it exactly as given.',
		],
		[/expir/i, 'Check Options > Expires in Minutes: 60 (one hour) to 10080 (one week).'],
		[
			/device|collector/i,
			'Check Devices (Collector UUIDs): collector UUIDs (device.collector.uid in NQL), at most 10,000 per request.',
		],
		[
			/reason|external|trigger[ _]?info/i,
			'Check Options > External Source, Reason and External Reference (Reason at most 500 characters).',
		],
	],
	otherwise:
		'Check Remote Action (enabled for API use), Devices (Collector UUIDs), Inputs and Additional Inputs, and Options > Expires in Minutes, External Source, Reason and External Reference.',
};

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
		badRequest: EXECUTE_BAD_REQUEST,
		itemIndex,
	});
	const answer = (body ?? {}) as IDataObject;
	return {
		requestId: typeof answer.requestId === 'string' ? answer.requestId : null,
		expiresInMinutes: typeof answer.expiresInMinutes === 'number' ? answer.expiresInMinutes : null,
	};
}
