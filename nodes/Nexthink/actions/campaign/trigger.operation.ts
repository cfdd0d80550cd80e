import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { readList, runCombined, type CombinedRequest } from '../../shared/combine';
import { asNodeError, DEFAULT_CONCURRENCY } from '../../shared/items';
import { keyValueField, readKeyValues } from '../../shared/parameters';
import { invalidField } from '../../shared/validation';
import { nexthinkRequest } from '../../transport/request';

/** Most user SIDs one trigger request takes (NEXTHINK-API.md §3). */
export const MAX_USERS_PER_REQUEST = 10_000;
/** Most parameters a campaign trigger takes (the spec's "maxItems 30" on the map). */
export const MAX_CAMPAIGN_PARAMETERS = 30;
export const MAX_EXPIRES_IN_MINUTES = 525_600;
export const DEFAULT_EXPIRES_IN_MINUTES = 1440;

/** Campaign NQL IDs: `#` then letters, digits, `_`, `.` or `-` (Nexthink's examples: `#general_survey`). */
export const CAMPAIGN_ID = /^#[A-Za-z0-9_.-]{1,255}$/;
/** Windows security identifiers, as Nexthink's Campaigns API takes them. */
export const SID = /^S(-\d+){2,10}$/;
const SID_EXAMPLE = 'S-1-5-21-3623811015-3361044348-30300820-1013';

/** Said when a user SID was sent but Nexthink's answer does not mention it. */
export const NOT_IN_ANSWER =
	"Nexthink's answer did not mention this user: no request is known for it";

const show = { resource: ['campaign'], operation: ['trigger'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Campaign NQL ID',
		name: 'campaignNqlId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '#general_survey',
		description:
			'The NQL ID of the campaign, as shown in Nexthink (campaign > General > NQL ID), for example #general_survey. The campaign must be published and its trigger set to API.',
		displayOptions: { show },
	},
	{
		displayName: 'User SIDs',
		name: 'userSids',
		type: 'string',
		required: true,
		default: '',
		placeholder: "{{ $json['user.sid'] }}",
		description:
			'Windows SIDs of the users who get the campaign (user.sid in NQL): one per line, comma-separated, or an array from an expression. Campaigns take SIDs only, not UPNs or user UIDs.',
		typeOptions: { rows: 3 },
		displayOptions: { show },
	},
	{
		displayName: 'Expires in Minutes',
		name: 'expiresInMinutes',
		type: 'number',
		required: true,
		default: DEFAULT_EXPIRES_IN_MINUTES,
		typeOptions: { minValue: 1, maxValue: MAX_EXPIRES_IN_MINUTES },
		description:
			'How long users can answer, counted from now (not from when the campaign is shown): 1 to 525600 (one year). 1440 is one day.',
		displayOptions: { show },
	},
	keyValueField({
		displayName: 'Campaign Parameters',
		name: 'parameters',
		description:
			"Values for the campaign's parameters, by parameter ID (at most 30). Nexthink requires exactly the campaign's parameter IDs: all of them, and no others. Leave empty if the campaign has none.",
		namePlaceholder: 'ticket_number',
		valuePlaceholder: 'INC0012345',
		displayOptions: { show },
	}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Combine Items',
				name: 'combineItems',
				type: 'boolean',
				default: false,
				description:
					'Whether to send the users of all input items in as few requests as possible (items with the same campaign, expiry and parameters share a request), instead of one request per item',
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				default: DEFAULT_CONCURRENCY,
				typeOptions: { minValue: 1, maxValue: 20 },
				description: 'How many requests run at the same time',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'request',
				options: [
					{
						name: 'One Item per Request',
						value: 'request',
						description:
							"Nexthink's answer for each request, with counts and the users Nexthink made no request for",
					},
					{
						name: 'One Item per User',
						value: 'user',
						description:
							'Each user SID with its request ID, or the reason Nexthink gave for making no request; paired with the input items that named the user',
					},
				],
				description: 'What the node outputs',
			},
			{
				displayName: 'Users per Request',
				name: 'batchSize',
				type: 'number',
				default: MAX_USERS_PER_REQUEST,
				typeOptions: { minValue: 1, maxValue: MAX_USERS_PER_REQUEST },
				description: 'Longer user lists are split into requests of at most this many users',
			},
		],
	},
];

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

function readCampaignId(this: IExecuteFunctions, itemIndex: number): string {
	const raw = this.getNodeParameter('campaignNqlId', itemIndex, '') as unknown;
	const id = typeof raw === 'string' ? raw.trim() : raw === undefined ? '' : String(raw);
	if (CAMPAIGN_ID.test(id)) return id;
	const suggestion = id && !id.startsWith('#') ? `#${id}` : undefined;
	throw invalidField.call(
		this,
		itemIndex,
		'Campaign NQL ID',
		id === '' ? 'it is empty' : `"${id}" is not a campaign NQL ID`,
		'Give the NQL ID of the campaign as shown in Nexthink (campaign > General > NQL ID): "#" followed by letters, digits or underscores, for example #general_survey' +
			(suggestion && CAMPAIGN_ID.test(suggestion) ? `. Did you mean ${suggestion}?` : '.'),
	);
}

function readSids(this: IExecuteFunctions, itemIndex: number): string[] {
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
			const shown = sid.length > 80 ? `${sid.slice(0, 77)}...` : sid;
			throw invalidField.call(
				this,
				itemIndex,
				'User SIDs',
				`entry ${position + 1} of ${sids.length}, "${shown}", is not a SID`,
				`Campaigns target users by Windows SID only (user.sid in NQL), for example ${SID_EXAMPLE}. UPNs, user names and user UIDs are not accepted by this API.`,
			);
		}
		return normalised;
	});
}

function readExpiry(this: IExecuteFunctions, itemIndex: number): number {
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

function readParameters(this: IExecuteFunctions, itemIndex: number): Record<string, string> {
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

/** Nexthink's per-user answer, completed with the users it did not mention. */
function summarise(sent: string[], body: unknown) {
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

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const perUser = options.output === 'user';
	/** The SIDs each item named, to pair a user's output item with exactly those items. */
	const sidsOfItem = new Map<number, Set<string>>();
	/** Output items that belong to fewer input items than their request: json → items. */
	const pairing = new Map<IDataObject, number[]>();

	const send = async ({ base, targets, itemIndexes }: CombinedRequest<string>) => {
		let answer: unknown;
		try {
			const { body } = await nexthinkRequest.call(this, {
				method: 'POST',
				path: '/api/v1/euf/campaign/trigger',
				body: { ...base, userSid: targets },
				operation: 'Campaign Trigger',
				domain: 'campaigns',
				triggersAction: true,
				notFoundHint: `Nexthink has no campaign ${String(base.campaignNqlId)} that the API may trigger: check its NQL ID, that it is published and that its trigger is API.`,
				itemIndex: itemIndexes[0],
			});
			answer = body;
		} catch (caught) {
			const error = asNodeError.call(this, caught, itemIndexes[0]);
			if (error instanceof NodeApiError) {
				const code = (error.errorResponse as IDataObject | undefined)?.nexthinkCode;
				if (typeof code === 'string' && FIXES[code]) error.description = FIXES[code];
			}
			throw error;
		}
		const { requests, perUser: users } = summarise(targets, answer);
		if (perUser) {
			return users.map((user) => {
				const json: IDataObject = {
					campaignNqlId: base.campaignNqlId,
					...user,
					expiresInMinutes: base.expiresInMinutes,
				};
				pairing.set(
					json,
					itemIndexes.filter((index) => sidsOfItem.get(index)?.has(user.userSid)),
				);
				return json;
			});
		}
		const created = users.filter((user) => user.created).length;
		return [
			{
				campaignNqlId: base.campaignNqlId,
				expiresInMinutes: base.expiresInMinutes,
				requested: targets.length,
				created,
				notCreated: targets.length - created,
				usersWithoutRequest: users
					.filter((user) => !user.created)
					.map(({ userSid, message }) => ({ userSid, message })),
				requests: requests as IDataObject[],
			},
		];
	};

	const runForUsers = runCombined<string>;
	const output = await runForUsers.call(this, items, {
		combine: options.combineItems === true,
		maxTargetsPerRequest: Math.min(
			MAX_USERS_PER_REQUEST,
			Math.max(1, Math.floor(Number(options.batchSize) || MAX_USERS_PER_REQUEST)),
		),
		concurrency: Number(options.concurrency) || DEFAULT_CONCURRENCY,
		targetKey: (sid) => sid,
		prepare: (itemIndex) => {
			const campaignNqlId = readCampaignId.call(this, itemIndex);
			const userSids = readSids.call(this, itemIndex);
			const expiresInMinutes = readExpiry.call(this, itemIndex);
			const parameters = readParameters.call(this, itemIndex);
			sidsOfItem.set(itemIndex, new Set(userSids));
			const base: IDataObject = { campaignNqlId, expiresInMinutes };
			if (Object.keys(parameters).length) base.parameters = parameters;
			const sortedParameters = Object.entries(parameters).sort(([a], [b]) => a.localeCompare(b));
			return {
				key: JSON.stringify([campaignNqlId, expiresInMinutes, sortedParameters]),
				base,
				targets: userSids,
			};
		},
		send,
	});

	if (pairing.size === 0) return output;
	return output.map((item) => {
		const indexes = pairing.get(item.json);
		if (!indexes?.length) return item;
		return {
			...item,
			pairedItem:
				indexes.length === 1 ? { item: indexes[0] } : indexes.map((index) => ({ item: index })),
		};
	});
}
