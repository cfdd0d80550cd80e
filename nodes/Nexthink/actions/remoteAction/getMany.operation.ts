import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import {
	limitField,
	optionsCollection,
	requestTimeoutOption,
	returnAllField,
	simplifyField,
} from '../../shared/fields';
import { limitList, pick } from '../../shared/list';
import { runPerItem } from '../../shared/engine';
import { isApiEnabled, listRemoteActions, type RemoteAction } from '../../api/remoteActions';

export const option: INodePropertyOptions = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many remote actions',
	description: 'Get many remote actions of the tenant, filtered by script platform or API use',
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
		options: [
			{
				displayName: 'API-Enabled Only',
				name: 'apiEnabledOnly',
				type: 'boolean',
				default: true,
				description: 'Whether to keep only remote actions that the API may execute',
			},
			{
				displayName: 'Has macOS Script',
				name: 'hasScriptMacOs',
				type: 'boolean',
				default: true,
				description:
					'Whether to keep only remote actions with (true) or without (false) a macOS script',
			},
			{
				displayName: 'Has Windows Script',
				name: 'hasScriptWindows',
				type: 'boolean',
				default: true,
				description:
					'Whether to keep only remote actions with (true) or without (false) a Windows script',
			},
		],
	},
	simplifyField('ID, name, description, purpose, API-enabled, platforms, input IDs'),
	optionsCollection([requestTimeoutOption]),
];

const displayOptions = { show: { resource: ['remoteAction'], operation: ['getMany'] } };

export const description = updateDisplayOptions(displayOptions, properties);

function simplifyRemoteAction(action: RemoteAction): IDataObject {
	return {
		...pick(action, {
			id: 'id',
			uuid: 'uuid',
			name: 'name',
			description: 'description',
			purpose: 'purpose',
			apiEnabled: 'targeting.apiEnabled',
			hasScriptWindows: 'scriptInfo.hasScriptWindows',
			hasScriptMacOs: 'scriptInfo.hasScriptMacOs',
		}),
		inputs: (action.scriptInfo?.inputs ?? []).map((input) => input.id),
	};
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await runPerItem.call(this, items, async (itemIndex) => {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		let actions = await listRemoteActions(
			this,
			{
				hasScriptWindows: filters.hasScriptWindows as boolean | undefined,
				hasScriptMacOs: filters.hasScriptMacOs as boolean | undefined,
			},
			itemIndex,
		);
		if (filters.apiEnabledOnly === true) actions = actions.filter(isApiEnabled);
		const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
		return limitList(this, actions, itemIndex).map((action) =>
			simplify ? simplifyRemoteAction(action) : action,
		);
	});
}
