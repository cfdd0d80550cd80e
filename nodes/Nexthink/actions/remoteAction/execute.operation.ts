import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import {
	batchSizeOption,
	combineItemsByVersion,
	concurrencyOption,
	optionsCollection,
	perInputItemOutput,
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
import {
	keyValueOptions,
	readKeyValues,
	readList,
	readMappedValues,
} from '../../shared/parameters';
import { COLLECTOR_UUID } from '../../shared/identifiers';
import { invalidField } from '../../shared/validation';
import {
	executeRemoteAction,
	type RemoteActionAnswer,
	type RemoteActionRequest,
} from '../../api/remoteActions';
import { prepareItems } from '../../shared/engine';
import { REMOTE_ACTION_EXECUTIONS } from '../../shared/executions';
import { runTasksAndWaitForOutcome, waitForOutcomeOptions } from '../../shared/outcome';
import {
	planCombined,
	targetsByItem,
	toTasks,
	type CombinedRequest,
	type Contribution,
} from '../../shared/plan';
import { quote, shorten } from '../../shared/text';
import { checkAllowedForTool, toolGuardField } from '../../shared/toolGuard';
import { readRemoteActionId, remoteActionIdModes } from './common';

/** Most devices one execute request takes (docs/nexthink-api.md §5.3). */
const MAX_DEVICES_PER_REQUEST = 10_000;

export const option: INodePropertyOptions = {
	name: 'Execute',
	value: 'execute',
	action: 'Run a remote action on devices by collector UUID',
	description: 'Run a remote action on devices given by collector UUID, with its inputs',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Remote Action',
		name: 'remoteActionId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The remote action to run. The list shows those enabled for API use (remote action > General > API).',
		modes: remoteActionIdModes('searchApiRemoteActions'),
	},
	toolGuardField('remoteAction.execute'),
	{
		displayName: 'Devices (Collector UUIDs)',
		name: 'devices',
		type: 'string',
		required: true,
		default: '',
		placeholder: "{{ $json['device.collector.uid'] }}",
		description:
			'Collector UUIDs of the target devices (device.collector.uid in NQL): one per line, comma-separated, or an array from an expression',
		typeOptions: { rows: 3 },
	},
	{
		displayName: 'Inputs',
		name: 'inputs',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		description: "The remote action's own inputs",
		typeOptions: {
			loadOptionsDependsOn: ['remoteActionId.value'],
			resourceMapper: {
				resourceMapperMethod: 'getRemoteActionInputs',
				mode: 'add',
				fieldWords: { singular: 'input', plural: 'inputs' },
				valuesLabel: 'Remote Action Inputs',
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
				noFieldsError: 'This remote action takes no inputs',
			},
		},
	},
	{
		displayName: 'Additional Inputs',
		name: 'additionalInputs',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add input',
		default: {},
		description:
			'Inputs by name, for a remote action chosen by expression or inputs the list above does not show. They override Inputs of the same name.',
		options: keyValueOptions({ name: 'ServiceName', value: 'Spooler' }),
	},
	optionsCollection([
		requestTimeoutOption,
		...waitForOutcomeOptions(REMOTE_ACTION_EXECUTIONS),
		...combineItemsByVersion('devices', 'remote action, inputs, expiry and trigger info'),
		concurrencyOption('requests run'),
		requestOutputOption(
			'Each request with its request ID and the devices it carries',
			perInputItemOutput('devices'),
		),
		batchSizeOption({
			displayName: 'Devices per Request',
			max: MAX_DEVICES_PER_REQUEST,
			default: MAX_DEVICES_PER_REQUEST,
			description: 'Longer device lists are split into requests of at most this many devices',
		}),
		{
			displayName: 'Expires in Minutes',
			name: 'expiresInMinutes',
			type: 'number',
			default: 60,
			typeOptions: { minValue: 60, maxValue: 10080 },
			description:
				'How long devices that are offline have to pick up the remote action: 60 (one hour) to 10080 (one week)',
		},
		{
			displayName: 'External Reference',
			name: 'externalReference',
			type: 'string',
			default: '',
			placeholder: 'INC0012345',
			description: 'A ticket or change number, kept with the request in Nexthink',
		},
		{
			displayName: 'External Source',
			name: 'externalSource',
			type: 'string',
			default: '',
			placeholder: 'ServiceNow',
			description: 'The system on whose behalf the remote action runs',
		},
		{
			displayName: 'Reason',
			name: 'reason',
			type: 'string',
			default: '',
			placeholder: 'Fix Teams issue reported by the user',
			description: 'Why the remote action runs (at most 500 characters)',
		},
	]),
];

const displayOptions = { show: { resource: ['remoteAction'], operation: ['execute'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** Trigger info fields and the most characters Nexthink keeps of each (docs/nexthink-api.md). */
const TRIGGER_INFO = [
	{ key: 'externalSource', label: 'External Source', max: 255 },
	{ key: 'reason', label: 'Reason', max: 500 },
	{ key: 'externalReference', label: 'External Reference', max: 255 },
] as const;

type Base = Omit<RemoteActionRequest, 'devices'>;

/** A request as sent, with Nexthink's answer. */
interface Sent {
	body: RemoteActionRequest;
	answer: RemoteActionAnswer;
	planned: CombinedRequest<string>;
}

function readInputs(this: IExecuteFunctions, itemIndex: number): Record<string, string> {
	return {
		...readMappedValues.call(this, 'inputs', itemIndex),
		...readKeyValues.call(this, 'additionalInputs', itemIndex, 'Additional Inputs'),
	};
}

function readDevices(this: IExecuteFunctions, itemIndex: number): string[] {
	const devices = readList(this.getNodeParameter('devices', itemIndex, ''));
	if (devices.length === 0) {
		throw invalidField.call(
			this,
			itemIndex,
			'Devices (Collector UUIDs)',
			'no device is given',
			`Give at least one collector UUID, for example from an NQL query that lists ${COLLECTOR_UUID.nql}.`,
		);
	}
	return devices.map((device, position) => {
		if (!COLLECTOR_UUID.test(device)) {
			throw invalidField.call(
				this,
				itemIndex,
				'Devices (Collector UUIDs)',
				`entry ${position + 1}, ${quote(device)}, is not a ${COLLECTOR_UUID.label}`,
				`Remote actions target devices by collector UUID only. ${COLLECTOR_UUID.fix} Device names and device UIDs are not accepted by this API.`,
			);
		}
		return COLLECTOR_UUID.normalise(device);
	});
}

/** Step 1: one item's remote action, inputs, expiry and trigger info, checked. */
function readItem(this: IExecuteFunctions, itemIndex: number): Contribution<string> {
	const { key, base } = readOnce(
		this,
		['remoteActionId', 'inputs', 'additionalInputs', 'options'],
		() => readRequestBase.call(this, itemIndex),
	);
	const devices = readDevices.call(this, itemIndex);
	return { key, base: base as unknown as IDataObject, targets: devices };
}

/** One item's remote action, inputs, expiry and trigger info, checked, with the key of the requests they share. */
function readRequestBase(this: IExecuteFunctions, itemIndex: number): { key: string; base: Base } {
	const remoteActionId = readRemoteActionId.call(this, itemIndex);
	checkAllowedForTool(this, 'remoteAction.execute', remoteActionId, itemIndex);
	const itemOptions = readOptions.call(this, itemIndex);
	const base: Base = { remoteActionId, params: readInputs.call(this, itemIndex) };
	if (itemOptions.expiresInMinutes !== undefined) {
		const minutes = Number(itemOptions.expiresInMinutes);
		if (!Number.isInteger(minutes) || minutes < 60 || minutes > 10080) {
			throw invalidField.call(
				this,
				itemIndex,
				'Expires in Minutes',
				`${shorten(itemOptions.expiresInMinutes)} is out of range`,
				'Use a whole number of minutes from 60 (one hour) to 10080 (one week).',
			);
		}
		base.expiresInMinutes = minutes;
	}
	const triggerInfo: NonNullable<Base['triggerInfo']> = {};
	for (const { key, label, max } of TRIGGER_INFO) {
		const value = String(itemOptions[key] ?? '').trim();
		if (value.length > max) {
			throw invalidField.call(
				this,
				itemIndex,
				label,
				`it has ${value.length} characters`,
				`Nexthink keeps at most ${max} characters: shorten it.`,
			);
		}
		if (value) triggerInfo[key] = value;
	}
	if (Object.keys(triggerInfo).length) base.triggerInfo = triggerInfo;
	return { key: JSON.stringify(base), base };
}

/** Runs the remote action on the devices of the input items, in as few requests as allowed. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const options = readOptions.call(this);
	const perInputItem = options.output === 'inputItem';
	const { prepared, invalid } = prepareItems(this, items.length, (itemIndex) =>
		readItem.call(this, itemIndex),
	);
	const requests = planCombined(prepared, {
		combine: readCombineItems.call(this, options),
		maxTargetsPerRequest: readBatchSize(options, MAX_DEVICES_PER_REQUEST, MAX_DEVICES_PER_REQUEST),
		targetKey: COLLECTOR_UUID.key,
	});
	const tasks = toTasks(requests, async (planned): Promise<Sent> => {
		const body: RemoteActionRequest = {
			...(planned.base as unknown as Base),
			devices: planned.targets,
		};
		return { body, answer: await executeRemoteAction(this, body, planned.itemIndexes[0]), planned };
	});
	const itemOf = ({ answer, body }: Sent, devices: string[]) => ({
		requestId: answer.requestId,
		expiresInMinutes: answer.expiresInMinutes,
		remoteActionId: body.remoteActionId,
		deviceCount: devices.length,
		devices,
	});
	return await runTasksAndWaitForOutcome(this, REMOTE_ACTION_EXECUTIONS, requests, tasks, {
		concurrency: readConcurrency.call(this),
		triggersAction: true,
		targetNoun: 'device',
		invalid,
		describeAccepted: ({ answer, body }) =>
			`request ${answer.requestId ?? '(no ID)'} for ${body.devices.length} devices`,
		toItems: (sent) => {
			if (!perInputItem) return [{ json: itemOf(sent, sent.body.devices) }];
			// Each input item gets the request's ID with its own devices, paired with it alone.
			return [...targetsByItem(sent.planned)].map(([itemIndex, devices]) => ({
				json: itemOf(sent, devices),
				itemIndexes: [itemIndex],
			}));
		},
	});
}
