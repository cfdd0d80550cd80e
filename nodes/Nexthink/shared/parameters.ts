import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from './validation';

/** A "name = value" list, the way NQL queries, workflows and campaigns take their parameters. */
export function keyValueField(
	overrides: Pick<INodeProperties, 'displayName' | 'name' | 'description' | 'displayOptions'> & {
		namePlaceholder?: string;
		valuePlaceholder?: string;
	},
): INodeProperties {
	return {
		displayName: overrides.displayName,
		name: overrides.name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Parameter',
		default: {},
		description: overrides.description,
		displayOptions: overrides.displayOptions,
		options: [
			{
				displayName: 'Parameter',
				name: 'parameter',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: overrides.namePlaceholder,
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: overrides.valuePlaceholder,
					},
				],
			},
		],
	};
}

/**
 * Reads a keyValueField into the string map Nexthink expects. Names lose a leading `$` (NQL
 * writes `$os` in the query, the API wants `os`); values become strings; empty or repeated
 * names are rejected.
 */
export function readKeyValues(
	this: IExecuteFunctions,
	parameterName: string,
	itemIndex: number,
	fieldLabel: string,
	options: { stripDollar?: boolean } = {},
): Record<string, string> {
	const collection = this.getNodeParameter(parameterName, itemIndex, {}) as IDataObject;
	const entries = (collection.parameter as IDataObject[] | undefined) ?? [];
	const result: Record<string, string> = {};
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
		if (name in result) {
			throw invalidField.call(
				this,
				itemIndex,
				fieldLabel,
				`"${name}" is given twice`,
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
