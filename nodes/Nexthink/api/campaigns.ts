/** The Campaigns API (docs/nexthink-api.md "Campaigns"): one function per endpoint. */
import type { IDataObject } from 'n8n-workflow';

import { USER_SID } from '../shared/identifiers';
import type { BadRequestFields } from '../transport/errors';
import { nexthinkRequest, type NexthinkContext } from '../transport/request';

/** Said when a user SID was sent but Nexthink's answer does not mention it. */
export const NOT_IN_ANSWER =
	"Nexthink's answer did not mention this user: no request is known for it";

/** One user's outcome: the request Nexthink created, or why it created none. */
export interface CampaignUserResult extends IDataObject {
	userSid: string;
	created: boolean;
	requestId?: string;
	message?: string;
}

interface CampaignAnswerEntry {
	userSid?: string;
	requestId?: string;
	message?: string;
}

/**
 * Where a 400 points. The Campaigns API documents one code (docs/nexthink-api.md §3:
 * INVALID_CAMPAIGN_TRIGGER_TYPE); any other 400 gets every cause the docs name, in the fields
 * that carry them, whatever its code says.
 */
const TRIGGER_BAD_REQUEST: BadRequestFields = {
	named: [
		[
			/\bINVALID_CAMPAIGN_TRIGGER_TYPE\b/,
			'The campaign cannot be triggered through the API: in Nexthink, set its trigger to API (campaign > Targeting) and publish it.',
		],
	],
	otherwise:
		"Nexthink documents no other code, so check each cause: the Campaign NQL ID (copy it from the campaign in Nexthink, campaign > General > NQL ID; it usually starts with #, and the node sends it exactly as given); whether the campaign is published (Publish the campaign in Nexthink, then run again); whether its trigger is API; and Campaign Parameters, which must name every parameter ID of the campaign, and no other (compare them with the campaign's parameters in Nexthink).",
};

/** Nexthink's per-user answer, completed with the users it did not mention. */
function summarise(
	sent: string[],
	body: unknown,
): { requests: IDataObject[]; users: CampaignUserResult[] } {
	const list = ((body ?? {}) as IDataObject).requests;
	const requests = (Array.isArray(list) ? list : []) as CampaignAnswerEntry[];
	const bySid = new Map<string, CampaignAnswerEntry>();
	for (const entry of requests) {
		if (typeof entry?.userSid === 'string') bySid.set(USER_SID.key(entry.userSid), entry);
	}
	const users = sent.map((userSid): CampaignUserResult => {
		const entry = bySid.get(USER_SID.key(userSid));
		if (entry?.requestId) return { userSid, created: true, requestId: entry.requestId };
		return {
			userSid,
			created: false,
			message:
				entry?.message ?? (entry ? 'Nexthink created no request for this user' : NOT_IN_ANSWER),
		};
	});
	return { requests: requests as IDataObject[], users };
}

export interface CampaignTriggerRequest {
	campaignNqlId: string;
	userSid: string[];
	expiresInMinutes: number;
	parameters?: Record<string, string>;
}

/** `POST /api/v1/euf/campaign/trigger`: the campaign for up to 10,000 users (SIDs), answered per user. */
export async function triggerCampaign(
	context: NexthinkContext,
	request: CampaignTriggerRequest,
	itemIndex?: number,
): Promise<{ requests: IDataObject[]; users: CampaignUserResult[] }> {
	const { body } = await nexthinkRequest.call(context, {
		method: 'POST',
		path: '/api/v1/euf/campaign/trigger',
		body: request as unknown as IDataObject,
		operation: 'Campaign Trigger',
		domain: 'campaigns',
		triggersAction: true,
		notFoundHint: `Nexthink has no campaign ${request.campaignNqlId} that the API may trigger: check its NQL ID, that it is published and that its trigger is API.`,
		badRequest: TRIGGER_BAD_REQUEST,
		itemIndex,
	});
	return summarise(request.userSid, body);
}
