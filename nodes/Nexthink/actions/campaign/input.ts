/** Reads and checks what one input item gives Campaign > Trigger: campaign, users, expiry, parameters. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { CAMPAIGN_NQL_ID, USER_SID } from '../../shared/identifiers';
import { readKeyValues, readList } from '../../shared/parameters';
import { invalidField } from '../../shared/validation';
import { quote } from '../../shared/text';

/** Most parameters a campaign trigger takes (the spec's "maxItems 30" on the map). */
const MAX_CAMPAIGN_PARAMETERS = 30;
export const MAX_EXPIRES_IN_MINUTES = 525_600;
export const DEFAULT_EXPIRES_IN_MINUTES = 1440;

/** The campaign's NQL ID, checked, exactly as given (no # added or removed). */
export function readCampaignId(this: IExecuteFunctions, itemIndex: number): string {
	const raw = this.getNodeParameter('campaignNqlId', itemIndex, '') as unknown;
	const id = typeof raw === 'string' ? raw.trim() : raw === undefined ? '' : String(raw);
	if (CAMPAIGN_NQL_ID.test(id)) return CAMPAIGN_NQL_ID.normalise(id);
	throw invalidField.call(
		this,
		itemIndex,
		'Campaign NQL ID',
		id === '' ? 'it is empty' : `${quote(id)} is not a valid NQL ID`,
		CAMPAIGN_NQL_ID.fix,
	);
}

export function readSids(this: IExecuteFunctions, itemIndex: number): string[] {
	const sids = readList(this.getNodeParameter('userSids', itemIndex, ''));
	if (sids.length === 0) {
		throw invalidField.call(
			this,
			itemIndex,
			'User SIDs',
			'no user SID is given',
			`Give at least one Windows SID, for example ${USER_SID.example}, from an NQL query that lists ${USER_SID.nql}.`,
		);
	}
	return sids.map((sid, position) => {
		if (!USER_SID.test(sid)) {
			throw invalidField.call(
				this,
				itemIndex,
				'User SIDs',
				`entry ${position + 1} of ${sids.length}, ${quote(sid)}, is not a ${USER_SID.label}`,
				`Campaigns target users by Windows SID only. ${USER_SID.fix} UPNs, user names and user UIDs are not accepted by this API.`,
			);
		}
		return USER_SID.normalise(sid);
	});
}

export function readExpiry(this: IExecuteFunctions, itemIndex: number): number {
	const raw = this.getNodeParameter('expiresInMinutes', itemIndex, DEFAULT_EXPIRES_IN_MINUTES);
	const minutes = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (
		typeof minutes !== 'number' ||
		!Number.isInteger(minutes) ||
		minutes < 1 ||
		minutes > MAX_EXPIRES_IN_MINUTES
	) {
		throw invalidField.call(
			this,
			itemIndex,
			'Expires in Minutes',
			`${JSON.stringify(raw)} is out of range`,
			'Use a whole number of minutes from 1 to 525600 (one year), for example 1440 for one day.',
		);
	}
	return minutes;
}

export function readParameters(this: IExecuteFunctions, itemIndex: number): Record<string, string> {
	const parameters = readKeyValues.call(this, 'parameters', itemIndex, 'Campaign Parameters');
	const count = Object.keys(parameters).length;
	if (count > MAX_CAMPAIGN_PARAMETERS) {
		throw invalidField.call(
			this,
			itemIndex,
			'Campaign Parameters',
			`${count} parameters are given`,
			`Nexthink takes at most ${MAX_CAMPAIGN_PARAMETERS}: give exactly the parameter IDs of the campaign.`,
		);
	}
	return parameters;
}
