import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as getOperation from './get.operation';
import * as getExecutionsOperation from './getExecutions.operation';
import * as getManyOperation from './getMany.operation';
import * as triggerOperation from './trigger.operation';
import * as triggerWaitForEventOperation from './triggerWaitForEvent.operation';

export const option: INodePropertyOptions = {
	name: 'Workflow',
	value: 'workflow',
	description: 'Trigger Nexthink workflows and follow their executions',
};

export const operations = {
	trigger: triggerOperation,
	getMany: getManyOperation,
	get: getOperation,
	triggerWaitForEvent: triggerWaitForEventOperation,
	getExecutions: getExecutionsOperation,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['workflow'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a workflow',
				description:
					'Get one workflow by NQL ID: UUID, status, trigger methods, versions and parameters',
			},
			{
				name: 'Get Executions',
				value: 'getExecutions',
				action: 'Get the executions of a workflow request',
				description:
					'Get the executions a Workflow > Trigger request started, with their status, through a saved NQL query',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many workflows',
				description:
					'List workflows, optionally only active ones, by dependency or by trigger method (e.g. API)',
			},
			{
				name: 'Trigger',
				value: 'trigger',
				action: 'Trigger a workflow on devices or users',
				description:
					'Start an API-enabled workflow on devices (collector UUID, name or UID) and/or users (SID, UPN or UID)',
			},
			{
				name: 'Trigger Wait-for-Event',
				value: 'triggerWaitForEvent',
				action: 'Send the event a waiting workflow execution expects',
				description:
					'Resume a workflow execution paused at a wait-for-event thinklet, passing it parameters',
			},
		],
		default: 'trigger',
	},
	...triggerOperation.description,
	...getManyOperation.description,
	...getOperation.description,
	...triggerWaitForEventOperation.description,
	...getExecutionsOperation.description,
];
