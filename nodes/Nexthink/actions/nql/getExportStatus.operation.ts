import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	NodeExecutionHint,
} from 'n8n-workflow';

import { checkExportId, getExportStatus, isCompleted } from '../../api/exports';
import { addHints, truncationHint } from '../../shared/exportOutput';
import { runPerItem } from '../../shared/items';

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

/** The Export ID field, checked before any request: not empty, not "." or "..". */
export function readExportId(this: IExecuteFunctions, itemIndex: number): string {
	return checkExportId(this.getNode(), this.getNodeParameter('exportId', itemIndex, ''), itemIndex);
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const hints: NodeExecutionHint[] = [];
	const output = await runPerItem.call(this, items, async (itemIndex) => {
		const status = await getExportStatus.call(this, readExportId.call(this, itemIndex), itemIndex);
		if (status.truncated) hints.push(truncationHint(status.exportId));
		return [{ ...status, completed: isCompleted(status) }];
	});
	addHints.call(this, hints);
	return output;
}
