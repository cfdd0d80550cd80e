import type { IDataObject, INodePropertyCollection } from 'n8n-workflow';

import { quote } from './text';
import { invalidField, type ItemFields } from './validation';

/**
 * The one "Parameter" row of a "name = value" list (a fixedCollection with multipleValues, the way
 * NQL queries, workflows and campaigns take their parameters), as readKeyValues reads it.
 */
export function keyValueOptions(placeholders: {
	name?: string;
	value?: string;
}): INodePropertyCollection[] {
	return [
		{
			displayName: 'Parameter',
			name: 'parameter',
			values: [
				{
					displayName: 'Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: placeholders.name,
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
					placeholder: placeholders.value,
				},
			],
		},
	];
}

/** Keys n8n's deepCopy leaves out of request bodies (n8n-workflow `reservedCopyKeys`). */
export const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Reads a "name = value" list (a field of keyValueOptions) into the string map Nexthink expects.
 * Names lose a leading `$` (NQL writes `$os` in the query, the API wants `os`); values become
 * strings; empty or repeated names are rejected.
 */
export function readKeyValues(
	this: ItemFields,
	parameterName: string,
	itemIndex: number,
	fieldLabel: string,
	options: { stripDollar?: boolean } = {},
): Record<string, string> {
	const collection = this.getNodeParameter(parameterName, itemIndex, {}) as IDataObject;
	const entries = (collection.parameter as IDataObject[] | undefined) ?? [];
	// No prototype: "toString" or "hasOwnProperty" are parameter names like any other.
	const result = Object.create(null) as Record<string, string>;
	entries.forEach((entry, position) => {
		let name = String(entry.name ?? '').trim();
		if (options.stripDollar) name = name.replace(/^\$/, '');
		if (!name) {
			throw invalidField.call(
				this,
				itemIndex,
				fieldLabel,
				`parameter ${position + 1} has no name`,
				'Give every parameter a name, or remove the empty row.',
			);
		}
		if (RESERVED_KEYS.has(name)) {
			throw invalidField.call(
				this,
				itemIndex,
				fieldLabel,
				`${quote(name)} cannot be sent`,
				'n8n drops keys named __proto__, constructor and prototype from every request body (it guards against prototype pollution), so Nexthink would never receive it. Rename the parameter in Nexthink.',
			);
		}
		if (Object.prototype.hasOwnProperty.call(result, name)) {
			throw invalidField.call(
				this,
				itemIndex,
				fieldLabel,
				`${quote(name)} is given twice`,
				'Give each parameter once.',
			);
		}
		const value = entry.value;
		result[name] =
			value === undefined || value === null
				? ''
				: typeof value === 'object'
					? JSON.stringify(value)
					: String(value);
	});
	return result;
}

/**
 * Reads a list the user typed or mapped: an array from an expression, or text with one entry
 * per line or comma-separated. Blank entries are dropped.
 */
export function readList(value: unknown): string[] {
	const flat = (entry: unknown): string[] => {
		if (entry === undefined || entry === null) return [];
		if (Array.isArray(entry)) return entry.flatMap(flat);
		// An object is no identifier: keep it whole so that validation names it.
		if (typeof entry === 'object') return [JSON.stringify(entry)];
		return String(entry)
			.split(/[\n,;]+/)
			.map((part) => part.trim())
			.filter(Boolean);
	};
	return flat(value);
}

/**
 * The values of a resource mapper field (remote action inputs, workflow parameters) as the
 * strings Nexthink takes: unset ones left out, objects as JSON.
 */
export function readMappedValues(
	this: ItemFields,
	parameterName: string,
	itemIndex: number,
): Record<string, string> {
	const mapped = (this.getNodeParameter(`${parameterName}.value`, itemIndex, {}) ??
		{}) as IDataObject;
	const values: Record<string, string> = {};
	for (const [name, value] of Object.entries(mapped)) {
		if (value === undefined || value === null) continue;
		values[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
	}
	return values;
}
