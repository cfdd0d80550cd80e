import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import * as nql from './nql';
import * as workflow from './workflow';
import * as remoteAction from './remoteAction';
import * as campaign from './campaign';
import * as enrichment from './enrichment';
import * as device from './device';
import * as spark from './spark';

export interface Operation {
	execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]>;
}

export interface Resource {
	option: INodePropertyOptions;
	operations: Record<string, Operation>;
	description: INodeProperties[];
}

/** Every resource of the node, one line each; the dropdown lists them in this order. */
export const resources: Record<string, Resource> = {
	workflow,
	remoteAction,
	campaign,
	nql,
	enrichment,
	device,
	spark,
};
