import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as nql from './actions/nql';
import { router } from './actions/router';

export class Nexthink implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nexthink',
		name: 'nexthink',
		icon: { light: 'file:nexthink.svg', dark: 'file:nexthink.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Run NQL queries on Nexthink Infinity, the digital employee experience platform',
		defaults: { name: 'Nexthink' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'nexthinkApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'NQL', value: 'nql', description: 'Saved NQL queries' }],
				default: 'nql',
			},
			...nql.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
