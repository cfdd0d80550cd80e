import type { INodePropertyOptions } from 'n8n-workflow';

import { resourceOperations } from '../../shared/fields';
import * as execute from './execute.operation';
import * as get from './get.operation';
import * as getExecutions from './getExecutions.operation';
import * as getMany from './getMany.operation';

export const option: INodePropertyOptions = {
	name: 'Remote Action',
	value: 'remoteAction',
	description: 'Run scripts on devices and get the remote actions available',
};

/** Every operation of the resource, one line each; Execute is the default saved workflows rely on. */
export const { operations, description } = resourceOperations('remoteAction', 'execute', [
	execute,
	get,
	getMany,
	getExecutions,
]);
