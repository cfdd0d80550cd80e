import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type NodeExecutionHint,
	type INodePropertyOptions,
} from 'n8n-workflow';

import {
	batchSizeOption,
	combineItemsOption,
	concurrencyOption,
	optionsCollection,
	requestOutputOption,
	requestTimeoutOption,
} from '../../shared/fields';
import { readBatchSize, readConcurrency, readOptions } from '../../shared/options';
import {
	CUSTOM,
	CUSTOM_ORGANIZATION,
	fieldOptions,
	IDENTIFICATIONS,
	identificationNamesOf,
} from './fields';
import { API_SHAPE, prepareBulk, preparePerItem } from './input';
import { runEnrichments } from './runner';
import { toolGuardField } from '../../shared/toolGuard';

/** Most enrichments one request takes: 10,000 in spec 1.31.0, 5,000 on tenants with the older limit. */
const MAX_ENRICHMENTS_PER_REQUEST = 10_000;
/** The node's default stays within the older limit (`ENRICH_042`, docs/nexthink-api.md §4). */
const DEFAULT_ENRICHMENTS_PER_REQUEST = 5_000;

const CUSTOM_FIELD_HINT =
	"The custom field's NQL ID (Copy NQL ID on the field in Nexthink), for example #cost_center";

export const option: INodePropertyOptions = {
	name: 'Enrich Fields',
	value: 'enrichFields',
	action: 'Set fields of devices, users, binaries or packages',
	description:
		'Set documented or custom fields of devices, users, binaries or packages: one object per item, or a whole list from one item; many go in one request, and entries Nexthink rejects are reported one by one',
};

const properties: INodeProperties[] = [
	toolGuardField('enrichment.enrichFields'),
	{
		displayName: 'Input Mode',
		name: 'inputMode',
		type: 'options',
		noDataExpression: true,
		default: 'perItem',
		options: [
			{
				name: 'One Enrichment per Item',
				value: 'perItem',
				description:
					'Each input item sets fields of one device, user, binary or package; all items are sent together, and each gets its own result',
			},
			{
				name: 'Enrichments From One Item (Bulk)',
				value: 'bulk',
				description:
					'An input item holds a whole list of enrichments in the API format, for example after an Aggregate node',
			},
		],
		description: 'How the input items carry the enrichments',
	},
	{
		displayName: 'Identification Type',
		name: 'identificationType',
		type: 'options',
		noDataExpression: true,
		default: 'device/device/name',
		options: IDENTIFICATIONS.map(({ name, identifier }) => ({
			name: identifier.label,
			value: name,
			description: `In NQL: ${identifier.nql}`,
		})).sort((a, b) => a.name.localeCompare(b.name)),
		description: 'How the object to enrich is identified; it decides which fields are offered',
		displayOptions: { show: { inputMode: ['perItem'] } },
	},
	{
		displayName: 'Identification Value',
		name: 'identificationValue',
		type: 'string',
		required: true,
		default: '',
		placeholder: "{{ $json['device.name'] }}",
		description:
			'The device name, UID, user SID, UPN… of the object to enrich, matching Identification Type',
		displayOptions: { show: { inputMode: ['perItem'] } },
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add field',
		default: {},
		description: 'The fields to set. An empty value clears the field in Nexthink.',
		displayOptions: { show: { inputMode: ['perItem'] } },
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Field',
						name: 'deviceField',
						type: 'options',
						default: CUSTOM,
						options: fieldOptions('device'),
						description: 'A device field Nexthink documents, or a custom field',
						displayOptions: { show: { '/identificationType': identificationNamesOf('device') } },
					},
					{
						displayName: 'Field',
						name: 'userField',
						type: 'options',
						default: CUSTOM,
						options: fieldOptions('user'),
						description: 'A user field Nexthink documents (Entra ID), or a custom field',
						displayOptions: { show: { '/identificationType': identificationNamesOf('user') } },
					},
					{
						displayName: 'Field NQL ID',
						name: 'deviceCustomField',
						type: 'string',
						default: '',
						placeholder: '#cost_center',
						description: ',',
						displayOptions: {
							show: {
								'/identificationType': identificationNamesOf('device'),
								deviceField: [CUSTOM],
							},
						},
					},
					{
						displayName: 'Field NQL ID',
						name: 'userCustomField',
						type: 'string',
						default: '',
						placeholder: '#cost_center',
						description: `${CUSTOM_FIELD_HINT}. For a field of the user's organization, choose Organization Custom Field under Field.`,
						displayOptions: {
							show: {
								'/identificationType': identificationNamesOf('user'),
								userField: [CUSTOM, CUSTOM_ORGANIZATION],
							},
						},
					},
					{
						displayName: 'Field NQL ID',
						name: 'customField',
						type: 'string',
						default: '',
						placeholder: '#cost_center',
						description: `${CUSTOM_FIELD_HINT}. Binaries and packages have custom fields only.`,
						displayOptions: {
							show: {
								'/identificationType': [
									...identificationNamesOf('binary'),
									...identificationNamesOf('package'),
								],
							},
						},
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description:
							'The new value. Empty clears the field in Nexthink. Desktop Broker and Type take a number or its name (citrix_daas, pooled…); Last Update an ISO 8601 date.',
					},
				],
			},
		],
	},
	{
		displayName: 'Enrichments',
		name: 'enrichments',
		type: 'json',
		required: true,
		default: '',
		placeholder: '{{ $json.enrichments }}',
		description: `An expression giving a list of enrichments as Nexthink takes them, each ${API_SHAPE}; with exactly one identification and at least one field. Lists longer than one request takes are split.`,
		displayOptions: { show: { inputMode: ['bulk'] } },
	},
	{
		displayName: 'Domain',
		name: 'domain',
		type: 'string',
		required: true,
		default: 'n8n_enrichment',
		placeholder: 'n8n_enrichment',
		description:
			'A name for this source of enrichments, kept by Nexthink for tracking (for example cmdb_sync)',
	},
	optionsCollection([
		requestTimeoutOption,
		{
			...requestOutputOption(
				"A summary per request: how many were sent, accepted and rejected, with each rejected entry, its input item and Nexthink's reason. For large fleets: one output item per device costs n8n memory (about 2 KiB each).",
				{
					name: 'One Item per Input Item',
					value: 'inputItem',
					description:
						"Each input item with its enrichment, accepted; a rejected one as an error with Nexthink's reason",
				},
			),
			default: 'inputItem',
			displayOptions: { show: { '/inputMode': ['perItem'] } },
		},
		combineItemsOption(
			'Whether to send the enrichments of all input items with the same domain in as few requests as possible, instead of separate requests per item',
			true,
		),
		concurrencyOption('requests run'),
		batchSizeOption({
			displayName: 'Enrichments per Request',
			max: MAX_ENRICHMENTS_PER_REQUEST,
			default: DEFAULT_ENRICHMENTS_PER_REQUEST,
			description:
				'Longer lists are split into requests of at most this many enrichments. The current API takes 10,000; some tenants still answer ENRICH_042 above 5,000.',
		}),
	]),
];

const displayOptions = { show: { resource: ['enrichment'], operation: ['enrichFields'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** From this many input items, one output item each is worth a hint (npm run bench: enrichment-50k). */
const MANY_OUTPUT_ITEMS = 10_000;

function manyOutputItemsHint(count: number): NodeExecutionHint {
	return {
		message: `${count.toLocaleString('en-US')} output items, one per input item: n8n keeps each in memory and in the execution it saves (about 2 KiB each, about 90 MiB for 50,000). For a fleet this large, set Options > Output to One Item per Request: one summary per request, listing any rejected entry with its input item.`,
		location: 'outputPane',
	};
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const mode = this.getNodeParameter('inputMode', 0, 'perItem') === 'bulk' ? 'bulk' : 'perItem';
	const options = readOptions.call(this);
	const output = mode === 'bulk' || options.output === 'request' ? 'request' : 'entry';
	if (output === 'entry' && items.length >= MANY_OUTPUT_ITEMS)
		this.addExecutionHints(manyOutputItemsHint(items.length));
	return await runEnrichments.call(this, items, {
		output,
		combine: options.combineItems !== false,
		maxPerRequest: readBatchSize(
			options,
			MAX_ENRICHMENTS_PER_REQUEST,
			DEFAULT_ENRICHMENTS_PER_REQUEST,
		),
		concurrency: readConcurrency.call(this),
		prepare: (itemIndex) =>
			mode === 'bulk' ? prepareBulk.call(this, itemIndex) : preparePerItem.call(this, itemIndex),
	});
}
