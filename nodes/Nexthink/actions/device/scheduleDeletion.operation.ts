import { randomUUID } from 'crypto';

import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import {
	DELETION_PERMISSION,
	MAX_DELETIONS_PER_REQUEST,
	scheduleDeviceDeletions,
	type DeviceDeletionAnswer,
	type DeviceToDelete,
} from '../../api/dataManagement';
import { errorOutput, prepareItems, runTasks } from '../../shared/engine';
import {
	batchSizeOption,
	combineItemsOption,
	concurrencyOption,
	optionsCollection,
	requestTimeoutOption,
} from '../../shared/fields';
import { DEVICE_NAME, DEVICE_UID } from '../../shared/identifiers';
import { readBatchSize, readConcurrency, readOptions } from '../../shared/options';
import { planCombined, toTasks, type CombinedRequest, type Contribution } from '../../shared/plan';
import { quote } from '../../shared/text';
import { toolGuardField } from '../../shared/toolGuard';
import { invalidField } from '../../shared/validation';
import { mayHaveBeenProcessed } from '../../transport/errors';

/**
 * Deleting devices cannot be undone: the operation is marked destructive, for guards that keep
 * such operations from running unattended (an AI agent's tool, for example). Its own guard is
 * the Confirm Deletion field, checked before any request.
 */
export const destructive = true;

export const option: INodePropertyOptions = {
	name: 'Schedule Deletion',
	value: 'scheduleDeletion',
	action: 'Schedule deletion of devices by UID and name',
	description:
		'Remove devices and their data from the Nexthink inventory, given by device UID and name; a status per device. Cannot be undone.',
};

const properties: INodeProperties[] = [
	{
		displayName:
			'Nexthink removes each scheduled device and its data from the inventory, in the background. This cannot be undone. The API credential needs the Data management permission (' +
			DELETION_PERMISSION +
			').',
		name: 'deletionNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Confirm Deletion',
		name: 'confirmDeletion',
		type: 'boolean',
		required: true,
		noDataExpression: true,
		default: false,
		description: `Whether to delete the devices this node receives from the Nexthink inventory, with their data. Nothing is sent while it is off. Needs the Data management permission on the API credential (its token carries ${DELETION_PERMISSION}).`,
	},
	toolGuardField('device.scheduleDeletion'),
	{
		displayName: 'Device UID',
		name: 'deviceUid',
		type: 'string',
		required: true,
		default: '',
		placeholder: "{{ $json['device.uid'] }}",
		description:
			"The device's UID (device.uid in NQL), a UUID: one device per input item. Not its collector UUID.",
	},
	{
		displayName: 'Device Name',
		name: 'deviceName',
		type: 'string',
		required: true,
		default: '',
		placeholder: "{{ $json['device.name'] }}",
		description: "The device's name as Nexthink shows it (device.name in NQL)",
	},
	optionsCollection([
		requestTimeoutOption,
		combineItemsOption(
			'Whether to send the devices of all input items together, in requests of up to 100 devices. Off: one request per input item.',
			true,
		),
		concurrencyOption('requests run'),
		batchSizeOption({
			displayName: 'Devices per Request',
			max: MAX_DELETIONS_PER_REQUEST,
			default: MAX_DELETIONS_PER_REQUEST,
			description: 'Devices are sent in requests of at most this many (Nexthink takes up to 100)',
		}),
	]),
];

const displayOptions = { show: { resource: ['device'], operation: ['scheduleDeletion'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** A request as sent, with Nexthink's answer. */
interface Sent {
	answer: DeviceDeletionAnswer;
	planned: CombinedRequest<DeviceToDelete>;
}

const ONE_PER_ITEM =
	'The node takes one device per input item: to delete a list of devices, split it into items first (the Split Out node).';

/** The text of a field that must hold one value; anything else is quoted as given. */
function readText(this: IExecuteFunctions, name: string, itemIndex: number): unknown {
	const value = this.getNodeParameter(name, itemIndex, '') as unknown;
	return typeof value === 'string' ? value.trim() : value;
}

/** Step 1: one item's device, checked. */
function readItem(this: IExecuteFunctions, itemIndex: number): Contribution<DeviceToDelete> {
	const uid = readText.call(this, 'deviceUid', itemIndex);
	if (uid === '' || uid === undefined || uid === null)
		throw invalidField.call(
			this,
			itemIndex,
			'Device UID',
			'it is empty',
			`Give the device's UID, for example from an NQL query that lists ${DEVICE_UID.nql}.`,
		);
	if (typeof uid !== 'string' || !DEVICE_UID.test(uid))
		throw invalidField.call(
			this,
			itemIndex,
			'Device UID',
			`${quote(uid)} is not a ${DEVICE_UID.label}`,
			`${DEVICE_UID.fix}${typeof uid === 'string' ? '' : ` ${ONE_PER_ITEM}`}`,
		);
	const name = readText.call(this, 'deviceName', itemIndex);
	if (typeof name !== 'string' || !DEVICE_NAME.test(name))
		throw invalidField.call(
			this,
			itemIndex,
			'Device Name',
			name === '' || name === undefined || name === null
				? 'it is empty'
				: `${quote(name)} is not a device name`,
			`Nexthink wants the device's name beside its UID: ${DEVICE_NAME.fix}${typeof name === 'string' || name === undefined || name === null ? '' : ` ${ONE_PER_ITEM}`}`,
		);
	return {
		key: 'deletion',
		base: {},
		targets: [{ uid: DEVICE_UID.normalise(uid), name: DEVICE_NAME.normalise(name) }],
	};
}

/** The guard of a destructive operation: nothing is sent unless Confirm Deletion is on. */
function checkConfirmed(this: IExecuteFunctions): void {
	if (this.getNodeParameter('confirmDeletion', 0, false) === true) return;
	throw new NodeOperationError(
		this.getNode(),
		'Confirm Deletion: it is off, so no device was sent to Nexthink',
		{
			description:
				'Deleting a device removes it and its data from the Nexthink inventory, and cannot be undone. Turn on Confirm Deletion to schedule the deletion of the devices this node receives.',
		},
	);
}

/** Schedules the deletion of the input items' devices, in requests of at most 100. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	checkConfirmed.call(this);
	const options = readOptions.call(this);
	const { prepared, invalid } = prepareItems(this, items.length, (itemIndex) =>
		readItem.call(this, itemIndex),
	);
	const requests = planCombined(prepared, {
		// A bulk operation: on unless turned off.
		combine: options.combineItems !== false,
		maxTargetsPerRequest: readBatchSize(
			options,
			MAX_DELETIONS_PER_REQUEST,
			MAX_DELETIONS_PER_REQUEST,
		),
		targetKey: (device) => DEVICE_UID.key(device.uid),
	});
	const tasks = toTasks(requests, async (planned): Promise<Sent> => {
		// One x-request-id per request, kept across its tries, for Nexthink support (§7.1).
		const answer = await scheduleDeviceDeletions(
			this,
			planned.targets,
			randomUUID(),
			planned.itemIndexes[0],
		);
		return { answer, planned };
	});
	const output = await runTasks(this, tasks, {
		concurrency: readConcurrency.call(this),
		triggersAction: true,
		targetNoun: 'device',
		invalid,
		describeAccepted: ({ answer }) =>
			`request ${answer.requestId} (${answer.scheduledCount} of ${answer.devices.length} devices scheduled)`,
		// Each device's item is paired with the input items that named it.
		toItems: ({ answer, planned }) =>
			answer.devices.map((device, position) => ({
				json: { ...device, requestId: answer.requestId, traceId: answer.traceId },
				itemIndexes: planned.itemsOf(planned.targets[position]),
			})),
		toErrorItems: (error, task) => [
			errorOutput(error, task.itemIndexes, {
				targets: (task.targets ?? []) as IDataObject[],
				mayHaveRun: mayHaveBeenProcessed(error),
				...(typeof error.context.requestId === 'string'
					? { requestId: error.context.requestId }
					: {}),
			}),
		],
	});
	hintUnscheduled.call(this, output);
	return output;
}

/** A hint above the output when Nexthink did not schedule every device it answered for. */
function hintUnscheduled(this: IExecuteFunctions, output: INodeExecutionData[]): void {
	const counts = new Map<string, number>();
	let answered = 0;
	for (const { json } of output) {
		if (typeof json.scheduled !== 'boolean') continue;
		answered++;
		if (json.scheduled) continue;
		const status = typeof json.status === 'string' ? json.status : 'not in the answer';
		counts.set(status, (counts.get(status) ?? 0) + 1);
	}
	const notScheduled = [...counts.values()].reduce((sum, count) => sum + count, 0);
	if (!notScheduled) return;
	const which = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
	this.addExecutionHints({
		message: `Nexthink did not schedule ${notScheduled} of ${answered} devices for deletion (${which}): each item says why in "status" and "message". INVALID: a malformed device UID; FAILED: try it again later.`,
		location: 'outputPane',
	});
}
