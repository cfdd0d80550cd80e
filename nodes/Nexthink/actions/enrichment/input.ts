/**
 * Reads and checks the enrichments of one input item, before any request leaves: the per-item
 * form (identification and field rows) or a whole list in the API format (bulk).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { invalidField } from '../../shared/validation';
import { readItemValue } from '../../shared/itemParameters';
import {
	CUSTOM,
	CUSTOM_ORGANIZATION,
	customFieldName,
	fieldNameProblem,
	fieldValue,
	IDENTIFICATION_BY_NAME,
	type FieldValue,
	type IdentificationType,
} from './fields';
import type { Enrichment, ItemEnrichments } from './requests';
import { quote } from '../../shared/text';

/** One enrichment as the API takes it, for descriptions and error messages. */
export const API_SHAPE =
	'{ "identification": [{ "name": "device/device/name", "value": "LAPTOP-00042" }], "fields": [{ "name": "device/device/#cost_center", "value": "CC-1200" }] }';

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

function identificationProblem(
	{ identifier }: IdentificationType,
	value: string,
): { problem: string; fix: string } | undefined {
	if (identifier.test(value)) return undefined;
	return {
		problem: value === '' ? 'it is empty' : `${quote(value)} is not a ${identifier.label}`,
		fix: identifier.fix,
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

export function preparePerItem(this: IExecuteFunctions, itemIndex: number): ItemEnrichments {
	const domain = readDomain.call(this, itemIndex);
	const typeName = this.getNodeParameter('identificationType', itemIndex, 'device/device/name');
	const type = IDENTIFICATION_BY_NAME.get(String(typeName));
	if (!type) {
		throw invalidField.call(
			this,
			itemIndex,
			'Identification Type',
			`${quote(typeName)} is not an identification Nexthink takes`,
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
		entries: [
			{
				itemIndex,
				index: 0,
				identification: { name: type.name, value: type.identifier.normalise(value) },
				fields,
			},
		],
	};
}

/** The list the Enrichments expression gave: an array, JSON text of one, or `{ enrichments: [...] }`. */
function readBulkList(this: IExecuteFunctions, itemIndex: number): unknown[] {
	// Read in place (a 50,000-entry list is never copied); nothing below changes it.
	let raw = readItemValue(this, 'enrichments', itemIndex, '');
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

export function prepareBulk(this: IExecuteFunctions, itemIndex: number): ItemEnrichments {
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
		return {
			itemIndex,
			index,
			identification: { name: type.name, value: type.identifier.normalise(value) },
			fields,
		};
	});
	return { domain, entries };
}
