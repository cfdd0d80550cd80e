/**
 * What the Enrichment API accepts (docs/nexthink-api.md §4): the seven identification names, the
 * documented field names with their value types, and the custom-field name patterns. Both input
 * modes check entries against this before any request leaves.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import {
	BINARY_UID,
	CUSTOM_FIELD_API_NAME,
	CUSTOM_FIELD_NQL_ID,
	DEVICE_NAME,
	DEVICE_UID,
	PACKAGE_UID,
	USER_SID,
	USER_UID,
	ENRICHMENT_USER_UPN,
	type Identifier,
} from '../../shared/identifiers';
import { quote } from '../../shared/text';

type EnrichedObject = 'device' | 'user' | 'binary' | 'package';

export interface IdentificationType {
	/** The API name, for example `device/device/name`. */
	name: string;
	object: EnrichedObject;
	/** What its values look like, how they are sent and compared. */
	identifier: Identifier;
}

/** The seven identifications the API takes (§4), in the order the editor lists them. */
export const IDENTIFICATIONS: IdentificationType[] = [
	{ name: 'device/device/name', object: 'device', identifier: DEVICE_NAME },
	{ name: 'device/device/uid', object: 'device', identifier: DEVICE_UID },
	{ name: 'user/user/sid', object: 'user', identifier: USER_SID },
	{ name: 'user/user/uid', object: 'user', identifier: USER_UID },
	{ name: 'user/user/upn', object: 'user', identifier: ENRICHMENT_USER_UPN },
	{ name: 'binary/binary/uid', object: 'binary', identifier: BINARY_UID },
	{ name: 'package/package/uid', object: 'package', identifier: PACKAGE_UID },
];

export const IDENTIFICATION_BY_NAME = new Map(IDENTIFICATIONS.map((type) => [type.name, type]));

export const identificationNamesOf = (object: EnrichedObject): string[] =>
	IDENTIFICATIONS.filter((type) => type.object === object).map((type) => type.name);

type FieldKind = 'string' | 'datetime' | 'integer';

interface FieldDefinition {
	name: string;
	label: string;
	kind: FieldKind;
	/** Integer enums: the documented names of the numbers. */
	values?: Record<string, number>;
	description: string;
}

const DESKTOP_BROKERS: Record<string, number> = {
	none: 0,
	citrix_cvad: 1,
	citrix_daas: 2,
	azure_virtual_desktops: 3,
	windows_365: 4,
	horizon_on_prem: 5,
	aws_workspace: 6,
	aws_appstream: 7,
};
const VIRTUALIZATION_TYPES: Record<string, number> = { shared: 1, personal: 2, pooled: 3 };

const enumText = (values: Record<string, number>) =>
	Object.entries(values)
		.map(([name, value]) => `${value} = ${name}`)
		.join(', ');

const virtualization = (key: string, label: string, kind: FieldKind = 'string') => ({
	name: `device/device/virtualization/${key}`,
	label: `Virtualization: ${label}`,
	kind,
	description: `In NQL: device.virtualization.${key}`,
});
const entraId = (key: string, label: string, kind: FieldKind = 'string') => ({
	name: `user/user/ad/${key}`,
	label: `Entra ID: ${label}`,
	kind,
	description: `In NQL: user.ad.${key}`,
});

/** The fields Nexthink documents, per object (custom fields come on top). */
const DOCUMENTED_FIELDS: FieldDefinition[] = [
	{
		name: 'device/device/configuration_tag',
		label: 'Configuration Tag',
		kind: 'string',
		description: 'In NQL: device.configuration_tag',
	},
	{
		...virtualization('desktop_broker', 'Desktop Broker', 'integer'),
		values: DESKTOP_BROKERS,
		description: `A number or its name: ${enumText(DESKTOP_BROKERS)}`,
	},
	virtualization('desktop_pool', 'Desktop Pool'),
	virtualization('disk_image', 'Disk Image'),
	virtualization('environment_name', 'Environment Name'),
	virtualization('hostname', 'Hostname'),
	virtualization('hypervisor_name', 'Hypervisor Name'),
	virtualization('instance_size', 'Instance Size'),
	{
		...virtualization('last_update', 'Last Update', 'datetime'),
		description: 'An ISO 8601 date and time, for example 2025-01-15T12:00:00.000Z',
	},
	virtualization('region', 'Region'),
	{
		...virtualization('type', 'Type', 'integer'),
		values: VIRTUALIZATION_TYPES,
		description: `A number or its name: ${enumText(VIRTUALIZATION_TYPES)}`,
	},
	entraId('city', 'City'),
	entraId('country_code', 'Country Code'),
	entraId('department', 'Department'),
	entraId('distinguished_name', 'Distinguished Name'),
	entraId('email_address', 'Email Address'),
	entraId('full_name', 'Full Name'),
	entraId('job_title', 'Job Title'),
	{
		...entraId('last_update', 'Last Update', 'datetime'),
		description: 'An ISO 8601 date and time, for example 2025-01-15T12:00:00.000Z',
	},
	entraId('office', 'Office'),
	entraId('organizational_unit', 'Organizational Unit'),
	entraId('username', 'Username'),
];

const FIELD_BY_NAME = new Map(DOCUMENTED_FIELDS.map((field) => [field.name, field]));

/** Dropdown values that stand for a custom field whose NQL ID the user types. */
export const CUSTOM = '__custom';
export const CUSTOM_ORGANIZATION = '__customOrganization';

export const objectOf = (apiName: string) => apiName.split('/')[0] as EnrichedObject;

/** The dropdown of one object's fields: documented ones by label, then the custom choices. */
export function fieldOptions(object: 'device' | 'user'): INodePropertyOptions[] {
	const documented = DOCUMENTED_FIELDS.filter((field) => objectOf(field.name) === object)
		.map((field) => ({ name: field.label, value: field.name, description: field.description }))
		.sort((a, b) => a.name.localeCompare(b.name));
	const custom: INodePropertyOptions[] = [
		{
			name: 'Custom Field',
			value: CUSTOM,
			description: `A custom field of the ${object}, by its NQL ID (text values only)`,
		},
	];
	if (object === 'user') {
		custom.push({
			name: 'Organization Custom Field',
			value: CUSTOM_ORGANIZATION,
			description:
				"A custom field of the user's organization (user.organization.#…), by its NQL ID",
		});
	}
	return [...custom, ...documented];
}

/**
 * The API name of a custom field from what the user typed: `#cost_center`, `cost_center`, or the
 * whole API name. Returns a problem text instead when it cannot be one.
 */
export function customFieldName(
	typed: string,
	prefix: string,
): { name: string } | { problem: string; fix: string } {
	const text = typed.trim();
	const { fix } = CUSTOM_FIELD_NQL_ID;
	if (text === '') return { problem: 'no custom field NQL ID is given', fix };
	if (text.includes('/')) {
		if (CUSTOM_FIELD_API_NAME.test(text) && text.startsWith(`${prefix}/#`)) return { name: text };
		return { problem: `${quote(text)} is not a custom field of ${prefix}`, fix };
	}
	if (CUSTOM_FIELD_NQL_ID.test(text))
		return { name: `${prefix}/${CUSTOM_FIELD_NQL_ID.normalise(text)}` };
	const lower = text
		.replace(/^#/, '')
		.toLowerCase()
		.replace(/[^a-z0-9_]+/g, '_');
	return {
		problem: `${quote(text)} is not a custom field NQL ID`,
		fix: CUSTOM_FIELD_NQL_ID.test(lower) ? `${fix} Did you mean #${lower}?` : fix,
	};
}

/** Checks an API field name against an identification: documented or custom, same object. */
export function fieldNameProblem(
	name: string,
	identification: IdentificationType,
): string | undefined {
	if (!FIELD_BY_NAME.has(name) && !CUSTOM_FIELD_API_NAME.test(name))
		return `${quote(name)} is not a field Nexthink documents, nor a custom field name (<object>/<object>/#<nql_id>)`;
	if (objectOf(name) !== identification.object)
		return `${quote(name)} is not a field of the ${identification.object} identified by ${identification.name}`;
	return undefined;
}

export type FieldValue = string | number;

interface DateLike {
	toISO?: () => string | null;
	toISOString?: () => string;
}

/**
 * The value to send for a field, or the problem with it. An empty string clears the field and
 * is sent as is; integer enums go as numbers (names are translated); dates as ISO 8601 text;
 * every other field is text.
 */
export function fieldValue(
	name: string,
	value: unknown,
): { value: FieldValue } | { problem: string; fix: string } {
	if (value === undefined || value === null)
		return {
			problem: 'has no value',
			fix: 'Give a value, or an empty string "" to clear the field in Nexthink.',
		};
	if (value === '') return { value: '' };
	const definition = FIELD_BY_NAME.get(name);
	const kind = definition?.kind ?? 'string';
	if (kind === 'integer') {
		const values = definition?.values ?? {};
		const allowed = Object.values(values);
		const text = typeof value === 'string' ? value.trim() : value;
		const number =
			typeof text === 'number'
				? text
				: typeof text === 'string' && /^\d+$/.test(text)
					? Number(text)
					: typeof text === 'string' &&
						  Object.prototype.hasOwnProperty.call(values, text.toLowerCase())
						? values[text.toLowerCase()]
						: undefined;
		if (number === undefined || !Number.isInteger(number) || !allowed.includes(number))
			return {
				problem: `${JSON.stringify(value)} is not a value of ${name}`,
				fix: `Use a number or its name: ${enumText(values)}.`,
			};
		return { value: number };
	}
	if (kind === 'datetime') {
		const date = value as DateLike;
		if (typeof value === 'object' && typeof date.toISO === 'function')
			return { value: date.toISO() ?? '' };
		if (value instanceof Date && !Number.isNaN(value.getTime()))
			return { value: value.toISOString() };
		if (
			typeof value === 'string' &&
			/^\d{4}-\d{2}-\d{2}/.test(value.trim()) &&
			!Number.isNaN(Date.parse(value.trim()))
		)
			return { value: value.trim() };
		return {
			problem: `${JSON.stringify(value)} is not a date`,
			fix: 'Use an ISO 8601 date and time, for example 2025-01-15T12:00:00.000Z (or {{ $now.toISO() }}).',
		};
	}
	if (typeof value === 'string') return { value };
	if (typeof value === 'number' || typeof value === 'boolean') return { value: String(value) };
	return {
		problem: `is ${Array.isArray(value) ? 'a list' : 'an object'}, not text`,
		fix: 'Custom fields and the documented text fields take text: give a single value.',
	};
}
