import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import {
	triggerWorkflow,
	type WorkflowTriggerAnswer,
	type WorkflowTriggerRequest,
} from '../../api/workflows';
import { prepareItems, runTasks } from '../../shared/engine';
import {
	COLLECTOR_UUID,
	DEVICE_NAME,
	DEVICE_UID,
	USER_UID,
	USER_UPN,
	WORKFLOW_USER_SID,
	type Identifier,
} from '../../shared/identifiers';
import { planCombined, toTasks, type Contribution } from '../../shared/plan';
import { quote } from '../../shared/text';
import {
	combineItemsOption,
	concurrencyOption,
	optionsCollection,
	requestTimeoutOption,
} from '../../shared/fields';
import { readConcurrency, readOptions } from '../../shared/options';
import { keyValueOptions, readKeyValues, readList } from '../../shared/parameters';
import { invalidField } from '../../shared/validation';
import { readWorkflowId, workflowIdModes } from './common';

/** Most devices, and most users, one execute request may carry (NEXTHINK-API.md §6.1). */
const MAX_TARGETS_PER_REQUEST = 10000;

type DeviceIdType = 'collectorUid' | 'name' | 'uid';
type UserIdType = 'sid' | 'upn' | 'uid';

interface Target {
	kind: 'device' | 'user';
	/** The v2 object key: collectorUid, name, uid / sid, upn, uid. */
	type: DeviceIdType | UserIdType;
	value: string;
}

/** What each identifier type of the Devices and Users fields is (the Workflows API's, §6.1–6.2). */
const DEVICE_IDENTIFIERS: Record<DeviceIdType, Identifier> = {
	collectorUid: COLLECTOR_UUID,
	name: DEVICE_NAME,
	uid: DEVICE_UID,
};

const USER_IDENTIFIERS: Record<UserIdType, Identifier> = {
	sid: WORKFLOW_USER_SID,
	upn: USER_UPN,
	uid: USER_UID,
};

export const option: INodePropertyOptions = {
	name: 'Trigger',
	value: 'trigger',
	action: 'Trigger a workflow on devices or users',
	description:
		'Start an API-enabled workflow on devices (collector UUID, name or UID) and/or users (SID, UPN or UID)',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Workflow',
		name: 'workflowId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The workflow to run. The list shows active workflows whose API trigger is enabled (workflow > General > API).',
		modes: workflowIdModes('searchApiWorkflows'),
	},
	{
		displayName: 'Device Identifier Type',
		name: 'deviceIdType',
		type: 'options',
		default: 'collectorUid',
		options: [
			{
				name: COLLECTOR_UUID.label,
				value: 'collectorUid',
				description: `Device.collector.uid in NQL, for example ${COLLECTOR_UUID.example}`,
			},
			{
				name: DEVICE_NAME.label,
				value: 'name',
				description: `Device.name in NQL, for example ${DEVICE_NAME.example}`,
			},
			{ name: DEVICE_UID.label, value: 'uid', description: 'Device.uid in NQL (a UUID)' },
		],
		description:
			'What the entries under Devices are. Collector UUIDs (with SIDs or no users) use the v1 endpoint; anything else uses v2, which looks devices up by name or UID.',
	},
	{
		displayName: 'Devices',
		name: 'devices',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: `${COLLECTOR_UUID.example}\n7b1f5a40-3c1e-4a57-9d5e-2f0c3e1b9a11`,
		description:
			'Devices to run the workflow on: one per line or comma-separated, or an expression returning an array. Up to 10,000 per request; longer lists are sent in several requests. Leave empty to target users only.',
	},
	{
		displayName: 'User Identifier Type',
		name: 'userIdType',
		type: 'options',
		default: 'sid',
		options: [
			{
				name: 'SID',
				value: 'sid',
				description: `User.sid in NQL, for example ${WORKFLOW_USER_SID.example}`,
			},
			{
				name: 'UPN',
				value: 'upn',
				description: `User.upn in NQL, for example ${USER_UPN.example}`,
			},
			{ name: 'User UID', value: 'uid', description: 'User.uid in NQL (a UUID)' },
		],
		description:
			'What the entries under Users are. SIDs (with collector UUIDs or no devices) use the v1 endpoint; UPNs and UIDs use v2.',
	},
	{
		displayName: 'Users',
		name: 'users',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: WORKFLOW_USER_SID.example,
		description:
			'Users to run the workflow for: one per line or comma-separated, or an expression returning an array. Up to 10,000 per request. Leave empty to target devices only; give at least one device or user.',
	},
	{
		displayName: 'Workflow Parameters',
		name: 'parameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Parameter',
		default: {},
		description:
			"Values for the workflow's parameters, by parameter ID (Workflow > Get lists them). Leave empty if the workflow has none.",
		options: keyValueOptions({ name: 'service_name', value: 'Spooler' }),
	},
	optionsCollection([
		requestTimeoutOption,
		combineItemsOption(
			'Whether to send the devices and users of all input items that share workflow, parameters and source in as few requests as possible, instead of one request per item. Each output item then lists every input item it covers.',
		),
		concurrencyOption('trigger requests are sent'),
		{
			displayName: 'Source',
			name: 'source',
			type: 'string',
			default: '',
			placeholder: 'n8n',
			description:
				'Sent as the Source header: names the system that triggered the workflow, for your own tracking in Nexthink',
		},
	]),
];

const displayOptions = { show: { resource: ['workflow'], operation: ['trigger'] } };

export const description = updateDisplayOptions(displayOptions, properties);

function readTargets(this: IExecuteFunctions, itemIndex: number, kind: Target['kind']): Target[] {
	const field = kind === 'device' ? 'Devices' : 'Users';
	const typeField = kind === 'device' ? 'deviceIdType' : 'userIdType';
	const type = this.getNodeParameter(
		typeField,
		itemIndex,
		kind === 'device' ? 'collectorUid' : 'sid',
	) as DeviceIdType | UserIdType;
	const identifiers: Record<string, Identifier> =
		kind === 'device' ? DEVICE_IDENTIFIERS : USER_IDENTIFIERS;
	const identifier = Object.prototype.hasOwnProperty.call(identifiers, type)
		? identifiers[type]
		: undefined;
	if (!identifier) {
		throw invalidField.call(
			this,
			itemIndex,
			kind === 'device' ? 'Device Identifier Type' : 'User Identifier Type',
			`${quote(type)} is not a known identifier type`,
			`Use one of: ${Object.keys(identifiers).join(', ')}.`,
		);
	}
	const values = readList(
		this.getNodeParameter(kind === 'device' ? 'devices' : 'users', itemIndex, ''),
	);
	return values.map((value, position) => {
		if (!identifier.test(value)) {
			throw invalidField.call(
				this,
				itemIndex,
				field,
				`entry ${position + 1} of ${values.length}, ${quote(value)}, is not a ${identifier.label}`,
				`${identifier.fix} Give one per entry, or change ${kind === 'device' ? 'Device' : 'User'} Identifier Type to match the values.`,
			);
		}
		return { kind, type, value: identifier.normalise(value) };
	});
}

function targetKey(target: Target): string {
	const identifiers: Record<string, Identifier> =
		target.kind === 'device' ? DEVICE_IDENTIFIERS : USER_IDENTIFIERS;
	return `${target.kind}:${target.type}:${identifiers[target.type].key(target.value)}`;
}

/** v1 takes plain collector UUIDs and SIDs; every other identifier needs v2. */
function needsV2(targets: Target[]): boolean {
	return targets.some((t) => (t.kind === 'device' ? t.type !== 'collectorUid' : t.type !== 'sid'));
}

interface Base {
	workflowId: string;
	params: Record<string, string>;
	source: string;
}

/** A request as sent, with Nexthink's answer. */
interface Sent {
	request: WorkflowTriggerRequest;
	answer: WorkflowTriggerAnswer;
}

/** Step 1: one item's workflow, devices, users, parameters and source, checked. */
function readItem(this: IExecuteFunctions, itemIndex: number): Contribution<Target> {
	const workflowId = readWorkflowId.call(this, itemIndex);
	const targets = [
		...readTargets.call(this, itemIndex, 'device'),
		...readTargets.call(this, itemIndex, 'user'),
	];
	if (targets.length === 0) {
		throw invalidField.call(
			this,
			itemIndex,
			'Devices and Users',
			'both are empty',
			'Give at least one device or user to run the workflow on: one per line, comma-separated, or an expression returning an array.',
		);
	}
	const params = readKeyValues.call(this, 'parameters', itemIndex, 'Workflow Parameters');
	const source = String(readOptions.call(this, itemIndex).source ?? '').trim();
	const sortedParams = Object.keys(params)
		.sort()
		.map((name) => [name, params[name]]);
	const base: Base = { workflowId, params, source };
	return {
		key: JSON.stringify([workflowId, sortedParams, source]),
		base: base as unknown as IDataObject,
		targets,
	};
}

/** Step 2: the request body for some targets: v1 when it can carry them, else v2. */
function requestFor(base: Base, targets: Target[]): WorkflowTriggerRequest {
	const apiVersion = needsV2(targets) ? 'v2' : 'v1';
	const encode = (target: Target) =>
		apiVersion === 'v1' ? target.value : { [target.type]: target.value };
	return {
		apiVersion,
		workflowId: base.workflowId,
		devices: targets.filter((t) => t.kind === 'device').map(encode),
		users: targets.filter((t) => t.kind === 'user').map(encode),
		params: base.params,
		source: base.source || undefined,
	};
}

/** Runs the workflow on the devices and users of the input items, in as few requests as allowed. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const { prepared, invalid } = prepareItems(this, items.length, (itemIndex) =>
		readItem.call(this, itemIndex),
	);
	const requests = planCombined(prepared, {
		combine: readOptions.call(this).combineItems === true,
		maxTargetsPerRequest: MAX_TARGETS_PER_REQUEST,
		targetKey,
	});
	const tasks = toTasks(requests, async (planned): Promise<Sent> => {
		const request = requestFor(planned.base as unknown as Base, planned.targets);
		return { request, answer: await triggerWorkflow(this, request, planned.itemIndexes[0]) };
	});
	return await runTasks(this, tasks, {
		concurrency: readConcurrency.call(this),
		triggersAction: true,
		targetNoun: 'target',
		invalid,
		describeAccepted: ({ answer }) =>
			`request ${answer.requestUuid ?? '(no ID)'} (${answer.executionsUuids.length} executions)`,
		toItems: ({ request, answer }) => [
			{
				json: {
					workflowId: request.workflowId,
					requestUuid: answer.requestUuid,
					executionsUuids: answer.executionsUuids,
					apiVersion: request.apiVersion,
					deviceCount: request.devices?.length ?? 0,
					userCount: request.users?.length ?? 0,
				},
			},
		],
	});
}
