/** Campaign trigger `POST /api/v1/euf/campaign/trigger` (NEXTHINK-API.md §3). */
import { randomUUID } from 'node:crypto';

import { sendError } from '../errors';
import { isRecord, sendJson, type RequestContext } from '../http';
import { accepts, checkStringMap, ids, isInteger, show } from '../validate';

export const USER_NOT_FOUND = 'User not found in the system';

export function handleCampaignTrigger(ctx: RequestContext): void {
	const fail = (message: string, code = 'INVALID_REQUEST') =>
		sendError(ctx, 'campaigns', 400, message, code);
	if (ctx.jsonError) return fail('Malformed JSON request body.');
	if (!isRecord(ctx.body))
		return fail(
			'The request body must be a JSON object with campaignNqlId, userSid and expiresInMinutes.',
		);
	const { campaignNqlId, userSid, expiresInMinutes, parameters } = ctx.body;
	if (!accepts(ids.CAMPAIGN_NQL_ID, campaignNqlId)) return fail('campaignNqlId is required.');
	if (!Array.isArray(userSid) || userSid.length === 0)
		return fail('userSid is required and must hold 1 to 10000 SIDs.');
	if (userSid.length > 10000)
		return fail(`userSid holds ${userSid.length} SIDs; the maximum is 10000.`);
	// SIDs as the Workflows API documents them (§6.1), without its `0` (§3 documents none).
	const badSid = userSid.find((s) => !accepts(ids.USER_SID, s));
	if (badSid !== undefined)
		return fail(`userSid ${show(badSid)} is not a valid SID.`, 'INVALID_USER_SID');
	if (expiresInMinutes === undefined) return fail('expiresInMinutes is required.');
	if (!isInteger(expiresInMinutes) || expiresInMinutes < 1 || expiresInMinutes > 525600) {
		return fail(`expiresInMinutes ${show(expiresInMinutes)} must be an integer from 1 to 525600.`);
	}
	const mapError = checkStringMap(parameters, 'parameters');
	if (mapError) return fail(mapError, 'INVALID_PARAMETERS');
	const params = (parameters ?? {}) as Record<string, string>;
	if (Object.keys(params).length > 30)
		return fail(
			`parameters holds ${Object.keys(params).length} keys; the maximum is 30.`,
			'INVALID_PARAMETERS',
		);

	// Exactly the NQL ID given: `general_survey` is not `#general_survey`.
	const campaign = ctx.state.data.campaigns.find((c) =>
		ids.CAMPAIGN_NQL_ID.same(c.nqlId, campaignNqlId),
	);
	if (!campaign)
		return fail(`No campaign with NQL ID ${show(campaignNqlId)}.`, 'CAMPAIGN_NOT_FOUND');
	if (campaign.status !== 'PUBLISHED')
		return fail(
			`Campaign '${campaign.nqlId}' is ${campaign.status.toLowerCase()}, not published.`,
			'CAMPAIGN_NOT_PUBLISHED',
		);
	if (campaign.triggerMethod !== 'API')
		return fail('Invalid campaign trigger type', 'INVALID_CAMPAIGN_TRIGGER_TYPE');
	const missing = campaign.parameterIds.filter((id) => !(id in params));
	const unknown = Object.keys(params).filter((k) => !campaign.parameterIds.includes(k));
	if (missing.length > 0 || unknown.length > 0) {
		const parts = [
			missing.length ? `missing ${missing.map((m) => `'${m}'`).join(', ')}` : '',
			unknown.length ? `unknown ${unknown.map((u) => `'${u}'`).join(', ')}` : '',
		].filter(Boolean);
		const expected = campaign.parameterIds.length ? campaign.parameterIds.join(', ') : 'none';
		return fail(
			`The parameters must match the campaign's parameter IDs exactly (${expected}): ${parts.join('; ')}.`,
			'INVALID_PARAMETERS',
		);
	}

	const { state } = ctx;
	const at = new Date().toISOString();
	const requests = [...new Set(userSid as string[])].map((sid) => {
		if (!state.directory.userBySid(sid)) return { userSid: sid, message: USER_NOT_FOUND };
		const requestId = randomUUID();
		state.data.campaignRequests.push({
			requestId,
			campaignNqlId: campaign.nqlId,
			userSid: sid,
			parameters: params,
			expiresInMinutes,
			at,
		});
		return { requestId, userSid: sid };
	});
	sendJson(ctx, 200, { requests });
}
