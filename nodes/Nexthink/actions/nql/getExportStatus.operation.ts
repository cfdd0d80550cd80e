import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
	type NodeExecutionHint,
} from 'n8n-workflow';

import { getExportStatus, isCompleted } from '../../api/exports';
import { runPerItem } from '../../shared/engine';
import { addHints, truncationHint } from '../../shared/exportOutput';
import { optionsCollection, requestTimeoutOption } from '../../shared/fields';
import { exportIdField, readExportId } from './common';

export const option: INodePropertyOptions = {
	name: 'Get Export Status',
	value: 'getExportStatus',
	action: 'Get the status of an NQL export by export ID',
	description: 'Whether an export has completed, its results link (valid 15 minutes) and any error',
};

const properties: INodeProperties[] = [exportIdField, optionsCollection([requestTimeoutOption])];

const displayOptions = { show: { resource: ['nql'], operation: ['getExportStatus'] } };

export const description = updateDisplayOptions(displayOptions, properties);

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
