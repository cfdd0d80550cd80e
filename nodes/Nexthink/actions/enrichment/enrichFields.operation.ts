import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_CONCURRENCY } from '../../shared/items';
import { invalidField } from '../../shared/validation';
import {
	CUSTOM,
	CUSTOM_ORGANIZATION,
	customFieldName,
	fieldNameProblem,
	fieldOptions,
	fieldValue,
	IDENTIFICATION_BY_NAME,
	IDENTIFICATIONS,
	identificationNamesOf,
	type FieldValue,
	type IdentificationType,
} from './fields';
import { runEnrichments, type Enrichment, type ItemEnrichments } from './runner';

/** Most enrichments one request takes: 10,000 in spec 1.31.0, 5,000 on tenants with the older limit. */
export const MAX_ENRICHMENTS_PER_REQUEST = 10_000;
/** The node's default stays within the older limit (`ENRICH_042`, NEXTHINK-API.md §4). */
export const DEFAULT_ENRICHMENTS_PER_REQUEST = 5_000;

const show = { resource: ['enrichment'], operation: ['enrichFields'] };
const perItem = { ...show, inputMode: ['perItem'] };
const bulk = { ...show, inputMode: ['bulk'] };

const API_SHAPE =
	'{ "identification": [{ "name": "device/device/name", "value": "LAPTOP-00042" }], "fields": [{ "name": "device/device/#cost_center", "value": "CC-1200" }] }';
const CUSTOM_FIELD_HINT =
	"The custom field's NQL ID (Copy NQL ID on the field in Nexthink), for example #cost_center";

export const description: INodeProperties[] = [
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
		displayOptions: { show },
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
		displayOptions: { show },
	},
	{
		displayName: 'Identification Type',
		name: 'identificationType',
		type: 'options',
		noDataExpression: true,
		default: 'device/device/name',
		options: IDENTIFICATIONS.map((type) => ({
			name: type.label,
			value: type.name,
			description: `${type.nql} in NQL (${type.name})`,
		})).sort((a, b) => a.name.localeCompare(b.name)),
		description: 'How the object to enrich is identified; it decides which fields are offered',
		displayOptions: { show: perItem },
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
		displayOptions: { show: perItem },
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		description: 'The fields to set. An empty value clears the field in Nexthink.',
		displayOptions: { show: perItem },
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
						description: `${CUSTOM_FIELD_HINT}. Sent as device/device/#cost_center.`,
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
						description: `${CUSTOM_FIELD_HINT}. Sent as user/user/#cost_center, or user/user/organization/#cost_center for an organization field.`,
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
						description: `${CUSTOM_FIELD_HINT}. Binaries and packages have custom fields only (binary/binary/#…, package/package/#…).`,
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
		displayOptions: { show: bulk },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Combine Items',
				name: 'combineItems',
				type: 'boolean',
				default: true,
				description:
					'Whether to send the enrichments of all input items with the same domain in as few requests as possible, instead of separate requests per item',
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				default: DEFAULT_CONCURRENCY,
				typeOptions: { minValue: 1, maxValue: 20 },
				description: 'How many requests run at the same time',
			},
			{
				displayName: 'Enrichments per Request',
				name: 'batchSize',
				type: 'number',
				default: DEFAULT_ENRICHMENTS_PER_REQUEST,
				typeOptions: { minValue: 1, maxValue: MAX_ENRICHMENTS_PER_REQUEST },
				description:
					'Longer lists are split into requests of at most this many enrichments. The current API takes 10,000; some tenants still answer ENRICH_042 above 5,000.',
			},
		],
	},
];

function readDomain(this: IExecuteFunctions, itemIndex: number): string {
	const raw = this.getNodeParameter('domain', itemIndex, 'n8n_enrichment') as unknown;
	const domain = typeof raw === 'string' ? raw.trim() : raw === undefined ? '' : String(raw);
	if (!domain) {
		throw invalidField.call(
			this,
			itemIndex,
			'Domain',
			'it is empty',
			'Give a name for this source of enrichments, for example n8n_enrichment.',
		);
	}
	return domain;
}

const shorten = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}...` : text);

function identificationProblem(
	type: IdentificationType,
	value: string,
): { problem: string; fix: string } | undefined {
	if (type.test(value)) return undefined;
	return {
		problem: value === '' ? 'it is empty' : `"${shorten(value)}" is not a ${type.label}`,
		fix: `Give the ${type.label} of the object to enrich (${type.nql} in NQL), for example ${type.example}.`,
	};
}

/** The API name of a field row of the per-item form. */
function fieldNameOf(
	entry: IDataObject,
	type: IdentificationType,
): { name: string } | { problem: string; fix: string } {
	const typed = (key: string) => (typeof entry[key] === 'string' ? (entry[key] as string) : '');
	if (type.object === 'device') {
		const choice = String(entry.deviceField ?? CUSTOM);
		if (choice === CUSTOM) return customFieldName(typed('deviceCustomField'), 'device/device');
		return { name: choice };
	}
	if (type.object === 'user') {
		const choice = String(entry.userField ?? CUSTOM);
		if (choice === CUSTOM) return customFieldName(typed('userCustomField'), 'user/user');
		if (choice === CUSTOM_ORGANIZATION)
			return customFieldName(typed('userCustomField'), 'user/user/organization');
		return { name: choice };
	}
	return customFieldName(typed('customField'), `${type.object}/${type.object}`);
}

function preparePerItem(this: IExecuteFunctions, itemIndex: number): ItemEnrichments {
	const domain = readDomain.call(this, itemIndex);
	const typeName = this.getNodeParameter('identificationType', itemIndex, 'device/device/name');
	const type = IDENTIFICATION_BY_NAME.get(String(typeName));
	if (!type) {
		throw invalidField.call(
			this,
			itemIndex,
			'Identification Type',
			`"${String(typeName)}" is not an identification Nexthink takes`,
			`Choose one of: ${[...IDENTIFICATION_BY_NAME.keys()].join(', ')}.`,
		);
	}
	const rawValue = this.getNodeParameter('identificationValue', itemIndex, '') as unknown;
	const value =
		typeof rawValue === 'string' || typeof rawValue === 'number' ? String(rawValue).trim() : '';
	const idProblem = identificationProblem(type, value);
	if (idProblem)
		throw invalidField.call(
			this,
			itemIndex,
			'Identification Value',
			idProblem.problem,
			idProblem.fix,
		);

	const rows = (((this.getNodeParameter('fields', itemIndex, {}) as IDataObject) ?? {}).field ??
		[]) as IDataObject[];
	if (rows.length === 0) {
		throw invalidField.call(
			this,
			itemIndex,
			'Fields',
			'no field is given',
			'Add at least one field to set (an empty value clears it).',
		);
	}
	const seen = new Set<string>();
	const fields = rows.map((row, position) => {
		const where = `field ${position + 1}`;
		const named = fieldNameOf(row, type);
		if ('problem' in named)
			throw invalidField.call(this, itemIndex, 'Fields', `${where}: ${named.problem}`, named.fix);
		const nameProblem = fieldNameProblem(named.name, type);
		if (nameProblem)
			throw invalidField.call(
				this,
				itemIndex,
				'Fields',
				`${where}: ${nameProblem}`,
				`Pick a field of the ${type.object} from the list, or a custom field by its NQL ID.`,
			);
		if (seen.has(named.name))
			throw invalidField.call(
				this,
				itemIndex,
				'Fields',
				`${where}: ${named.name} is given twice`,
				'Set each field once.',
			);
		seen.add(named.name);
		const checked = fieldValue(named.name, row.value ?? '');
		if ('problem' in checked)
			throw invalidField.call(
				this,
				itemIndex,
				'Fields',
				`${where} (${named.name}): the value ${checked.problem}`,
				checked.fix,
			);
		return { name: named.name, value: checked.value };
	});
	return {
		domain,
		entries: [{ itemIndex, index: 0, identification: { name: type.name, value }, fields }],
	};
}

/** The list the Enrichments expression gave: an array, JSON text of one, or `{ enrichments: [...] }`. */
function readBulkList(this: IExecuteFunctions, itemIndex: number): unknown[] {
	let raw = this.getNodeParameter('enrichments', itemIndex, '') as unknown;
	const fix = `Give an expression that returns a list of enrichments, for example {{ $json.enrichments }} after an Aggregate node, each ${API_SHAPE}.`;
	if (typeof raw === 'string') {
		const text = raw.trim();
		if (text === '') throw invalidField.call(this, itemIndex, 'Enrichments', 'it is empty', fix);
		try {
			raw = JSON.parse(text) as unknown;
		} catch {
			throw invalidField.call(this, itemIndex, 'Enrichments', 'it is not valid JSON', fix);
		}
	}
	if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
		const inner = (raw as IDataObject).enrichments;
		raw = Array.isArray(inner) ? inner : [raw];
	}
	if (!Array.isArray(raw))
		throw invalidField.call(
			this,
			itemIndex,
			'Enrichments',
			`it is a ${typeof raw}, not a list`,
			fix,
		);
	if (raw.length === 0)
		throw invalidField.call(this, itemIndex, 'Enrichments', 'the list is empty', fix);
	return raw;
}

function prepareBulk(this: IExecuteFunctions, itemIndex: number): ItemEnrichments {
	const domain = readDomain.call(this, itemIndex);
	const list = readBulkList.call(this, itemIndex);
	const fail = (index: number, problem: string, fix: string) =>
		invalidField.call(this, itemIndex, 'Enrichments', `entry [${index}] ${problem}`, fix);
	const shapeFix = `Each entry must look like ${API_SHAPE}.`;
	const identificationFix = `Use exactly one identification named one of: ${[...IDENTIFICATION_BY_NAME.keys()].join(', ')}.`;

	const entries = list.map((raw, index): Enrichment => {
		if (!raw || typeof raw !== 'object' || Array.isArray(raw))
			throw fail(index, 'is not an object', shapeFix);
		const entry = raw as IDataObject;
		const ids = Array.isArray(entry.identification)
			? entry.identification
			: entry.identification && typeof entry.identification === 'object'
				? [entry.identification]
				: [];
		if (ids.length !== 1)
			throw fail(
				index,
				ids.length === 0 ? 'has no identification' : `has ${ids.length} identifications`,
				identificationFix,
			);
		const id = (ids[0] ?? {}) as IDataObject;
		const type = IDENTIFICATION_BY_NAME.get(String(id.name));
		if (!type)
			throw fail(
				index,
				`has the identification name ${JSON.stringify(id.name)}, which Nexthink does not take`,
				identificationFix,
			);
		const value =
			typeof id.value === 'string' || typeof id.value === 'number' ? String(id.value).trim() : '';
		const idProblem = identificationProblem(type, value);
		if (idProblem) throw fail(index, `identification: ${idProblem.problem}`, idProblem.fix);

		const rows = Array.isArray(entry.fields) ? (entry.fields as unknown[]) : [];
		if (rows.length === 0)
			throw fail(index, 'has no fields', `Give at least one field. ${shapeFix}`);
		const fields = rows.map((rawField, position): { name: string; value: FieldValue } => {
			const field = (rawField ?? {}) as IDataObject;
			const where = `field [${position}]`;
			if (typeof field.name !== 'string' || field.name.trim() === '')
				throw fail(index, `${where} has no name`, shapeFix);
			const name = field.name.trim();
			const nameProblem = fieldNameProblem(name, type);
			if (nameProblem)
				throw fail(
					index,
					`${where}: ${nameProblem}`,
					`Use a documented field of the ${type.object} (for example ${type.object === 'user' ? 'user/user/ad/department' : 'device/device/virtualization/desktop_pool'}) or a custom field as ${type.object}/${type.object}/#<nql_id>.`,
				);
			const checked = fieldValue(name, field.value);
			if ('problem' in checked)
				throw fail(index, `${where} (${name}): the value ${checked.problem}`, checked.fix);
			return { name, value: checked.value };
		});
		return { itemIndex, index, identification: { name: type.name, value }, fields };
	});
	return { domain, entries };
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const mode = this.getNodeParameter('inputMode', 0, 'perItem') === 'bulk' ? 'bulk' : 'perItem';
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	return await runEnrichments.call(this, items, {
		mode,
		combine: options.combineItems !== false,
		maxPerRequest: Math.min(
			MAX_ENRICHMENTS_PER_REQUEST,
			Math.max(1, Math.floor(Number(options.batchSize) || DEFAULT_ENRICHMENTS_PER_REQUEST)),
		),
		concurrency: Number(options.concurrency) || DEFAULT_CONCURRENCY,
		prepare: (itemIndex) =>
			mode === 'bulk' ? prepareBulk.call(this, itemIndex) : preparePerItem.call(this, itemIndex),
	});
}
