import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as executeOperation from './execute.operation';
import * as getOperation from './get.operation';
import * as getManyOperation from './getMany.operation';

export const option: INodePropertyOptions = {
	name: 'Remote Action',
	value: 'remoteAction',
	description: 'Run scripts on devices and list the remote actions available',
};

export const operations = {
	execute: executeOperation,
	get: getOperation,
	getMany: getManyOperation,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['remoteAction'] } },
		options: [
			{
				name: 'Execute',
				value: 'execute',
				action: 'Run a remote action on devices',
				description: 'Run a remote action on devices given by collector UUID, with its inputs',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a remote action',
				description: 'Get one remote action with its targeting, scripts, inputs and outputs',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'List remote actions',
				description: 'List the remote actions of the tenant',
			},
		],
		default: 'execute',
	},
	...executeOperation.description,
	...getOperation.description,
	...getManyOperation.description,
];
