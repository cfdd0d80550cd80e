import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	NodeExecutionHint,
} from 'n8n-workflow';

import { DEFAULT_CONCURRENCY, runPerItem } from '../../shared/items';
import {
	downloadExport,
	exportItems,
	startExport,
	waitForExport,
	type Compression,
	type ExportOutput,
} from './exports';
import { queryIdField, queryParametersField, readQuery } from './fields';

const show = { resource: ['nql'], operation: ['export'] };

export const description: INodeProperties[] = [
	queryIdField(show),
	queryParametersField(show),
	{
		displayName: 'Compression',
		name: 'compression',
		type: 'options',
		default: 'NONE',
		options: [
			{ name: 'None', value: 'NONE' },
			{ name: 'Gzip', value: 'GZIP' },
			{
				name: 'Zstandard',
				value: 'ZSTD',
				description:
					'Smallest files; n8n can read them as rows only where its runtime decodes zstd',
			},
		],
		description: 'How Nexthink compresses the export file',
		displayOptions: { show },
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until Nexthink has finished the export. Off: the export ID comes back at once (follow it with Get Export Status).',
		displayOptions: { show },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'status',
		options: [
			{
				name: 'Status and Results Link',
				value: 'status',
				description: 'The link is valid for 15 minutes',
			},
			{
				name: 'One Item per Row',
				value: 'rows',
				description: 'Download the CSV and return one item per row',
			},
			{ name: 'File', value: 'file', description: 'Download the export file as binary data' },
		],
		description: 'What to return once the export has completed',
		displayOptions: { show: { ...show, waitForCompletion: [true] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Check Every (Seconds)',
				name: 'pollIntervalSeconds',
				type: 'number',
				default: 5,
				typeOptions: { minValue: 1, maxValue: 300 },
				description:
					'How often to ask Nexthink for the status while waiting (the status call has a daily limit)',
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				default: DEFAULT_CONCURRENCY,
				typeOptions: { minValue: 1, maxValue: 20 },
				description: 'How many input items start their export at the same time',
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				hint: 'The name of the output binary field to put the file in',
			},
			{
				displayName: 'Time-Out (Minutes)',
				name: 'timeoutMinutes',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 1, maxValue: 120 },
				description:
					'How long to wait for completion before failing (the export goes on in Nexthink)',
			},
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const hints: NodeExecutionHint[] = [];
	const concurrency =
		Number(this.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY)) ||
		DEFAULT_CONCURRENCY;
	const output = await runPerItem.call(
		this,
		items,
		async (itemIndex) => {
			const query = readQuery.call(this, itemIndex);
			const compression = this.getNodeParameter('compression', itemIndex, 'NONE') as Compression;
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const exportId = await startExport.call(this, query, compression, itemIndex);
			if (!(this.getNodeParameter('waitForCompletion', itemIndex, false) as boolean)) {
				return [{ exportId, queryId: query.queryId as string, status: 'SUBMITTED' }];
			}
			const status = await waitForExport.call(
				this,
				exportId,
				{
					intervalMs: (Number(options.pollIntervalSeconds) || 5) * 1000,
					timeoutMs: (Number(options.timeoutMinutes) || 10) * 60_000,
				},
				itemIndex,
			);
			const mode = this.getNodeParameter('output', itemIndex, 'status') as 'status' | ExportOutput;
			const meta: IDataObject = {
				exportId,
				queryId: query.queryId as string,
				truncated: status.truncated,
			};
			if (mode === 'status') return [{ ...status, queryId: query.queryId as string }];
			const { file } = await downloadExport.call(this, { status }, itemIndex);
			const result = await exportItems.call(
				this,
				file,
				mode,
				String(options.binaryPropertyName || 'data'),
				meta,
			);
			hints.push(...result.hints);
			return result.items;
		},
		concurrency,
	);
	if (hints.length) this.addExecutionHints(hints[0]);
	return output;
}
