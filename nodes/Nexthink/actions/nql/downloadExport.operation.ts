import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
	type NodeExecutionHint,
} from 'n8n-workflow';

import { downloadExportById, downloadExportFile, type DownloadedFile } from '../../api/exports';
import { runPerItem } from '../../shared/engine';
import {
	addHints,
	convertTypesOption,
	exportItems,
	type ExportMeta,
	type ExportOutput,
} from '../../shared/exportOutput';
import { optionsCollection, requestTimeoutOption } from '../../shared/fields';
import { binaryPropertyField } from '../../shared/nqlFields';
import { invalidField } from '../../shared/validation';
import { exportIdField, readExportId } from './common';

export const option: INodePropertyOptions = {
	name: 'Download Export',
	value: 'downloadExport',
	action: 'Download an NQL export by export ID or file URL',
	description: 'Download a completed export as rows or as a file',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Download By',
		name: 'source',
		type: 'options',
		default: 'exportId',
		options: [
			{
				name: 'Export ID',
				value: 'exportId',
				description:
					'Asks Nexthink for a fresh link first, so the 15-minute link lifetime never gets in the way',
			},
			{
				name: 'Results File URL',
				value: 'resultsFileUrl',
				description: 'The link from Get Export Status, used as is (valid 15 minutes)',
			},
		],
	},
	{ ...exportIdField, displayOptions: { show: { source: ['exportId'] } } },
	{
		displayName: 'Results File URL',
		name: 'resultsFileUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.resultsFileUrl }}',
		description:
			'The presigned link of a completed export. It is fetched without the Nexthink credential.',
		displayOptions: { show: { source: ['resultsFileUrl'] } },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'rows',
		options: [
			{ name: 'One Item per Row', value: 'rows', description: 'The CSV header row gives the keys' },
			{ name: 'File', value: 'file', description: 'The export file as binary data' },
		],
	},
	binaryPropertyField({ show: { output: ['file'] } }),
	optionsCollection([convertTypesOption, requestTimeoutOption]),
];

const displayOptions = { show: { resource: ['nql'], operation: ['downloadExport'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const hints: NodeExecutionHint[] = [];
	const output = await runPerItem.call(this, items, async (itemIndex) => {
		const byLink = this.getNodeParameter('source', itemIndex, 'exportId') === 'resultsFileUrl';
		const mode = this.getNodeParameter('output', itemIndex, 'rows') as ExportOutput;
		const asBinary = mode === 'file';
		let file: DownloadedFile;
		// By link no status call says whether the export was truncated: items carry no flag.
		let meta: ExportMeta = {};
		if (byLink) {
			const resultsFileUrl = String(
				this.getNodeParameter('resultsFileUrl', itemIndex, '') ?? '',
			).trim();
			if (!resultsFileUrl) {
				throw invalidField.call(
					this,
					itemIndex,
					'Results File URL',
					'it is empty',
					'Map the resultsFileUrl of a completed export, for example {{ $json.resultsFileUrl }}, or download by export ID.',
				);
			}
			file = await downloadExportFile.call(this, resultsFileUrl, itemIndex, asBinary);
		} else {
			const exportId = readExportId.call(this, itemIndex);
			const download = await downloadExportById.call(this, exportId, { itemIndex, asBinary });
			file = download.file;
			meta = { exportId, truncated: download.status.truncated };
		}
		const result = await exportItems.call(
			this,
			file,
			mode,
			String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data') || 'data'),
			meta,
			{ convertTypes: this.getNodeParameter('options.convertTypes', itemIndex, false) === true },
		);
		hints.push(...result.hints);
		return result.items;
	});
	addHints.call(this, hints);
	return output;
}
