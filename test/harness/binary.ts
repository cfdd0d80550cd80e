/** Reading back binary data a node wrote, through n8n's own `BinaryDataService`. */
import { BinaryDataService } from 'n8n-core';
import type { INodeExecutionData } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { coreService } from './runtime';

/** The bytes of a binary property of an output item, read back through n8n's BinaryDataService. */
export async function getBinaryBuffer(
	item: INodeExecutionData,
	property = 'data',
): Promise<Buffer> {
	const binaryData = item.binary?.[property];
	if (!binaryData) {
		throw new UserError(`The item has no binary property "${property}"`);
	}
	return await coreService(BinaryDataService).getAsBuffer(binaryData);
}
