import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { runPerItem } from '../../shared/engine';
import {
	limitField,
	optionsCollection,
	requestTimeoutOption,
	returnAllField,
	simplifyField,
} from '../../shared/fields';
import { limitList } from '../../shared/list';
import { quote } from '../../shared/text';
import { invalidField } from '../../shared/validation';
import {
	DEPENDENCIES,
	TRIGGER_METHODS,
	listWorkflowsAcross,
	simplifyWorkflow,
	type Dependency,
	type TriggerMethod,
} from '../../api/workflows';

export const option: INodePropertyOptions = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many workflows',
	description:
		'Get many workflows, optionally only active ones, by dependency or by trigger method (e.g. API)',
};

const properties: INodeProperties[] = [
	returnAllField,
	limitField,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		description:
			'Nexthink lists workflows of one dependency and one trigger method per call: the node makes one call per combination left open (4 with one of the two filters set, 16 with neither) and merges them',
		options: [
			{
				displayName: 'Dependency',
				name: 'dependency',
				type: 'options',
				default: 'DEVICE',
				options: [
					{ name: 'Device', value: 'DEVICE', description: 'Workflows that run on devices' },
					{ name: 'None', value: 'NONE', description: 'Workflows that need no device or user' },
					{ name: 'User', value: 'USER', description: 'Workflows that run for users' },
					{
						name: 'User and Device',
						value: 'USER_AND_DEVICE',
						description: 'Workflows that need a user and a device',
					},
				],
				description: 'Only workflows whose targets are of this kind',
			},
			{
				displayName: 'Only Active',
				name: 'onlyActive',
				type: 'boolean',
				default: true,
				description: 'Whether to return only active workflows',
			},
			{
				displayName: 'Trigger Method',
				name: 'triggerMethod',
				type: 'options',
				default: 'API',
				options: [
					{ name: 'API', value: 'API', description: 'Workflows this node can trigger' },
					{ name: 'Manual', value: 'MANUAL' },
					{ name: 'Manual (Multiple Instances)', value: 'MANUAL_MULTIPLE' },
					{ name: 'Scheduler', value: 'SCHEDULER' },
				],
				description: 'Only workflows that can be started this way',
			},
		],
	},
	simplifyField(
		'ID, UUID, name, description, status, whether the API can trigger it, dependency, parameter IDs, last update',
	),
	optionsCollection([requestTimeoutOption]),
];

const displayOptions = { show: { resource: ['workflow'], operation: ['getMany'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await runPerItem.call(this, items, async (itemIndex) => {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		for (const [key, label, values] of [
			['dependency', 'Dependency', DEPENDENCIES],
			['triggerMethod', 'Trigger Method', TRIGGER_METHODS],
		] as const) {
			const value = filters[key];
			if (value !== undefined && value !== '' && !(values as readonly unknown[]).includes(value))
				throw invalidField.call(
					this,
					itemIndex,
					label,
					`${quote(String(value))} is not one of Nexthink's values`,
					`Use one of: ${values.join(', ')}.`,
				);
		}
		// The spec requires both filters on every call (§6.4): what the user leaves open is iterated.
		const workflows = await listWorkflowsAcross(
			this,
			{
				dependencies: filters.dependency ? [filters.dependency as Dependency] : undefined,
				triggerMethods: filters.triggerMethod
					? [filters.triggerMethod as TriggerMethod]
					: undefined,
				onlyActive: typeof filters.onlyActive === 'boolean' ? filters.onlyActive : undefined,
			},
			itemIndex,
		);
		const limited = limitList(this, workflows, itemIndex);
		const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
		return simplify ? limited.map(simplifyWorkflow) : limited;
	});
}
