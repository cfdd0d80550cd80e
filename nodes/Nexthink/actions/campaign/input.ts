/** Reads and checks what one input item gives Campaign > Trigger: campaign, users, expiry, parameters. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { readKeyValues, readList } from '../../shared/parameters';
import { invalidField } from '../../shared/validation';
import { quote } from '../../shared/text';

/** Most parameters a campaign trigger takes (the spec's "maxItems 30" on the map). */
const MAX_CAMPAIGN_PARAMETERS = 30;
export const MAX_EXPIRES_IN_MINUTES = 525_600;
export const DEFAULT_EXPIRES_IN_MINUTES = 1440;

/** Campaign NQL IDs: `#` then letters, digits, `_`, `.` or `-` (Nexthink's examples: `#general_survey`). */
const CAMPAIGN_ID = /^#[A-Za-z0-9_.-]{1,255}$/;
/** Windows security identifiers, as Nexthink's Campaigns API takes them. */
const SID = /^S(-\d+){2,10}$/;
const SID_EXAMPLE = 'S-1-5-21-3623811015-3361044348-30300820-1013';

export function readCampaignId(this: IExecuteFunctions, itemIndex: number): string {
	const raw = this.getNodeParameter('campaignNqlId', itemIndex, '') as unknown;
	const id = typeof raw === 'string' ? raw.trim() : raw === undefined ? '' : String(raw);
	if (CAMPAIGN_ID.test(id)) return id;
	const suggestion = id && !id.startsWith('#') ? `#${id}` : undefined;
	throw invalidField.call(
		this,
		itemIndex,
		'Campaign NQL ID',
		id === '' ? 'it is empty' : `${quote(id)} is not a campaign NQL ID`,
		'Give the NQL ID of the campaign as shown in Nexthink (campaign > General > NQL ID): "#" followed by letters, digits or underscores, for example #general_survey' +
			(suggestion && CAMPAIGN_ID.test(suggestion) ? `. Did you mean ${suggestion}?` : '.'),
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
			`Give at least one Windows SID, for example ${SID_EXAMPLE}, from an NQL query that lists user.sid.`,
		);
	}
	return sids.map((sid, position) => {
		const normalised = sid.toUpperCase();
		if (!SID.test(normalised)) {
			throw invalidField.call(
				this,
				itemIndex,
				'User SIDs',
				`entry ${position + 1} of ${sids.length}, ${quote(sid)}, is not a SID`,
				`Campaigns target users by Windows SID only (user.sid in NQL), for example ${SID_EXAMPLE}. UPNs, user names and user UIDs are not accepted by this API.`,
			);
		}
		return normalised;
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
