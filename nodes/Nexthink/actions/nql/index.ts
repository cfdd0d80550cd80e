import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as downloadExportOperation from './downloadExport.operation';
import * as executeOperation from './execute.operation';
import * as exportOperation from './export.operation';
import * as getExportStatusOperation from './getExportStatus.operation';

export const option: INodePropertyOptions = {
	name: 'NQL',
	value: 'nql',
	description: 'Run saved NQL queries',
};

export const operations = {
	execute: executeOperation,
	export: exportOperation,
	getExportStatus: getExportStatusOperation,
	downloadExport: downloadExportOperation,
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
			{
				name: 'Export',
				value: 'export',
				action: 'Export the results of a saved NQL query',
				description:
					'Start an export of a saved NQL query (for more than 1,000 rows, up to about a million) and optionally wait for it',
			},
			{
				name: 'Get Export Status',
				value: 'getExportStatus',
				action: 'Get the status of an NQL export',
				description:
					'Whether an export has completed, its results link (valid 15 minutes) and any error',
			},
			{
				name: 'Download Export',
				value: 'downloadExport',
				action: 'Download the results of an NQL export',
				description: 'Download a completed export as rows or as a file',
			},
		],
		default: 'execute',
	},
	...executeOperation.description,
	...exportOperation.description,
	...getExportStatusOperation.description,
	...downloadExportOperation.description,
];
