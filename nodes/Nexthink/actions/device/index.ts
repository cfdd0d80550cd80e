import type { INodePropertyOptions } from 'n8n-workflow';

import { resourceOperations } from '../../shared/fields';
import * as scheduleDeletion from './scheduleDeletion.operation';

export const option: INodePropertyOptions = {
	name: 'Device',
	value: 'device',
	description: 'Remove devices from the Nexthink inventory',
};

/** Every operation of the resource, one line each; Schedule Deletion is the default. */
export const { operations, description } = resourceOperations('device', 'scheduleDeletion', [
	scheduleDeletion,
]);
