import type { INodePropertyOptions } from 'n8n-workflow';

import { resourceOperations } from '../../shared/fields';
import * as get from './get.operation';
import * as getExecutions from './getExecutions.operation';
import * as getMany from './getMany.operation';
import * as trigger from './trigger.operation';
import * as triggerWaitForEvent from './triggerWaitForEvent.operation';

export const option: INodePropertyOptions = {
	name: 'Workflow',
	value: 'workflow',
	description: 'Trigger Nexthink workflows and follow their executions',
};

/** Every operation of the resource, one line each; Trigger is the default saved workflows rely on. */
export const { operations, description } = resourceOperations('workflow', 'trigger', [
	trigger,
	getMany,
	get,
	triggerWaitForEvent,
	getExecutions,
]);
