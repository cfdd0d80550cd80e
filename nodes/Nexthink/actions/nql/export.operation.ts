import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
	type NodeExecutionHint,
} from 'n8n-workflow';

import {
	downloadExportById,
	startExport,
	waitForExport,
	type Compression,
} from '../../api/exports';
import { runPerItem } from '../../shared/engine';
import {
	addHints,
	convertTypesOption,
	exportItems,
	truncationHint,
	type ExportMeta,
	type ExportOutput,
} from '../../shared/exportOutput';
import { concurrencyOption, optionsCollection, requestTimeoutOption } from '../../shared/fields';
import {
	binaryPropertyField,
	compressionField,
	queryIdField,
	queryIdNotice,
	queryParametersField,
	readQuery,
} from '../../shared/nqlFields';
import { readConcurrency, readOptions } from '../../shared/options';

export const option: INodePropertyOptions = {
	name: 'Export',
	value: 'export',
	action: 'Export the results of a saved NQL query',
	description:
		'Start an export of a saved NQL query (for more than 1,000 rows, up to about a million) and optionally wait for it',
};

const properties: INodeProperties[] = [
	queryIdField,
	queryIdNotice,
	queryParametersField,
	compressionField('Smallest files; n8n can read them as rows only where its runtime decodes zstd'),
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until Nexthink has finished the export. Off: the export ID comes back at once (follow it with Get Export Status).',
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
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	optionsCollection([
		{
			displayName: 'Check Every (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			default: 5,
			typeOptions: { minValue: 1, maxValue: 300 },
			description:
				'How often to ask Nexthink for the status while waiting (the status call has a daily limit)',
		},
		concurrencyOption('input items start their export'),
		convertTypesOption,
		binaryPropertyField(),
		requestTimeoutOption,
		{
			displayName: 'Time-Out (Minutes)',
			name: 'timeoutMinutes',
			type: 'number',
			default: 10,
			typeOptions: { minValue: 1, maxValue: 120 },
			description:
				'How long to wait for completion before failing (the export goes on in Nexthink)',
		},
	]),
];

const displayOptions = { show: { resource: ['nql'], operation: ['export'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const hints: NodeExecutionHint[] = [];
	const concurrency = readConcurrency.call(this);
	const output = await runPerItem.call(
		this,
		items,
		async (itemIndex) => {
			const query = readQuery.call(this, itemIndex);
			const compression = this.getNodeParameter('compression', itemIndex, 'NONE') as Compression;
			const options = readOptions.call(this, itemIndex);
			const exportId = await startExport.call(this, query, compression, itemIndex);
			if (!(this.getNodeParameter('waitForCompletion', itemIndex, false) as boolean)) {
				return [{ exportId, queryId: query.queryId, status: 'SUBMITTED' }];
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
			if (mode === 'status') {
				if (status.truncated) hints.push(truncationHint(exportId));
				return [{ ...status, queryId: query.queryId }];
			}
			const download = await downloadExportById.call(this, exportId, {
				status,
				itemIndex,
				asBinary: mode === 'file',
			});
			const meta: ExportMeta = {
				exportId,
				queryId: query.queryId,
				truncated: download.status.truncated,
			};
			const result = await exportItems.call(
				this,
				download.file,
				mode,
				String(options.binaryPropertyName || 'data'),
				meta,
				{ convertTypes: options.convertTypes === true },
			);
			hints.push(...result.hints);
			return result.items;
		},
		concurrency,
	);
	addHints.call(this, hints);
	return output;
}
