import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { limitList, pick, returnAllOrLimit, simplifyField } from '../../shared/list';
import { runPerItem } from '../../shared/engine';
import { filtersCollection } from '../../shared/options';
import { isApiEnabled, listRemoteActions, type RemoteAction } from '../../api/remoteActions';

const show = { resource: ['remoteAction'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	...returnAllOrLimit(show),
	filtersCollection(show, [
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
	]),
	simplifyField(show, 'ID, name, description, purpose, API-enabled, platforms, input IDs'),
];

export function simplifyRemoteAction(action: RemoteAction): IDataObject {
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
		const limited = limitList<RemoteAction>;
		return limited
			.call(this, actions, itemIndex)
			.map((action) => (simplify ? simplifyRemoteAction(action) : action));
	});
}
