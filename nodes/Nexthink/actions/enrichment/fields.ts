/**
 * What the Enrichment API accepts (NEXTHINK-API.md §4): the seven identification names, the
 * documented field names with their value types, and the custom-field name patterns. Both input
 * modes check entries against this before any request leaves.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import { UUID } from '../../shared/validation';
import { quote } from '../../shared/text';

type EnrichedObject = 'device' | 'user' | 'binary' | 'package';

export interface IdentificationType {
	/** The API name, for example `device/device/name`. */
	name: string;
	label: string;
	object: EnrichedObject;
	test(value: string): boolean;
	/** What a value looks like, for error messages. */
	example: string;
	/** Where to find the value in Nexthink. */
	nql: string;
}

const nonEmpty = (value: string) => value.length > 0;
const SID = /^S(-\d+){2,10}$/i;
const UPN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const IDENTIFICATIONS: IdentificationType[] = [
	{
		name: 'device/device/name',
		label: 'Device Name',
		object: 'device',
		test: nonEmpty,
		example: 'LAPTOP-00042',
		nql: 'device.name',
	},
	{
		name: 'device/device/uid',
		label: 'Device UID',
		object: 'device',
		test: (value) => UUID.test(value),
		example: 'f9a936fb-6256-4caf-8f59-c6a6b6f620a7',
		nql: 'device.uid',
	},
	{
		name: 'user/user/sid',
		label: 'User SID',
		object: 'user',
		test: (value) => SID.test(value),
		example: 'S-1-5-21-3623811015-3361044348-30300820-1013',
		nql: 'user.sid',
	},
	{
		name: 'user/user/uid',
		label: 'User UID',
		object: 'user',
		test: (value) => UUID.test(value),
		example: 'f9a936fb-6256-4caf-8f59-c6a6b6f620a7',
		nql: 'user.uid',
	},
	{
		name: 'user/user/upn',
		label: 'User UPN',
		object: 'user',
		test: (value) => UPN.test(value),
		example: 'jane.doe@example.com',
		nql: 'user.upn (in clear text, not anonymised)',
	},
	{
		name: 'binary/binary/uid',
		label: 'Binary UID',
		object: 'binary',
		test: nonEmpty,
		example: 'the binary.uid value from NQL',
		nql: 'binary.uid',
	},
	{
		name: 'package/package/uid',
		label: 'Package UID',
		object: 'package',
		test: nonEmpty,
		example: 'the package.uid value from NQL',
		nql: 'package.uid',
	},
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
	description: `device.virtualization.${key} in NQL`,
});
const entraId = (key: string, label: string, kind: FieldKind = 'string') => ({
	name: `user/user/ad/${key}`,
	label: `Entra ID: ${label}`,
	kind,
	description: `user.ad.${key} in NQL`,
});

/** The fields Nexthink documents, per object (custom fields come on top). */
const DOCUMENTED_FIELDS: FieldDefinition[] = [
	{
		name: 'device/device/configuration_tag',
		label: 'Configuration Tag',
		kind: 'string',
		description: 'device.configuration_tag in NQL',
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

/** Custom field API names (always text): `<object>/<object>/#<nql_id>`, users' organisation fields too. */
const CUSTOM_FIELD_NAME =
	/^(device\/device|user\/user(?:\/organization)?|binary\/binary|package\/package)\/#[a-z0-9_]{1,64}$/;
const CUSTOM_FIELD_ID = /^[a-z0-9_]{1,64}$/;

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
	const fix = `Give the custom field's NQL ID as Nexthink shows it (Copy NQL ID on the field), for example #cost_center: lowercase letters, digits and underscores, at most 64.`;
	if (text === '') return { problem: 'no custom field NQL ID is given', fix };
	if (text.includes('/')) {
		if (CUSTOM_FIELD_NAME.test(text) && text.startsWith(`${prefix}/#`)) return { name: text };
		return { problem: `${quote(text)} is not a custom field of ${prefix}`, fix };
	}
	const id = text.replace(/^#/, '');
	if (CUSTOM_FIELD_ID.test(id)) return { name: `${prefix}/#${id}` };
	const lower = id.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
	return {
		problem: `${quote(text)} is not a custom field NQL ID`,
		fix: CUSTOM_FIELD_ID.test(lower) ? `${fix} Did you mean #${lower}?` : fix,
	};
}

/** Checks an API field name against an identification: documented or custom, same object. */
export function fieldNameProblem(
	name: string,
	identification: IdentificationType,
): string | undefined {
	if (!FIELD_BY_NAME.has(name) && !CUSTOM_FIELD_NAME.test(name))
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
