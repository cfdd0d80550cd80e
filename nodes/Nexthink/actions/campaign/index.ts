import type { INodePropertyOptions } from 'n8n-workflow';

import { resourceOperations } from '../../shared/fields';
import * as trigger from './trigger.operation';

export const option: INodePropertyOptions = {
	name: 'Campaign',
	value: 'campaign',
	description: 'Send campaigns (surveys, notifications) to users',
};

/** Every operation of the resource, one line each; Trigger is the default saved workflows rely on. */
export const { operations, description } = resourceOperations('campaign', 'trigger', [trigger]);
