import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import {
	triggerCampaign,
	type CampaignTriggerRequest,
	type CampaignUserResult,
} from '../../api/campaigns';
import { prepareItems, runTasks } from '../../shared/engine';
import { CAMPAIGN_NQL_ID, USER_SID } from '../../shared/identifiers';
import { planCombined, toTasks, type Contribution } from '../../shared/plan';
import {
	batchSizeOption,
	combineItemsByVersion,
	concurrencyOption,
	optionsCollection,
	requestOutputOption,
	requestTimeoutOption,
} from '../../shared/fields';
import {
	readBatchSize,
	readCombineItems,
	readConcurrency,
	readOptions,
} from '../../shared/options';
import { readOnce } from '../../shared/itemParameters';
import { keyValueOptions } from '../../shared/parameters';
import { checkAllowedForTool, toolGuardField } from '../../shared/toolGuard';
import {
	DEFAULT_EXPIRES_IN_MINUTES,
	MAX_EXPIRES_IN_MINUTES,
	readCampaignId,
	readExpiry,
	readParameters,
	readSids,
} from './input';

/** Most user SIDs one trigger request takes (docs/nexthink-api.md §3). */
const MAX_USERS_PER_REQUEST = 10_000;

export const option: INodePropertyOptions = {
	name: 'Trigger',
	value: 'trigger',
	action: 'Send a campaign to users by SID',
	description:
		'Send a campaign (survey or notification) to users given by Windows SID, with its parameters; reports the users Nexthink made no request for',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Campaign NQL ID',
		name: 'campaignNqlId',
		type: 'string',
		required: true,
		default: '',
		placeholder: CAMPAIGN_NQL_ID.example,
		description:
			'The NQL ID of the campaign, as shown in Nexthink (campaign > General > NQL ID); it usually starts with #, for example #general_survey, and is sent exactly as given. The campaign must be published and its trigger set to API.',
	},
	toolGuardField('campaign.trigger'),
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
	},
	{
		// Nexthink's answers carry nothing about a campaign's parameters (no campaign read endpoint).
		displayName:
			"Nexthink's API does not describe a campaign's parameters, so there are no fields to pick them from: copy their IDs from the campaign in Nexthink. It needs all of them, and no others.",
		name: 'campaignParametersNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Campaign Parameters',
		name: 'parameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add parameter',
		default: {},
		description:
			"Values for the campaign's parameters, by parameter ID (at most 30). Nexthink requires exactly the campaign's parameter IDs: all of them, and no others. Leave empty if the campaign has none.",
		options: keyValueOptions({ name: 'ticket_number', value: 'INC0012345' }),
	},
	optionsCollection([
		requestTimeoutOption,
		...combineItemsByVersion('users', 'campaign, expiry and parameters'),
		concurrencyOption('requests run'),
		requestOutputOption(
			"Nexthink's answer for each request, with counts and the users Nexthink made no request for",
			{
				name: 'One Item per User',
				value: 'user',
				description:
					'Each user SID with its request ID, or the reason Nexthink gave for making no request; paired with the input items that named the user',
			},
		),
		batchSizeOption({
			displayName: 'Users per Request',
			max: MAX_USERS_PER_REQUEST,
			default: MAX_USERS_PER_REQUEST,
			description: 'Longer user lists are split into requests of at most this many users',
		}),
	]),
];

const displayOptions = { show: { resource: ['campaign'], operation: ['trigger'] } };

export const description = updateDisplayOptions(displayOptions, properties);

type Base = Omit<CampaignTriggerRequest, 'userSid'>;

/** Step 1: one item's campaign, users, expiry and parameters, checked. */
function readItem(this: IExecuteFunctions, itemIndex: number): Contribution<string> {
	const { key, base } = readOnce(this, ['campaignNqlId', 'expiresInMinutes', 'parameters'], () =>
		readRequestBase.call(this, itemIndex),
	);
	const userSids = readSids.call(this, itemIndex);
	return { key, base: base as unknown as IDataObject, targets: userSids };
}

/** One item's campaign, expiry and parameters, checked, with the key of the requests they share. */
function readRequestBase(this: IExecuteFunctions, itemIndex: number): { key: string; base: Base } {
	const campaignNqlId = readCampaignId.call(this, itemIndex);
	checkAllowedForTool(this, 'campaign.trigger', campaignNqlId, itemIndex);
	const expiresInMinutes = readExpiry.call(this, itemIndex);
	const parameters = readParameters.call(this, itemIndex);
	const base: Base = { campaignNqlId, expiresInMinutes };
	if (Object.keys(parameters).length) base.parameters = parameters;
	const sortedParameters = Object.entries(parameters).sort(([a], [b]) => a.localeCompare(b));
	return { key: JSON.stringify([campaignNqlId, expiresInMinutes, sortedParameters]), base };
}

/** A request as sent, with Nexthink's answer per user. */
interface Sent {
	request: CampaignTriggerRequest;
	requests: IDataObject[];
	users: CampaignUserResult[];
	itemsOf(sid: string): number[];
}

/** Sends the campaign to the users of the input items, in as few requests as allowed. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const options = readOptions.call(this);
	const perUser = options.output === 'user';
	const { prepared, invalid } = prepareItems(this, items.length, (itemIndex) =>
		readItem.call(this, itemIndex),
	);
	const planned = planCombined(prepared, {
		combine: readCombineItems.call(this, options),
		maxTargetsPerRequest: readBatchSize(options, MAX_USERS_PER_REQUEST, MAX_USERS_PER_REQUEST),
		targetKey: USER_SID.key,
	});
	const tasks = toTasks(planned, async (plan): Promise<Sent> => {
		const request: CampaignTriggerRequest = {
			...(plan.base as unknown as Base),
			userSid: plan.targets,
		};
		return {
			request,
			...(await triggerCampaign(this, request, plan.itemIndexes[0])),
			itemsOf: plan.itemsOf,
		};
	});
	return await runTasks(this, tasks, {
		concurrency: readConcurrency.call(this),
		triggersAction: true,
		targetNoun: 'user',
		invalid,
		describeAccepted: ({ users }) =>
			`${users.filter((user) => user.created).length} of ${users.length} users got a campaign request`,
		toItems: ({ request, requests, users, itemsOf }) => {
			const { campaignNqlId, expiresInMinutes } = request;
			// Each user's item is paired with the input items that named that user only.
			if (perUser)
				return users.map((user) => ({
					json: { campaignNqlId, ...user, expiresInMinutes },
					itemIndexes: itemsOf(user.userSid),
				}));
			const created = users.filter((user) => user.created).length;
			return [
				{
					json: {
						campaignNqlId,
						expiresInMinutes,
						requested: request.userSid.length,
						created,
						notCreated: request.userSid.length - created,
						usersWithoutRequest: users
							.filter((user) => !user.created)
							.map(({ userSid, message }) => ({ userSid, message })),
						requests,
					},
				},
			];
		},
	});
}
