/**
 * Fields of a saved NQL query and its export, shared by the NQL operations and the Nexthink
 * Trigger, and the one reader of Query ID and Query Parameters for both contexts.
 */
import type {
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
	IPollFunctions,
} from 'n8n-workflow';

import type { NqlQuery } from '../api/nql';
import { SAVED_QUERY_ID } from './identifiers';
import { keyValueOptions, readKeyValues } from './parameters';
import { checkNqlQueryId, type ItemFields } from './validation';

/*
 * None of these fields carries display options for the resource, operation or event: an NQL
 * operation lists them in its `properties` and the trigger in its own, and each shows them with
 * `updateDisplayOptions`.
 */

/** The saved query to run: Nexthink runs only saved queries, by ID, never NQL text. */
export const queryIdField: INodeProperties = {
	displayName: 'Query ID',
	name: 'queryId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '#devices_with_issues',
	description:
		'The Query ID of a saved query, from Administration > NQL API queries. Nexthink runs only saved queries, never NQL text.',
};

/**
 * Shown under Query ID, while editing, when what is typed is not a Query ID (a missing `#`, upper
 * case letters…), as the remote action picker's regex does: the run would refuse it. Hidden while
 * the field is empty (it is required), holds an expression (checked when it runs) or a Query ID.
 */
export const queryIdNotice: INodeProperties = {
	displayName: `This is not a Query ID, so the node would refuse it when it runs. ${SAVED_QUERY_ID.fix}`,
	name: 'queryIdNotice',
	type: 'notice',
	default: '',
	displayOptions: {
		hide: {
			queryId: [
				{ _cnd: { regex: '^\\s*$' } },
				{ _cnd: { startsWith: '=' } },
				{ _cnd: { regex: SAVED_QUERY_ID.editorPattern } },
			],
		},
	},
};

/** Values for the query's `$placeholders`, as readQuery reads them. */
export const queryParametersField: INodeProperties = {
	displayName: 'Query Parameters',
	name: 'parameters',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add parameter',
	default: {},
	description:
		"Values for the $placeholders in the query's where clause. Name without the $ (a leading $ is removed).",
	options: keyValueOptions({ name: 'os', value: 'Windows 11' }),
};

/** How Nexthink compresses an export file (NQL > Export and the trigger's export). */
export function compressionField(zstdDescription?: string): INodeProperties {
	const zstd: INodePropertyOptions = { name: 'Zstandard', value: 'ZSTD' };
	if (zstdDescription) zstd.description = zstdDescription;
	return {
		displayName: 'Compression',
		name: 'compression',
		type: 'options',
		default: 'NONE',
		options: [{ name: 'None', value: 'NONE' }, { name: 'Gzip', value: 'GZIP' }, zstd],
		description: 'How Nexthink compresses the export file',
	};
}

/**
 * Where a CSV or export file goes: the output binary field, "data" unless told otherwise.
 * `displayOptions` only for the fields it depends on (Output is File, for example).
 */
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
 * The item-indexed view of a poll's parameters, for the shared readers (ItemFields): a poll has
 * no items, and its getNodeParameter takes the fallback value where an execution's takes the
 * item index.
 */
function itemView(poll: IPollFunctions): ItemFields {
	return {
		getNode: () => poll.getNode(),
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			poll.getNodeParameter(name, fallback),
	};
}

/**
 * Reads and checks Query ID and Query Parameters into the query Nexthink expects: per input item
 * in an execution (`readQuery.call(this, itemIndex)`), once in a poll, which has no items.
 * (TypeScript's `.call` sees only the last overload: a poll binds it through a variable typed
 * with its own overload, `const read: (this: IPollFunctions) => IDataObject = readQuery`.)
 */
export function readQuery(this: IPollFunctions): NqlQuery;
export function readQuery(this: IExecuteFunctions, itemIndex: number): NqlQuery;
export function readQuery(this: IExecuteFunctions | IPollFunctions, itemIndex = 0): NqlQuery {
	// An execution has input items, a poll none: only a poll needs the item-indexed view.
	const context = 'getInputData' in this ? this : itemView(this);
	const queryId = checkNqlQueryId.call(
		context,
		context.getNodeParameter('queryId', itemIndex, ''),
		itemIndex,
	);
	const parameters = readKeyValues.call(context, 'parameters', itemIndex, 'Query Parameters', {
		stripDollar: true,
	});
	const query: NqlQuery = { queryId };
	if (Object.keys(parameters).length) query.parameters = parameters;
	return query;
}

export const queryNotFoundHint = (queryId: string) =>
	`Nexthink has no saved NQL query with ID ${queryId}: check Administration > NQL API queries (IDs are lowercase).`;
