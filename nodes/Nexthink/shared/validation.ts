import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';
import { quote } from './text';

/** NQL IDs of saved queries (NEXTHINK-API.md §2.1): `#` then 2–255 lowercase letters, digits, underscores. */
const NQL_QUERY_ID = /^#[a-z0-9_]{2,255}$/;

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
	if (NQL_QUERY_ID.test(id)) return id;
	const suggestion = id && !id.startsWith('#') ? `#${id.toLowerCase()}` : undefined;
	const shown = id === '' ? 'it is empty' : `${quote(id)} is not a valid NQL query ID`;
	const fix =
		'Use the Query ID of a saved query from Administration > NQL API queries: "#" followed by 2 to 255 lowercase letters, digits or underscores, for example #devices_with_issues' +
		(suggestion && NQL_QUERY_ID.test(suggestion) ? `. Did you mean ${suggestion}?` : '.');
	throw invalidField.call(this, itemIndex, field, shown, fix);
}

/** A UUID in any letter case, as Nexthink writes collector and object IDs. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
