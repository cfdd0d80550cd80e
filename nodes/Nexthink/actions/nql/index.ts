import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as executeOperation from './execute.operation';

export const option: INodePropertyOptions = {
	name: 'NQL',
	value: 'nql',
	description: 'Run saved NQL queries',
};

export const operations = {
	execute: executeOperation,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['nql'] } },
		options: [
			{
				name: 'Execute',
				value: 'execute',
				action: 'Run a saved NQL query',
				description:
					'Run a saved NQL query (by its Query ID) and get up to 1,000 result rows, one item per row',
			},
		],
		default: 'execute',
	},
	...executeOperation.description,
];
