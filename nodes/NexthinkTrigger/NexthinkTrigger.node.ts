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
import { convertTypesOption, exportOutputField } from '../Nexthink/shared/exportOutput';
import { newOrChangedRowsProperties, pollNewOrChangedRows } from './newOrChangedRows';
import { DEFAULT_EXPORT_TIMEOUT_MINUTES, pollExportCompleted } from './poll';

/** The fields of the NQL Export Completed event, shown for that event only. */
const exportCompletedProperties: INodeProperties[] = [
	queryIdField,
	queryIdNotice,
	queryParametersField,
	exportOutputField('What the trigger emits once an export has completed'),
	binaryPropertyField({ show: { output: ['file'] } }),
	compressionField(),
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
		subtitle:
			'={{ ($parameter["event"] === "newOrChangedRows" ? "New or changed rows of " : "Export of ") + $parameter["queryId"] }}',
		description:
			'Starts the workflow when an export of a saved NQL query has completed in Nexthink, or when a saved query returns new or changed rows',
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
					{
						name: 'New or Changed Rows',
						value: 'newOrChangedRows',
						// Without it n8n would write "On new or changed rows": NQL belongs in capitals.
						action: 'On new or changed NQL rows',
						description:
							'Run a saved query on every poll cycle and start the workflow with the rows whose key is new, or whose values changed, since the last poll',
					},
				],
			},
			...updateDisplayOptions({ show: { event: ['exportCompleted'] } }, exportCompletedProperties),
			...updateDisplayOptions(
				{ show: { event: ['newOrChangedRows'] } },
				newOrChangedRowsProperties,
			),
			{
				displayName:
					'Each poll starts an export when none is running, checks the running one otherwise, and emits it once completed: every row of every export, again each time. Poll as often as the data changes (hourly or daily is typical; every check counts against Nexthink\'s daily limit of export status calls). To act only on rows that are new or changed since the last poll (a device crossing a threshold, once per device), pick the event New or Changed Rows instead. Rows of an export the licence truncated carry truncated: true. "Fetch Test Event" runs one export to completion (up to two minutes).',
				name: 'notice',
				type: 'notice',
				default: '',
				displayOptions: { show: { event: ['exportCompleted'] } },
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		if (this.getNodeParameter('event', 'exportCompleted') === 'newOrChangedRows')
			return await pollNewOrChangedRows.call(this);
		return await pollExportCompleted.call(this);
	}
}
