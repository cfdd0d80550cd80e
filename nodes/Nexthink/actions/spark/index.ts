import type { INodePropertyOptions } from 'n8n-workflow';

import { resourceOperations } from '../../shared/fields';
import * as handoff from './handoff.operation';

export const option: INodePropertyOptions = {
	name: 'Spark',
	value: 'spark',
	description: "Hand conversations over to Spark, Nexthink's agent in Microsoft Teams",
};

/** Every operation of the resource, one line each; Handoff is the default. */
export const { operations, description } = resourceOperations('spark', 'handoff', [handoff]);
