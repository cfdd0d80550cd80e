import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { triggerWaitForEvent, type WaitForEventRequest } from '../../api/workflows';
import { prepareItems, runTasks, type Task } from '../../shared/engine';
import { quote } from '../../shared/text';
import { concurrencyOption, optionsCollection, requestTimeoutOption } from '../../shared/fields';
import { readConcurrency, readOptions } from '../../shared/options';
import { keyValueOptions, readKeyValues } from '../../shared/parameters';
import { toolGuardField } from '../../shared/toolGuard';
import { invalidField } from '../../shared/validation';
import { EXECUTION_UUID, WORKFLOW_UUID } from '../../shared/identifiers';
import { locatorValue } from '../../shared/locator';
import { readUuid } from './common';

export const option: INodePropertyOptions = {
	name: 'Trigger Wait-for-Event',
	value: 'triggerWaitForEvent',
	action: 'Resume a waiting workflow execution by UUID',
	description:
		'Resume a workflow execution paused at a wait-for-event thinklet by sending it the event, with parameters',
};

const properties: INodeProperties[] = [
	toolGuardField('workflow.triggerWaitForEvent'),
	{
		displayName: 'Workflow',
		name: 'workflowUuid',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The workflow whose execution waits for the event. By UUID takes the workflow UUID (the uuid of Workflow > Get), not its NQL ID.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a workflow…',
				typeOptions: { searchListMethod: 'searchWorkflowUuids', searchable: true },
			},
			{
				displayName: 'By UUID',
				name: 'id',
				type: 'string',
				placeholder: WORKFLOW_UUID.example,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: WORKFLOW_UUID.editorPattern,
							errorMessage: `Enter the workflow UUID, for example ${WORKFLOW_UUID.example}`,
						},
					},
				],
			},
		],
	},
	{
		displayName: 'Execution UUID',
		name: 'executionUuid',
		type: 'string',
		required: true,
		default: '',
		placeholder: EXECUTION_UUID.example,
		description:
			'The execution that waits: one of the executionsUuids that Workflow > Trigger returned, or the execution ID the workflow sent out',
	},
	{
		displayName: 'Event Parameters',
		name: 'parameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add parameter',
		default: {},
		description:
			'Values the waiting thinklet receives, by parameter ID. Every value must be non-empty. Leave empty if it expects none.',
		options: keyValueOptions({ name: 'approved', value: 'yes' }),
	},
	optionsCollection([
		requestTimeoutOption,
		concurrencyOption('input items send their event'),
		{
			displayName: 'Source',
			name: 'source',
			type: 'string',
			default: '',
			placeholder: 'n8n',
			description: 'Sent as the Source header: names the system that sent the event',
		},
	]),
];

const displayOptions = { show: { resource: ['workflow'], operation: ['triggerWaitForEvent'] } };

export const description = updateDisplayOptions(displayOptions, properties);

function readWorkflowUuid(this: IExecuteFunctions, itemIndex: number): string {
	return readUuid.call(
		this,
		locatorValue(this.getNodeParameter('workflowUuid', itemIndex, '', { extractValue: true })),
		itemIndex,
		'Workflow',
		WORKFLOW_UUID,
		'pick the workflow from the list, or give its UUID (the uuid field of Workflow > Get), not its NQL ID',
	);
}

/** Step 1: one item's workflow, execution, parameters and source, checked. */
function readItem(this: IExecuteFunctions, itemIndex: number): WaitForEventRequest {
	const workflowUuid = readWorkflowUuid.call(this, itemIndex);
	const executionUuid = readUuid.call(
		this,
		this.getNodeParameter('executionUuid', itemIndex, ''),
		itemIndex,
		'Execution UUID',
		EXECUTION_UUID,
		'use one of the executionsUuids that Workflow > Trigger returned',
	);
	const parameters = readKeyValues.call(this, 'parameters', itemIndex, 'Event Parameters');
	for (const [name, value] of Object.entries(parameters)) {
		if (value === '') {
			throw invalidField.call(
				this,
				itemIndex,
				'Event Parameters',
				`${quote(name)} has an empty value`,
				'Nexthink refuses empty values here: give it a value, or remove the parameter.',
			);
		}
	}
	const source = String(readOptions.call(this, itemIndex).source ?? '').trim();
	return { workflowUuid, executionUuid, parameters, source: source || undefined };
}

/** Sends each item's event; every item is checked before the first is sent. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const { prepared, invalid } = prepareItems(this, items.length, (itemIndex) =>
		readItem.call(this, itemIndex),
	);
	const tasks = [...prepared].map(
		([itemIndex, request]): Task<{ requestUuid: string | null }> => ({
			itemIndexes: [itemIndex],
			targets: [request.executionUuid],
			send: async () => await triggerWaitForEvent(this, request, itemIndex),
		}),
	);
	return await runTasks(this, tasks, {
		concurrency: readConcurrency.call(this),
		triggersAction: true,
		targetNoun: 'execution',
		invalid,
		describeAccepted: (answer, task) =>
			`event ${answer.requestUuid ?? '(no ID)'} for execution ${String(task.targets?.[0])}`,
		toItems: (answer, task) => {
			const request = prepared.get(task.itemIndexes[0])!;
			return [
				{
					json: {
						requestUuid: answer.requestUuid,
						workflowUuid: request.workflowUuid,
						executionUuid: request.executionUuid,
					},
				},
			];
		},
	});
}
