import type { IDataObject, IExecuteFunctions, INodePropertyMode } from 'n8n-workflow';

import type { Identifier } from './identifiers';
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
	/** What the ID must look like, checked in the editor and again at run time. */
	identifier: Identifier;
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
				placeholder: options.identifier.example,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: options.identifier.editorPattern,
							errorMessage: options.idPatternMessage,
						},
					},
				],
			},
		],
	};
	return locator.modes;
}

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

/** The NQL ID chosen in a locator with nqlIdModes, checked, as it is sent (`normalise`). */
export function readNqlIdLocator(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
	identifier: Identifier,
): string {
	const id = locatorValue(this.getNodeParameter(name, itemIndex, '', { extractValue: true }));
	const { fix } = identifier;
	if (!id) throw invalidField.call(this, itemIndex, label, 'nothing is selected', fix);
	if (!identifier.test(id))
		throw invalidField.call(this, itemIndex, label, `${quote(id)} is not a valid NQL ID`, fix);
	return identifier.normalise(id);
}
