import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkExportId } from '../../api/exports';

/** The export to follow (Get Export Status, Download Export by export ID). */
export const exportIdField: INodeProperties = {
	displayName: 'Export ID',
	name: 'exportId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '={{ $json.exportId }}',
	description: 'The exportId that NQL > Export returned',
};

/** The Export ID field, checked before any request: not empty, not "." or "..". */
export function readExportId(this: IExecuteFunctions, itemIndex: number): string {
	return checkExportId(this.getNode(), this.getNodeParameter('exportId', itemIndex, ''), itemIndex);
}
