import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { SAVED_QUERY_ID } from './identifiers';
import { quote } from './text';

/**
 * What reading and checking an item's fields needs of its context: an execution, or the item
 * view a poll gives (a poll has no input items, its fields are read once).
 */
export interface ItemFields {
	getNode: IExecuteFunctions['getNode'];
	getNodeParameter(name: string, itemIndex: number, fallbackValue?: unknown): unknown;
}

/** Rejects bad input before any request leaves, naming the field and the fix. */
export function invalidField(
	this: ItemFields,
	itemIndex: number,
	field: string,
	problem: string,
	fix: string,
): NodeOperationError {
	return new NodeOperationError(this.getNode(), `${field}: ${problem}`, {
		itemIndex,
		description: fix,
	});
}

export function checkNqlQueryId(
	this: ItemFields,
	value: unknown,
	itemIndex: number,
	field = 'Query ID',
): string {
	const id = typeof value === 'string' ? value.trim() : '';
	if (SAVED_QUERY_ID.test(id)) return SAVED_QUERY_ID.normalise(id);
	const suggestion = id && !id.startsWith('#') ? `#${id.toLowerCase()}` : undefined;
	const shown = id === '' ? 'it is empty' : `${quote(id)} is not a valid NQL query ID`;
	const fix =
		SAVED_QUERY_ID.fix +
		(suggestion && SAVED_QUERY_ID.test(suggestion) ? ` Did you mean ${suggestion}?` : '');
	throw invalidField.call(this, itemIndex, field, shown, fix);
}
