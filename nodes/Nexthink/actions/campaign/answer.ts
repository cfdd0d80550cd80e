/** What Nexthink answered a campaign trigger: per-user results, and fixes for its errors. */
import { NodeApiError, type IDataObject, type NodeOperationError } from 'n8n-workflow';

/** Said when a user SID was sent but Nexthink's answer does not mention it. */
export const NOT_IN_ANSWER =
	"Nexthink's answer did not mention this user: no request is known for it";

interface CampaignAnswerEntry {
	userSid?: string;
	requestId?: string;
	message?: string;
}

/** Fixes for the 400 codes the Campaigns API documents or is known to send. */
const FIXES: Record<string, string> = {
	INVALID_CAMPAIGN_TRIGGER_TYPE:
		'The campaign cannot be triggered through the API: in Nexthink, set its trigger to API (campaign > Targeting) and publish it.',
	CAMPAIGN_NOT_FOUND:
		'Check the Campaign NQL ID: copy it from the campaign in Nexthink (campaign > General > NQL ID).',
	CAMPAIGN_NOT_PUBLISHED: 'Publish the campaign in Nexthink, then run again.',
	INVALID_PARAMETERS:
		"Campaign Parameters must name every parameter ID of the campaign, and no other: compare them with the campaign's parameters in Nexthink.",
};

/** Puts the fix for a code the Campaigns API documents into the error's description. */
export function withFix(
	error: NodeApiError | NodeOperationError,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError) {
		const code = (error.errorResponse as IDataObject | undefined)?.nexthinkCode;
		if (typeof code === 'string' && FIXES[code]) error.description = FIXES[code];
	}
	return error;
}

/** Nexthink's per-user answer, completed with the users it did not mention. */
export function summarise(sent: string[], body: unknown) {
	const list = ((body ?? {}) as IDataObject).requests;
	const requests = (Array.isArray(list) ? list : []) as CampaignAnswerEntry[];
	const bySid = new Map<string, CampaignAnswerEntry>();
	for (const entry of requests) {
		if (typeof entry?.userSid === 'string') bySid.set(entry.userSid.toUpperCase(), entry);
	}
	const perUser = sent.map((userSid) => {
		const entry = bySid.get(userSid);
		if (entry?.requestId) return { userSid, created: true, requestId: entry.requestId };
		return {
			userSid,
			created: false,
			message:
				entry?.message ?? (entry ? 'Nexthink created no request for this user' : NOT_IN_ANSWER),
		};
	});
	return { requests, perUser };
}
