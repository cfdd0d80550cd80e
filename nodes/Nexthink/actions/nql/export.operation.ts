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
	exportOutputField,
	truncationHint,
	type ExportMeta,
	type ExportOutput,
} from '../../shared/exportOutput';
import {
	byVersion,
	concurrencyOption,
	optionsCollection,
	requestTimeoutOption,
} from '../../shared/fields';
import {
	binaryPropertyField,
	compressionField,
	queryIdField,
	queryIdNotice,
	queryParametersField,
	readQuery,
} from '../../shared/nqlFields';
import { byNodeVersion, readConcurrency, readOptions } from '../../shared/options';

export const option: INodePropertyOptions = {
	name: 'Export',
	value: 'export',
	action: 'Export the results of a saved NQL query by query ID',
	description:
		'Start an export of a saved NQL query (for more than 1,000 rows, up to about a million) and optionally wait for it',
};

/** Defaults of Wait for Completion and Output by node version (shared/fields.ts byVersion). */
const WAIT_BY_VERSION = { v1: false, v2: true };
const OUTPUT_BY_VERSION: { v1: ExportOutput | 'status'; v2: ExportOutput | 'status' } = {
	v1: 'status',
	v2: 'rows',
};

const properties: INodeProperties[] = [
	queryIdField,
	queryIdNotice,
	queryParametersField,
	// Version 2 waits and gives rows by default, as the trigger does; version 1 kept its defaults.
	...byVersion(
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: true,
			description:
				'Whether to wait until Nexthink has finished the export. Off: the export ID comes back at once (follow it with Get Export Status).',
		},
		WAIT_BY_VERSION,
	),
	...byVersion(
		{
			...exportOutputField('What to return once the export has completed'),
			displayOptions: { show: { waitForCompletion: [true] } },
		},
		OUTPUT_BY_VERSION,
	),
	compressionField('Smallest files; n8n can read them as rows only where its runtime decodes zstd'),
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
			const wait = this.getNodeParameter(
				'waitForCompletion',
				itemIndex,
				byNodeVersion(this, WAIT_BY_VERSION),
			) as boolean;
			if (!wait) {
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
			const mode = this.getNodeParameter(
				'output',
				itemIndex,
				byNodeVersion(this, OUTPUT_BY_VERSION),
			) as 'status' | ExportOutput;
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
