import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as enrichFieldsOperation from './enrichFields.operation';

export const option: INodePropertyOptions = {
	name: 'Enrichment',
	value: 'enrichment',
	description: 'Set fields of devices, users, binaries and packages from other systems',
};

export const operations = {
	enrichFields: enrichFieldsOperation,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['enrichment'] } },
		options: [
			{
				name: 'Enrich Fields',
				value: 'enrichFields',
				action: 'Set fields of devices or users',
				description:
					'Set documented or custom fields of devices, users, binaries or packages: one object per item, or a whole list from one item; many go in one request, and entries Nexthink rejects are reported one by one',
			},
		],
		default: 'enrichFields',
	},
	...enrichFieldsOperation.description,
];
