/**
 * Fields of a saved NQL query and its export, shared by the NQL operations and the Nexthink
 * Trigger, and the one reader of Query ID and Query Parameters for both contexts.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
	IPollFunctions,
} from 'n8n-workflow';

import { keyValueField, readKeyValues } from './parameters';
import { checkNqlQueryId } from './validation';

type Show = Record<string, string[]>;

/** The saved query to run: Nexthink runs only saved queries, by ID, never NQL text. */
export function queryIdField(show: Show): INodeProperties {
	return {
		displayName: 'Query ID',
		name: 'queryId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '#devices_with_issues',
		description:
			'The Query ID of a saved query, from Administration > NQL API queries. Nexthink runs only saved queries, never NQL text.',
		displayOptions: { show },
	};
}

export function queryParametersField(show: Show): INodeProperties {
	return keyValueField({
		displayName: 'Query Parameters',
		name: 'parameters',
		description:
			"Values for the $placeholders in the query's where clause. Name without the $ (a leading $ is removed).",
		namePlaceholder: 'os',
		valuePlaceholder: 'Windows 11',
		displayOptions: { show },
	});
}

/** How Nexthink compresses an export file (NQL > Export and the trigger's export). */
export function compressionField(show: Show, zstdDescription?: string): INodeProperties {
	const zstd: INodePropertyOptions = { name: 'Zstandard', value: 'ZSTD' };
	if (zstdDescription) zstd.description = zstdDescription;
	return {
		displayName: 'Compression',
		name: 'compression',
		type: 'options',
		default: 'NONE',
		options: [{ name: 'None', value: 'NONE' }, { name: 'Gzip', value: 'GZIP' }, zstd],
		description: 'How Nexthink compresses the export file',
		displayOptions: { show },
	};
}

/** Where a CSV or export file goes: the output binary field, "data" unless told otherwise. */
export function binaryPropertyField(
	displayOptions?: INodeProperties['displayOptions'],
): INodeProperties {
	return {
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
		...(displayOptions ? { displayOptions } : {}),
	};
}

/**
 * The item-indexed view of a poll's parameters: a poll has no items, and its getNodeParameter
 * takes the fallback value where an execution's takes the item index. The shared readers
 * (readKeyValues, checkNqlQueryId) are written for executions and use only `getNode` and
 * `getNodeParameter(name, itemIndex, fallback)`, which this view answers correctly.
 */
function itemView(poll: IPollFunctions): IExecuteFunctions {
	const view = {
		getNode: () => poll.getNode(),
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			poll.getNodeParameter(name, fallback),
	};
	return view as unknown as IExecuteFunctions;
}

/**
 * Reads and checks Query ID and Query Parameters into the request body Nexthink expects: per
 * input item in an execution (`readQuery.call(this, itemIndex)`), once in a poll, which has no
 * items. (TypeScript's `.call` sees only the last overload: a poll binds it through a variable
 * typed with its own overload, `const read: (this: IPollFunctions) => IDataObject = readQuery`.)
 */
export function readQuery(this: IPollFunctions): IDataObject;
export function readQuery(this: IExecuteFunctions, itemIndex: number): IDataObject;
export function readQuery(
	this: IExecuteFunctions | IPollFunctions,
	itemIndex?: number,
): IDataObject {
	const context =
		itemIndex === undefined ? itemView(this as IPollFunctions) : (this as IExecuteFunctions);
	const index = itemIndex ?? 0;
	const queryId = checkNqlQueryId.call(
		context,
		context.getNodeParameter('queryId', index, ''),
		index,
	);
	const parameters = readKeyValues.call(context, 'parameters', index, 'Query Parameters', {
		stripDollar: true,
	});
	const body: IDataObject = { queryId };
	if (Object.keys(parameters).length) body.parameters = parameters;
	return body;
}

export const queryNotFoundHint = (queryId: string) =>
	`Nexthink has no saved NQL query with ID ${queryId}: check Administration > NQL API queries (IDs are lowercase).`;
