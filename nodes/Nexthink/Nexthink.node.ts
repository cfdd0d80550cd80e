import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { resources } from './actions/resources';
import { router } from './actions/router';
import { methods } from './methods';
import { readmeSection } from './shared/documentation';

export class Nexthink implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nexthink',
		name: 'nexthink',
		icon: { light: 'file:nexthink.svg', dark: 'file:nexthink.dark.svg' },
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		// "Execute: Remote Action", "Get Many: Workflow": the dropdowns' words, from their values
		// (test/specs/every-operation/fields.test.ts holds it to every operation).
		subtitle:
			'={{ [$parameter["operation"], $parameter["resource"]].map((value) => String(value).replace(/([A-Z])/g, " $1").replace(/^./, (first) => first.toUpperCase()).replace(/^Nql$/, "NQL")).join(": ") }}',
		description:
			'Run NQL queries, trigger workflows, remote actions and campaigns, and enrich fields in Nexthink Infinity',
		documentationUrl: readmeSection('operations'),
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
				options: Object.values(resources).map((resource) => resource.option),
				default: 'nql',
			},
			...Object.values(resources).flatMap((resource) => resource.description),
		],
	};

	methods = methods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
