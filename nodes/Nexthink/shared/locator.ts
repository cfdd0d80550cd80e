import type { IDataObject, IExecuteFunctions, INodePropertyMode } from 'n8n-workflow';

import { invalidField } from './validation';
import { quote } from './text';

/**
 * The modes of a resource locator that picks from a searchable list or takes the NQL ID: users
 * never have to copy IDs out of Nexthink, and expressions still work in "By NQL ID" mode. The
 * field itself (`type: 'resourceLocator'`, `default: { mode: 'list', value: '' }`) is declared
 * where it is used, so that n8n's linter sees it.
 */
export function nqlIdModes(options: {
	/** What is picked, for the list's placeholder: "Select a <noun>…". */
	noun: string;
	/** The listSearch method that fills "From List". */
	searchListMethod: string;
	placeholder: string;
	/** What the ID must look like, checked in the editor and again at run time. */
	idPattern: string;
	idPatternMessage: string;
}): INodePropertyMode[] {
	// Declared as the `modes` of an object: n8n's linter then reads the entries as modes, not fields.
	const locator: { modes: INodePropertyMode[] } = {
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${options.noun}…`,
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
	return locator.modes;
}

/** The NQL ID chosen in a locator with nqlIdModes, checked against `pattern`. */
/**
 * The value a resource locator holds, trimmed: n8n's `extractValue` gives the string, but a
 * locator set by expression (or by an older editor) may still hand over `{ mode, value }`.
 */
export function locatorValue(raw: unknown): string {
	const value = typeof raw === 'object' && raw !== null ? (raw as IDataObject).value : raw;
	return typeof value === 'string'
		? value.trim()
		: value === undefined || value === null
			? ''
			: String(value).trim();
}

export function readNqlIdLocator(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
	pattern: RegExp,
	fix: string,
): string {
	const id = locatorValue(this.getNodeParameter(name, itemIndex, '', { extractValue: true }));
	if (!id) throw invalidField.call(this, itemIndex, label, 'nothing is selected', fix);
	if (!pattern.test(id))
		throw invalidField.call(this, itemIndex, label, `${quote(id)} is not a valid NQL ID`, fix);
	return id;
}
