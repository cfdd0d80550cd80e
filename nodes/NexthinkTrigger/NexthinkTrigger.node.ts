import {
	NodeConnectionTypes,
	updateDisplayOptions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import {
	binaryPropertyField,
	compressionField,
	queryIdField,
	queryIdNotice,
	queryParametersField,
} from '../Nexthink/shared/nqlFields';
import { readmeSection } from '../Nexthink/shared/documentation';
import { convertTypesOption } from '../Nexthink/shared/exportOutput';
import { DEFAULT_EXPORT_TIMEOUT_MINUTES, pollExportCompleted } from './poll';

/** The fields of the NQL Export Completed event, shown for that event only. */
const exportCompletedProperties: INodeProperties[] = [
	queryIdField,
	queryIdNotice,
	queryParametersField,
	compressionField(),
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'rows',
		options: [
			{
				name: 'One Item per Row',
				value: 'rows',
				description: 'The CSV header row gives the keys',
			},
			{ name: 'File', value: 'file', description: 'The export file as binary data' },
			{
				name: 'Status and Results Link',
				value: 'status',
				description: 'One item with the status and the link (valid 15 minutes)',
			},
		],
		description: 'What the trigger emits once an export has completed',
	},
	binaryPropertyField({ show: { output: ['file'] } }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			convertTypesOption,
			{
				displayName: 'Export Time-Out (Minutes)',
				name: 'exportTimeoutMinutes',
				type: 'number',
				default: DEFAULT_EXPORT_TIMEOUT_MINUTES,
				typeOptions: { minValue: 1 },
				description:
					'How long to follow an export that has not completed. After that the trigger reports an error once, stops following it and starts a new export.',
			},
		],
	},
];

export class NexthinkTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nexthink Trigger',
		name: 'nexthinkTrigger',
		icon: { light: 'file:../Nexthink/nexthink.svg', dark: 'file:../Nexthink/nexthink.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "Export of " + $parameter["queryId"] }}',
		description:
			'Starts the workflow when an export of a saved NQL query has completed in Nexthink',
		documentationUrl: readmeSection('nexthink-trigger'),
		defaults: { name: 'Nexthink Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'nexthinkApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				default: 'exportCompleted',
				options: [
					{
						name: 'NQL Export Completed',
						value: 'exportCompleted',
						// The node panel lists the event by this text; without it n8n writes "On " + the name in lower case.
						action: 'On NQL export completed',
						description:
							'Export a saved query on every poll cycle and start the workflow with the results once Nexthink has finished',
					},
				],
			},
			...updateDisplayOptions({ show: { event: ['exportCompleted'] } }, exportCompletedProperties),
			{
				displayName:
					'Each poll starts an export when none is running, checks the running one otherwise, and emits it once completed: every row of every export, again each time. Poll as often as the data changes (hourly or daily is typical; every check counts against Nexthink\'s daily limit of export status calls). To act on new rows only, follow with n8n\'s Remove Duplicates node (Remove Items Processed in Previous Executions) on the key column. Rows of an export the licence truncated carry truncated: true. "Fetch Test Event" runs one export to completion (up to two minutes).',
				name: 'notice',
				type: 'notice',
				default: '',
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollExportCompleted.call(this);
	}
}
