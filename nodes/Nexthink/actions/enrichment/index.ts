import type { INodePropertyOptions } from 'n8n-workflow';

import { resourceOperations } from '../../shared/fields';
import * as enrichFields from './enrichFields.operation';

export const option: INodePropertyOptions = {
	name: 'Enrichment',
	value: 'enrichment',
	description: 'Set fields of devices, users, binaries and packages from other systems',
};

/** Every operation of the resource, one line each; Enrich Fields is the default saved workflows rely on. */
export const { operations, description } = resourceOperations('enrichment', 'enrichFields', [
	enrichFields,
]);
