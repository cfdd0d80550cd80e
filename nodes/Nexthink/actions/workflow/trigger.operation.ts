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
import { prepareItems } from '../../shared/engine';
import { WORKFLOW_EXECUTIONS } from '../../shared/executions';
import { runTasksAndWaitForOutcome, waitForOutcomeOptions } from '../../shared/outcome';
import {
	COLLECTOR_UUID,
	DEVICE_NAME,
	DEVICE_UID,
	USER_UID,
	USER_UPN,
	WORKFLOW_USER_SID,
	type Identifier,
} from '../../shared/identifiers';
import {
	planCombined,
	targetsByItem,
	toTasks,
	type CombinedRequest,
	type Contribution,
} from '../../shared/plan';
import { quote } from '../../shared/text';
import {
	combineItemsByVersion,
	concurrencyOption,
	optionsCollection,
	perInputItemOutput,
	requestOutputOption,
	requestTimeoutOption,
} from '../../shared/fields';
import { readCombineItems, readConcurrency, readOptions } from '../../shared/options';
import { readOnce } from '../../shared/itemParameters';
import {
	keyValueOptions,
	readKeyValues,
	readList,
	readMappedValues,
} from '../../shared/parameters';
import { checkAllowedForTool, toolGuardField } from '../../shared/toolGuard';
import { invalidField } from '../../shared/validation';
import { readWorkflowId, workflowIdModes } from './common';

/** Most devices, and most users, one execute request may carry (docs/nexthink-api.md §6.1). */
const MAX_TARGETS_PER_REQUEST = 10000;

type DeviceKey = 'collectorUid' | 'name' | 'uid';
type UserKey = 'sid' | 'upn' | 'uid';
type Kind = 'device' | 'user';

interface Target {
	kind: Kind;
	/**
	 * Its identifiers, by v2 object key (collectorUid, name, uid / sid, upn, uid): one, or several
	 * of the same device or user (Identifier Objects).
	 */
	ids: Record<string, string>;
}

/** What each identifier of the Devices and Users fields is (the Workflows API's, §6.1–6.2). */
const DEVICE_IDENTIFIERS: Record<DeviceKey, Identifier> = {
	collectorUid: COLLECTOR_UUID,
	name: DEVICE_NAME,
	uid: DEVICE_UID,
};

const USER_IDENTIFIERS: Record<UserKey, Identifier> = {
	sid: WORKFLOW_USER_SID,
	upn: USER_UPN,
	uid: USER_UID,
};

const IDENTIFIERS: Record<Kind, Record<string, Identifier>> = {
	device: DEVICE_IDENTIFIERS,
	user: USER_IDENTIFIERS,
};

/** The one identifier v1 takes for each kind (§6.1); anything else, or several, needs v2. */
const V1_KEY: Record<Kind, string> = { device: 'collectorUid', user: 'sid' };

/** The identifier type that takes objects with several identifiers (v2 only). */
const OBJECTS = 'objects';

const has = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

export const option: INodePropertyOptions = {
	name: 'Trigger',
	value: 'trigger',
	action: 'Trigger a workflow on devices or users by ID',
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
	toolGuardField('workflow.trigger'),
	{
		displayName: 'Device Identifier Type',
		name: 'deviceIdType',
		type: 'options',
		default: 'collectorUid',
		options: [
			{
				name: COLLECTOR_UUID.label,
				value: 'collectorUid',
				description: `In NQL: device.collector.uid, for example ${COLLECTOR_UUID.example}`,
			},
			{
				name: DEVICE_NAME.label,
				value: 'name',
				description: `In NQL: device.name, for example ${DEVICE_NAME.example}`,
			},
			{ name: DEVICE_UID.label, value: 'uid', description: 'In NQL: device.uid (a UUID)' },
			{
				name: 'Identifier Objects',
				value: OBJECTS,
				description:
					'Objects with one or more of collectorUid, name and uid each, for example {"name": "LAPTOP-00042", "uid": "…"}',
			},
		],
		description:
			'What the entries under Devices are. Nexthink looks devices up by any of them; Identifier Objects give several identifiers of one device.',
	},
	{
		displayName: 'Devices',
		name: 'devices',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: `${COLLECTOR_UUID.example}\n7b1f5a40-3c1e-4a57-9d5e-2f0c3e1b9a11`,
		description:
			'Devices to run the workflow on: one per line or comma-separated, or an expression returning an array. With Identifier Objects: an expression (or JSON) returning objects such as {"name": "LAPTOP-00042", "uid": "…"}. Up to 10,000 per request; longer lists are sent in several requests. Leave empty to target users only.',
	},
	{
		displayName: 'User Identifier Type',
		name: 'userIdType',
		type: 'options',
		default: 'sid',
		options: [
			{
				name: 'Identifier Objects',
				value: OBJECTS,
				description: `Objects with one or more of sid, upn and uid each, for example {"upn": "${USER_UPN.example}", "sid": "…"}`,
			},
			{
				name: 'SID',
				value: 'sid',
				description: `In NQL: user.sid, for example ${WORKFLOW_USER_SID.example}`,
			},
			{
				name: 'UPN',
				value: 'upn',
				description: `In NQL: user.upn, for example ${USER_UPN.example}`,
			},
			{ name: 'User UID', value: 'uid', description: 'In NQL: user.uid (a UUID)' },
		],
		description:
			'What the entries under Users are. Nexthink looks users up by any of them; Identifier Objects give several identifiers of one user.',
	},
	{
		displayName: 'Users',
		name: 'users',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: WORKFLOW_USER_SID.example,
		description:
			'Users to run the workflow for: one per line or comma-separated, or an expression returning an array. With Identifier Objects: an expression (or JSON) returning objects such as {"upn": "jane.doe@example.com"}. Up to 10,000 per request. Leave empty to target devices only; give at least one device or user.',
	},
	{
		displayName: 'Workflow Parameters',
		name: 'workflowParameters',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		description: "The workflow's own parameters, as Nexthink describes them",
		typeOptions: {
			loadOptionsDependsOn: ['workflowId.value'],
			resourceMapper: {
				resourceMapperMethod: 'getWorkflowParameters',
				mode: 'add',
				fieldWords: { singular: 'parameter', plural: 'parameters' },
				valuesLabel: 'Workflow Parameters',
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
				noFieldsError: 'This workflow takes no parameters',
			},
		},
	},
	{
		displayName: 'Additional Parameters',
		name: 'parameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add parameter',
		default: {},
		description:
			'Parameters by ID, for a workflow chosen by expression or parameters the fields above do not show. They override Workflow Parameters of the same ID.',
		options: keyValueOptions({ name: 'service_name', value: 'Spooler' }),
	},
	optionsCollection([
		requestTimeoutOption,
		...waitForOutcomeOptions(WORKFLOW_EXECUTIONS),
		...combineItemsByVersion('devices and users', 'workflow, parameters and source'),
		concurrencyOption('trigger requests are sent'),
		requestOutputOption(
			'Each request with its request UUID, the execution UUIDs Nexthink gave it, and its device and user counts',
			perInputItemOutput('devices and users'),
		),
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

function readTargets(this: IExecuteFunctions, itemIndex: number, kind: Kind): Target[] {
	const field = kind === 'device' ? 'Devices' : 'Users';
	const typeLabel = kind === 'device' ? 'Device Identifier Type' : 'User Identifier Type';
	const type = this.getNodeParameter(
		kind === 'device' ? 'deviceIdType' : 'userIdType',
		itemIndex,
		V1_KEY[kind],
	) as string;
	const identifiers = IDENTIFIERS[kind];
	const raw = this.getNodeParameter(kind === 'device' ? 'devices' : 'users', itemIndex, '');
	if (type === OBJECTS) return readObjects.call(this, itemIndex, kind, raw);
	const identifier = has(identifiers, type) ? identifiers[type] : undefined;
	if (!identifier) {
		throw invalidField.call(
			this,
			itemIndex,
			typeLabel,
			`${quote(type)} is not a known identifier type`,
			`Use one of: ${[...Object.keys(identifiers), OBJECTS].join(', ')}.`,
		);
	}
	const values = readList(raw);
	return values.map((value, position) => {
		if (!identifier.test(value)) {
			throw invalidField.call(
				this,
				itemIndex,
				field,
				`entry ${position + 1} of ${values.length}, ${quote(value)}, is not a ${identifier.label}`,
				`${identifier.fix} Give one per entry, or change ${typeLabel} to match the values.`,
			);
		}
		return { kind, ids: { [type]: identifier.normalise(value) } };
	});
}

/**
 * Identifier Objects: `{collectorUid?, name?, uid?}` per device, `{sid?, upn?, uid?}` per user
 * (§6.2: "provide at least one of"), from an expression (an object or an array of them) or JSON
 * text. Each identifier is checked with its own rule; empty values count as absent.
 */
function readObjects(
	this: IExecuteFunctions,
	itemIndex: number,
	kind: Kind,
	raw: unknown,
): Target[] {
	const field = kind === 'device' ? 'Devices' : 'Users';
	const identifiers = IDENTIFIERS[kind];
	const keys = Object.keys(identifiers).join(', ');
	const example =
		kind === 'device'
			? `{"name": "${DEVICE_NAME.example}", "uid": "${DEVICE_UID.example}"}`
			: `{"upn": "${USER_UPN.example}", "sid": "${WORKFLOW_USER_SID.example}"}`;
	const fix = `Give objects with one or more of ${keys}, for example ${example}: from an expression returning them, or as JSON.`;
	let value = raw;
	if (typeof value === 'string') {
		const text = value.trim();
		if (!text) return [];
		try {
			value = JSON.parse(text) as unknown;
		} catch {
			throw invalidField.call(this, itemIndex, field, `${quote(text)} is not JSON`, fix);
		}
	}
	const entries = (Array.isArray(value) ? value.flat(Infinity) : [value]).filter(
		(entry) => entry !== undefined && entry !== null,
	) as unknown[];
	return entries.map((entry, position) => {
		const where = `entry ${position + 1} of ${entries.length}`;
		if (typeof entry !== 'object' || Array.isArray(entry))
			throw invalidField.call(
				this,
				itemIndex,
				field,
				`${where}, ${quote(entry)}, is not an object`,
				fix,
			);
		const ids: Record<string, string> = {};
		for (const [key, given] of Object.entries(entry as Record<string, unknown>)) {
			if (!has(identifiers, key))
				throw invalidField.call(
					this,
					itemIndex,
					field,
					`${where} has ${quote(key)}, which is not a ${kind} identifier`,
					`Use only ${keys} (as Nexthink names them). ${fix}`,
				);
			if (given === undefined || given === null || String(given).trim() === '') continue;
			const identifier = identifiers[key];
			const text = typeof given === 'string' ? given.trim() : String(given);
			if (typeof given === 'object' || !identifier.test(text))
				throw invalidField.call(
					this,
					itemIndex,
					field,
					`${where}: ${key} ${quote(typeof given === 'object' ? JSON.stringify(given) : text)} is not a ${identifier.label}`,
					identifier.fix,
				);
			ids[key] = identifier.normalise(text);
		}
		if (Object.keys(ids).length === 0)
			throw invalidField.call(this, itemIndex, field, `${where} has no identifier`, fix);
		return { kind, ids };
	});
}

/** One key per device or user: the same identifiers, compared as each identifier compares. */
function targetKey(target: Target): string {
	const identifiers = IDENTIFIERS[target.kind];
	const parts = Object.keys(target.ids)
		.sort()
		.map((key) => [key, identifiers[key].key(target.ids[key])]);
	return JSON.stringify([target.kind, parts]);
}

/** v1 takes a lone collector UUID per device and a lone SID per user; anything else needs v2. */
function needsV2(targets: Target[]): boolean {
	return targets.some((t) => {
		const keys = Object.keys(t.ids);
		return keys.length !== 1 || keys[0] !== V1_KEY[t.kind];
	});
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
	planned: CombinedRequest<Target>;
}

/** Step 1: one item's workflow, devices, users, parameters and source, checked. */
function readItem(this: IExecuteFunctions, itemIndex: number): Contribution<Target> {
	const { key, base } = readOnce(
		this,
		['workflowId', 'workflowParameters', 'parameters', 'options'],
		() => readRequestBase.call(this, itemIndex),
	);
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
	return { key, base: base as unknown as IDataObject, targets };
}

/** One item's workflow, parameters and source, checked, with the key of the requests they share. */
function readRequestBase(this: IExecuteFunctions, itemIndex: number): { key: string; base: Base } {
	const workflowId = readWorkflowId.call(this, itemIndex);
	checkAllowedForTool(this, 'workflow.trigger', workflowId, itemIndex);
	const params = {
		...readMappedValues.call(this, 'workflowParameters', itemIndex),
		...readKeyValues.call(this, 'parameters', itemIndex, 'Additional Parameters'),
	};
	const source = String(readOptions.call(this, itemIndex).source ?? '').trim();
	const sortedParams = Object.keys(params)
		.sort()
		.map((name) => [name, params[name]]);
	return {
		key: JSON.stringify([workflowId, sortedParams, source]),
		base: { workflowId, params, source },
	};
}

/** Step 2: the request body for some targets: v1 when it can carry them, else v2. */
function requestFor(
	base: Base,
	targets: Target[],
	apiVersion: WorkflowTriggerRequest['apiVersion'] = needsV2(targets) ? 'v2' : 'v1',
): WorkflowTriggerRequest {
	const encode = (target: Target) =>
		apiVersion === 'v1' ? target.ids[V1_KEY[target.kind]] : { ...target.ids };
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
	const options = readOptions.call(this);
	const perInputItem = options.output === 'inputItem';
	const { prepared, invalid } = prepareItems(this, items.length, (itemIndex) =>
		readItem.call(this, itemIndex),
	);
	const requests = planCombined(prepared, {
		combine: readCombineItems.call(this, options),
		maxTargetsPerRequest: MAX_TARGETS_PER_REQUEST,
		// 10,000 devices and 10,000 users per request, each list split on its own.
		listOf: (target) => target.kind,
		targetKey,
	});
	const tasks = toTasks(requests, async (planned): Promise<Sent> => {
		const request = requestFor(planned.base as unknown as Base, planned.targets);
		const answer = await triggerWorkflow(this, request, planned.itemIndexes[0]);
		return { request, answer, planned };
	});
	return await runTasksAndWaitForOutcome(this, WORKFLOW_EXECUTIONS, requests, tasks, {
		concurrency: readConcurrency.call(this),
		triggersAction: true,
		targetNoun: 'target',
		invalid,
		describeAccepted: ({ answer }) =>
			`request ${answer.requestUuid ?? '(no ID)'} (${answer.executionsUuids.length} executions)`,
		toItems: ({ request, answer, planned }) => {
			if (perInputItem) {
				// Nexthink's execution UUIDs are per request, not per target: each item gets the request UUID.
				return [...targetsByItem(planned)].map(([itemIndex, targets]) => {
					const own = requestFor(planned.base as unknown as Base, targets, request.apiVersion);
					return {
						json: {
							workflowId: request.workflowId,
							requestUuid: answer.requestUuid,
							apiVersion: request.apiVersion,
							deviceCount: own.devices?.length ?? 0,
							userCount: own.users?.length ?? 0,
							devices: own.devices ?? [],
							users: own.users ?? [],
						},
						itemIndexes: [itemIndex],
					};
				});
			}
			return [
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
			];
		},
	});
}
