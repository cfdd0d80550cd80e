import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
	IPollFunctions,
} from 'n8n-workflow';

import { keyValueField, readKeyValues } from '../../shared/parameters';
import { checkNqlQueryId } from '../../shared/validation';

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

/** Reads and checks Query ID and Query Parameters into the request body Nexthink expects. */
export function readQuery(
	this: IExecuteFunctions | IPollFunctions,
	itemIndex: number,
): IDataObject {
	const context = this as IExecuteFunctions;
	const queryId = checkNqlQueryId.call(
		context,
		this.getNodeParameter('queryId', itemIndex),
		itemIndex,
	);
	const parameters = readKeyValues.call(context, 'parameters', itemIndex, 'Query Parameters', {
		stripDollar: true,
	});
	const body: IDataObject = { queryId };
	if (Object.keys(parameters).length) body.parameters = parameters;
	return body;
}

export const queryNotFoundHint = (queryId: string) =>
	`Nexthink has no saved NQL query with ID ${queryId}: check Administration > NQL API queries (IDs are lowercase).`;
