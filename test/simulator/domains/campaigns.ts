/** Campaign trigger `POST /api/v1/euf/campaign/trigger` (docs/nexthink-api.md §3). */
import { randomUUID } from 'node:crypto';

import { ownCode, sendError } from '../errors';
import { isRecord, sendJson, type RequestContext } from '../http';
import { strictViolation, unknownField } from '../strict';
import { accepts, checkStringMap, ids, isInteger, show } from '../validate';

export const USER_NOT_FOUND = 'User not found in the system';

/** The fields of `TriggerRequest` (§3). */
const TRIGGER_FIELDS = ['campaignNqlId', 'userSid', 'expiresInMinutes', 'parameters'];

export function handleCampaignTrigger(ctx: RequestContext): void {
	const reject = (reason: string, name?: string) =>
		strictViolation(ctx, reason, name ? { code: ownCode(name) } : undefined);
	/** A business answer: only INVALID_CAMPAIGN_TRIGGER_TYPE is documented, the others are marked. */
	const fail = (message: string, code: string) => sendError(ctx, 'campaigns', 400, message, code);
	if (ctx.jsonError) return reject('Malformed JSON request body.');
	if (!isRecord(ctx.body))
		return reject(
			'The request body must be a JSON object with campaignNqlId, userSid and expiresInMinutes.',
		);
	const { campaignNqlId, userSid, expiresInMinutes, parameters } = ctx.body;
	if (!accepts(ids.CAMPAIGN_NQL_ID, campaignNqlId)) return reject('campaignNqlId is required.');
	if (!Array.isArray(userSid) || userSid.length === 0)
		return reject('userSid is required and must hold 1 to 10000 SIDs.');
	if (userSid.length > 10000)
		return reject(`userSid holds ${userSid.length} SIDs; the maximum is 10000.`);
	// SIDs as the Workflows API documents them (§6.1), without its `0` (§3 documents none).
	const badSid = userSid.find((s) => !accepts(ids.USER_SID, s));
	if (badSid !== undefined)
		return reject(`userSid ${show(badSid)} is not a valid SID.`, 'INVALID_USER_SID');
	if (expiresInMinutes === undefined) return reject('expiresInMinutes is required.');
	if (!isInteger(expiresInMinutes) || expiresInMinutes < 1 || expiresInMinutes > 525600) {
		return reject(
			`expiresInMinutes ${show(expiresInMinutes)} must be an integer from 1 to 525600.`,
		);
	}
	const mapError = checkStringMap(parameters, 'parameters');
	if (mapError) return reject(mapError);
	const params = (parameters ?? {}) as Record<string, string>;
	if (Object.keys(params).length > 30)
		return reject(`parameters holds ${Object.keys(params).length} keys; the maximum is 30.`);
	const extra = unknownField(ctx, ctx.body, TRIGGER_FIELDS);
	if (extra) return reject(extra);

	// Exactly the NQL ID given: `general_survey` is not `#general_survey`.
	const campaign = ctx.state.data.campaigns.find((c) =>
		ids.CAMPAIGN_NQL_ID.same(c.nqlId, campaignNqlId),
	);
	if (!campaign)
		return fail(`No campaign with NQL ID ${show(campaignNqlId)}.`, ownCode('CAMPAIGN_NOT_FOUND'));
	if (campaign.status !== 'PUBLISHED')
		return fail(
			`Campaign '${campaign.nqlId}' is ${campaign.status.toLowerCase()}, not published.`,
			ownCode('CAMPAIGN_NOT_PUBLISHED'),
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
			ownCode('INVALID_PARAMETERS'),
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
