import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from './validation';
import { quote } from './text';

/**
 * A resource locator: pick from a searchable list, or give the NQL ID. Users never have to
 * copy IDs out of Nexthink, and expressions still work in "By ID" mode.
 */
export function nqlIdLocator(options: {
	displayName: string;
	name: string;
	/** The listSearch method that fills "From List". */
	searchListMethod: string;
	placeholder: string;
	description: string;
	/** What the ID must look like, checked in the editor and again at run time. */
	idPattern: string;
	idPatternMessage: string;
	displayOptions: INodeProperties['displayOptions'];
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: options.description,
		displayOptions: options.displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${options.displayName.toLowerCase()}…`,
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{
				displayName: 'By NQL ID',
				name: 'id',
				type: 'string',
				placeholder: options.placeholder,
				validation: [
					{
						type: 'regex',
						properties: { regex: options.idPattern, errorMessage: options.idPatternMessage },
					},
				],
			},
		],
	};
}

/** The NQL ID chosen in a nqlIdLocator, checked against `pattern`. */
export function readNqlIdLocator(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
	pattern: RegExp,
	fix: string,
): string {
	const raw = this.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const value = (
		typeof raw === 'object' && raw !== null ? (raw as IDataObject).value : raw
	) as unknown;
	const id = typeof value === 'string' ? value.trim() : '';
	if (!id) throw invalidField.call(this, itemIndex, label, 'nothing is selected', fix);
	if (!pattern.test(id))
		throw invalidField.call(this, itemIndex, label, `${quote(id)} is not a valid NQL ID`, fix);
	return id;
}
