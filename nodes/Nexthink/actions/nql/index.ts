import type { INodePropertyOptions } from 'n8n-workflow';

import { resourceOperations } from '../../shared/fields';
import * as downloadExport from './downloadExport.operation';
import * as execute from './execute.operation';
import * as exportOperation from './export.operation';
import * as getExportStatus from './getExportStatus.operation';

export const option: INodePropertyOptions = {
	name: 'NQL',
	value: 'nql',
	description: 'Run saved NQL queries',
};

/** Every operation of the resource, one line each; Execute is the default saved workflows rely on. */
export const { operations, description } = resourceOperations('nql', 'execute', [
	execute,
	exportOperation,
	getExportStatus,
	downloadExport,
]);
