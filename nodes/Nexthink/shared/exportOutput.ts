/**
 * A downloaded NQL export as output items: one per CSV row, or one carrying the file. Shared by
 * NQL > Export, NQL > Download Export and the Nexthink Trigger.
 *
 * Truncation (Nexthink answered 206: the licence capped the results) is never silent:
 * - file items: `truncated` (true or false) in their json, next to exportId and fileName;
 * - row items: each row's json is the row as the CSV has it, plus `truncated: true` when, and only
 *   when, the export was truncated (rows of a complete export are left exactly as they are);
 * - operations add the execution hint of `truncationHint`; the trigger, which has no hints,
 *   logs a warning.
 *
 * Row values are the CSV's text unless the user turns on Convert Types (`convertTypesOption`,
 * off by default so saved workflows see the rows they always saw): see `convertCsvTypes`.
 */
import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IPollFunctions,
	JsonObject,
	NodeExecutionHint,
} from 'n8n-workflow';

import type { DownloadedFile } from '../api/exports';
import { convertCsvTypes, parseCsv } from './csv';
import { compressionOf, MIME_TYPES } from '../transport/download';
import { nexthinkError } from '../transport/errors';
import { shorten } from './text';

/**
 * The CSV text of an export file, decompressed with the runtime's DecompressionStream (gzip
 * everywhere; zstd where the runtime has it). `undefined` when this runtime cannot decode it.
 */
export async function exportText(data: Buffer): Promise<string | undefined> {
	const compression = compressionOf(data);
	if (compression === 'NONE') return data.toString('utf8');
	let stream: DecompressionStream;
	try {
		stream = new DecompressionStream(
			(compression === 'GZIP' ? 'gzip' : 'zstd') as ConstructorParameters<
				typeof DecompressionStream
			>[0],
		);
	} catch {
		return undefined;
	}
	const decoded = new Blob([data]).stream().pipeThrough(stream);
	return Buffer.from(await new Response(decoded).arrayBuffer()).toString('utf8');
}

export type ExportOutput = 'rows' | 'file';

/** Options > Convert Types of the operations and the trigger that give export rows. */
export const convertTypesOption: INodeProperties = {
	displayName: 'Convert Types',
	name: 'convertTypes',
	type: 'boolean',
	default: false,
	description:
		'Whether to turn CSV text into numbers, booleans and nulls where a whole column leaves no doubt, as NQL Execute returns them: a column whose values are all true/false becomes booleans, one whose values are all plain numbers (12, -3.5; not 0012 or 1e3) becomes numbers, with empty cells as null. Columns of names and identifiers (fields ending in name, UID, ID, SID, UPN, serial number…), dates and anything mixed stay text. Off: every value is the text of the CSV. Rows only.',
};

/**
 * Output of what gives an export (NQL > Export, the trigger's NQL Export Completed): the same
 * choices, in the same order, rows first.
 */
export function exportOutputField(description: string): INodeProperties {
	return {
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'rows',
		options: [
			{
				name: 'One Item per Row',
				value: 'rows',
				description: 'The CSV downloaded, one item per row; the header row gives the keys',
			},
			{ name: 'File', value: 'file', description: 'The export file as binary data' },
			{
				name: 'Status and Results Link',
				value: 'status',
				description: 'One item with the status and the link (valid 15 minutes)',
			},
		],
		description,
	};
}

export interface ExportItemsOptions {
	/** Rows: numbers and booleans where a whole column leaves no doubt (`convertCsvTypes`). */
	convertTypes?: boolean;
}

/** What output items say of their export, besides the data. */
export interface ExportMeta extends IDataObject {
	exportId?: string;
	queryId?: string;
	/** Undefined when unknown (a download by link: no status call says). */
	truncated?: boolean;
}

/** From this many rows on, rows as items cost gigabytes: the node says so and what avoids it. */
export const LARGE_RESULT_ROWS = 100_000;

/**
 * n8n holds every item in memory, and a row as an item costs far more than its bytes in the file:
 * 1,000,000 rows of 7 columns peaked at 4.1 GiB in n8n 2.40.7 (`npm run bench`, BENCHMARKS.md),
 * against 0.6 GiB for the same export as a file.
 */
function largeResultHint(rows: number): NodeExecutionHint {
	return {
		message: `${rows.toLocaleString('en-US')} rows as items: n8n keeps every item in memory, about 4 KiB per row (1,000,000 rows take about 4 GiB). For results this large, set Output to File (streamed into n8n's binary data, under 1 GiB for 1,000,000 rows) and process it in parts, or narrow the query.`,
		location: 'outputPane',
	};
}

/** The words for a truncated export: execution hints and the trigger's log say the same. */
export function truncationMessage(exportId: string | undefined): string {
	const which = exportId ? `Export ${shorten(exportId)}` : 'The export';
	return `${which} is truncated: Nexthink answered 206, the results were cut at the maximum number of rows the licence allows. The output misses rows; each item carries truncated: true. Narrow the query (a where clause, a shorter period) to get all rows.`;
}

export function truncationHint(exportId: string | undefined): NodeExecutionHint {
	return { message: truncationMessage(exportId), type: 'warning', location: 'outputPane' };
}

/**
 * Turns a downloaded export into output items: one per CSV row, or one carrying the file (also
 * for rows when this runtime cannot decompress the file, with a hint saying so).
 */
export async function exportItems(
	this: IExecuteFunctions | IPollFunctions,
	file: DownloadedFile,
	output: ExportOutput,
	binaryPropertyName: string,
	meta: ExportMeta,
	options: ExportItemsOptions = {},
): Promise<{ items: INodeExecutionData[]; hints: NodeExecutionHint[] }> {
	const hints: NodeExecutionHint[] = [];
	if (meta.truncated === true) hints.push(truncationHint(meta.exportId));
	if (file.bytes === 0) {
		const message = 'The export file is empty';
		throw nexthinkError(this.getNode(), {
			message,
			description:
				'Nexthink returned a file with no content, not even a header row. Export again; if it persists, check the query.',
			response: { ...meta } as JsonObject,
		});
	}
	const fileItem = (binary: IBinaryData): INodeExecutionData => ({
		json: { ...meta, fileName: file.fileName, bytes: file.bytes, compression: file.compression },
		binary: { [binaryPropertyName]: binary },
	});
	// Streamed into n8n's binary data already (output File).
	if (file.binary) return { items: [fileItem(file.binary)], hints };
	const data = file.data ?? Buffer.alloc(0);
	if (output === 'rows') {
		const text = await exportText(data).then(
			(decoded) => decoded,
			(error: Error) => error,
		);
		if (typeof text === 'object') {
			throw nexthinkError(this.getNode(), {
				message: `The export file is not a complete ${file.compression === 'GZIP' ? 'gzip' : 'zstd'} file (${data.length.toLocaleString('en-US')} bytes): it cannot be read as rows`,
				description:
					'It was cut off or damaged on its way. Download it again (by export ID: the node asks for a fresh link); if it persists, export without compression, or take it as a file.',
				response: { ...meta, decompression: shorten(text.message || String(text)) } as JsonObject,
			});
		}
		if (text !== undefined) {
			const parsed = parseCsv(text);
			const rows: IDataObject[] = options.convertTypes ? convertCsvTypes(parsed) : parsed;
			// Rows share the header's keys: a query with its own "truncated" column keeps it.
			const mark =
				meta.truncated === true &&
				!(rows.length && Object.prototype.hasOwnProperty.call(rows[0], 'truncated'));
			const items = new Array<INodeExecutionData>(rows.length);
			for (let index = 0; index < rows.length; index++) {
				const row = rows[index];
				if (mark) row.truncated = true;
				items[index] = { json: row };
			}
			if (rows.length >= LARGE_RESULT_ROWS) hints.push(largeResultHint(rows.length));
			return { items, hints };
		}
		hints.push({
			message: `This n8n runtime cannot decompress ${file.compression} exports, so the export comes back as a file. Export without compression (or with gzip) to get rows.`,
			location: 'outputPane',
		});
	}
	const binary = await this.helpers.prepareBinaryData(
		data,
		file.fileName,
		MIME_TYPES[file.compression],
	);
	return { items: [fileItem(binary)], hints };
}

/** Adds each distinct hint once. */
export function addHints(this: IExecuteFunctions, hints: NodeExecutionHint[]): void {
	const seen = new Set<string>();
	const distinct = hints.filter((hint) => !seen.has(hint.message) && seen.add(hint.message));
	if (distinct.length) this.addExecutionHints(...distinct);
}
