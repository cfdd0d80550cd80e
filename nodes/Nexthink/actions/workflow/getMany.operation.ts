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
import { listWorkflows, simplifyWorkflow } from '../../api/workflows';

export const option: INodePropertyOptions = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many workflows',
	description:
		'List workflows, optionally only active ones, by dependency or by trigger method (e.g. API)',
};

const properties: INodeProperties[] = [
	returnAllField,
	limitField,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
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
		const qs: IDataObject = {};
		if (filters.dependency) qs.dependency = filters.dependency;
		if (filters.triggerMethod) qs.triggerMethod = filters.triggerMethod;
		if (typeof filters.onlyActive === 'boolean')
			qs.fetchOnlyActiveWorkflows = String(filters.onlyActive);
		const workflows = limitList(this, await listWorkflows(this, qs, itemIndex), itemIndex);
		const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
		return simplify ? workflows.map(simplifyWorkflow) : workflows;
	});
}
