import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runPerItem } from '../../shared/items';
import { invalidField } from '../../shared/validation';
import { getExportStatus, isCompleted } from './exports';

const show = { resource: ['nql'], operation: ['getExportStatus'] };

export const exportIdField = (
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties => ({
	displayName: 'Export ID',
	name: 'exportId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '={{ $json.exportId }}',
	description: 'The exportId that NQL > Export returned',
	displayOptions,
});

export const description: INodeProperties[] = [exportIdField({ show })];

export function readExportId(this: IExecuteFunctions, itemIndex: number): string {
	const exportId = String(this.getNodeParameter('exportId', itemIndex, '') ?? '').trim();
	if (!exportId) {
		throw invalidField.call(
			this,
			itemIndex,
			'Export ID',
			'it is empty',
			'Map the exportId that NQL > Export returned, for example {{ $json.exportId }}.',
		);
	}
	return exportId;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await runPerItem.call(this, items, async (itemIndex) => {
		const status = await getExportStatus.call(this, readExportId.call(this, itemIndex), itemIndex);
		return [{ ...status, completed: isCompleted(status) }];
	});
}
