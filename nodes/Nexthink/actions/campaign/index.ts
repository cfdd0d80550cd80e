import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as triggerOperation from './trigger.operation';

export const option: INodePropertyOptions = {
	name: 'Campaign',
	value: 'campaign',
	description: 'Send campaigns (surveys, notifications) to users',
};

export const operations = {
	trigger: triggerOperation,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options: [
			{
				name: 'Trigger',
				value: 'trigger',
				action: 'Send a campaign to users',
				description:
					'Send a campaign (survey or notification) to users given by Windows SID, with its parameters; reports the users Nexthink made no request for',
			},
		],
		default: 'trigger',
	},
	...triggerOperation.description,
];
