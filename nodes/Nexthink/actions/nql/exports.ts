/**
 * NQL exports, shared by the NQL operations and the Nexthink Trigger: start, status, wait,
 * download (without the Nexthink token), decompression where the runtime can, CSV to items.
 */
import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IPollFunctions,
	type JsonObject,
	type NodeExecutionHint,
} from 'n8n-workflow';

import { parseCsv } from '../../shared/csv';
import {
	downloadPresigned,
	isExpiredLinkError,
	type DownloadedFile,
} from '../../transport/download';
import { nexthinkRequest, type NexthinkContext } from '../../transport/request';
import { queryNotFoundHint } from './fields';

export type Compression = 'NONE' | 'GZIP' | 'ZSTD';

export interface ExportStatus extends IDataObject {
	exportId: string;
	status: string;
	resultsFileUrl: string | null;
	errorDescription: string | null;
	/** Nexthink answered 206: the licence capped the results. */
	truncated: boolean;
}

const COMPLETED = new Set(['COMPLETED', 'COMPLETE']);
const FAILED = new Set(['ERROR', 'FAILED', 'CANCELED', 'CANCELLED']);
export const isCompleted = (status: ExportStatus) => COMPLETED.has(status.status);
export const isFailed = (status: ExportStatus) => FAILED.has(status.status);

/** `POST /api/v1/nql/export`: returns the export ID at once. */
export async function startExport(
	this: NexthinkContext,
	query: IDataObject,
	compression: Compression,
	itemIndex?: number,
): Promise<string> {
	const body: IDataObject = { ...query };
	if (compression !== 'NONE') body.compression = compression;
	const { body: answer } = await nexthinkRequest.call(this, {
		method: 'POST',
		path: '/api/v1/nql/export',
		body,
		operation: 'NQL Export',
		domain: 'nql',
		notFoundHint: queryNotFoundHint(String(query.queryId)),
		itemIndex,
	});
	const exportId = (answer as IDataObject | undefined)?.exportId;
	if (typeof exportId !== 'string' || !exportId) {
		const error = new NodeApiError(
			this.getNode(),
			{ answer: JSON.stringify(answer ?? null) },
			{
				message: 'Nexthink started no export: its answer has no exportId',
				description: 'Try again; if it persists, check the API Base URL.',
				itemIndex,
			},
		);
		error.message = 'Nexthink started no export: its answer has no exportId';
		throw error;
	}
	return exportId;
}

/** `GET /api/v1/nql/status/{exportId}` (the ID is opaque, base64-like: path-escaped). 206 means truncated. */
export async function getExportStatus(
	this: NexthinkContext,
	exportId: string,
	itemIndex?: number,
): Promise<ExportStatus> {
	const response = await nexthinkRequest.call(this, {
		method: 'GET',
		path: `/api/v1/nql/status/${encodeURIComponent(exportId)}`,
		operation: 'NQL Get Export Status',
		domain: 'nql',
		notFoundHint: `Nexthink has no export with ID ${exportId}: use the exportId that NQL > Export returned (exports are kept for a limited time).`,
		itemIndex,
	});
	const answer = (response.body ?? {}) as IDataObject;
	return {
		exportId,
		status: String(answer.status ?? 'UNKNOWN').toUpperCase(),
		resultsFileUrl: typeof answer.resultsFileUrl === 'string' ? answer.resultsFileUrl : null,
		errorDescription: typeof answer.errorDescription === 'string' ? answer.errorDescription : null,
		truncated: response.status === 206,
	};
}

export function exportFailedError(
	this: NexthinkContext,
	status: ExportStatus,
	itemIndex?: number,
): NodeApiError {
	const message = `The NQL export failed in Nexthink: ${status.errorDescription ?? 'no description'}`;
	const error = new NodeApiError(
		this.getNode(),
		{
			exportId: status.exportId,
			status: status.status,
			errorDescription: status.errorDescription ?? '',
		},
		{
			message,
			description: `Export ${status.exportId} ended in ${status.status}. Check the query and its parameters in Administration > NQL API queries, then export again.`,
			itemIndex,
		},
	);
	error.message = message;
	return error;
}

/** Polls the status until the export completes or fails, or the time runs out. */
export async function waitForExport(
	this: NexthinkContext,
	exportId: string,
	timing: { intervalMs: number; timeoutMs: number },
	itemIndex?: number,
): Promise<ExportStatus> {
	const deadline = Date.now() + timing.timeoutMs;
	for (;;) {
		const status = await getExportStatus.call(this, exportId, itemIndex);
		if (isCompleted(status)) return status;
		if (isFailed(status)) throw exportFailedError.call(this, status, itemIndex);
		const left = deadline - Date.now();
		if (left <= 0) {
			const message = `The NQL export did not complete within ${Math.round(timing.timeoutMs / 1000)} s (last status ${status.status})`;
			const error = new NodeApiError(
				this.getNode(),
				{ exportId, status: status.status },
				{
					message,
					description: `It goes on in Nexthink: get its result later with NQL > Get Export Status or Download Export and export ID ${exportId}, or raise the time-out.`,
					itemIndex,
				},
			);
			error.message = message;
			throw error;
		}
		await sleep(Math.min(timing.intervalMs, left));
	}
}

/**
 * Downloads a completed export. With an export ID the link comes from a fresh status call, and
 * a link that expires on the way is replaced once by a new one.
 */
export async function downloadExport(
	this: NexthinkContext,
	source: { exportId?: string; resultsFileUrl?: string; status?: ExportStatus },
	itemIndex?: number,
): Promise<{ file: DownloadedFile; status?: ExportStatus }> {
	if (source.resultsFileUrl)
		return { file: await downloadPresigned.call(this, source.resultsFileUrl, itemIndex) };
	const exportId = source.exportId ?? source.status?.exportId ?? '';
	let status = source.status ?? (await getExportStatus.call(this, exportId, itemIndex));
	for (let attempt = 0; ; attempt++) {
		if (isFailed(status)) throw exportFailedError.call(this, status, itemIndex);
		if (!isCompleted(status) || !status.resultsFileUrl) {
			const message = `NQL export ${exportId} has not completed yet (status ${status.status})`;
			const error = new NodeApiError(
				this.getNode(),
				{ exportId, status: status.status },
				{
					message,
					description:
						'Wait for it: use NQL > Export with "Wait for Completion", or check again later with Get Export Status.',
					itemIndex,
				},
			);
			error.message = message;
			throw error;
		}
		try {
			return { file: await downloadPresigned.call(this, status.resultsFileUrl, itemIndex), status };
		} catch (error) {
			// Already a NodeApiError: NodeApiError hands it back as it is.
			if (!isExpiredLinkError(error) || attempt > 0)
				throw new NodeApiError(this.getNode(), error as JsonObject);
			status = await getExportStatus.call(this, exportId, itemIndex);
		}
	}
}

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const startsWith = (data: Buffer, magic: number[]) =>
	magic.every((byte, index) => data[index] === byte);

export function compressionOf(data: Buffer): Compression {
	if (startsWith(data, GZIP_MAGIC)) return 'GZIP';
	if (startsWith(data, ZSTD_MAGIC)) return 'ZSTD';
	return 'NONE';
}

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

const MIME: Record<Compression, string> = {
	NONE: 'text/csv',
	GZIP: 'application/gzip',
	ZSTD: 'application/zstd',
};

/** Turns a downloaded export into output items: one per CSV row, or one carrying the file. */
export async function exportItems(
	this: IExecuteFunctions | IPollFunctions,
	file: DownloadedFile,
	output: ExportOutput,
	binaryPropertyName: string,
	meta: IDataObject,
): Promise<{ items: INodeExecutionData[]; hints: NodeExecutionHint[] }> {
	const hints: NodeExecutionHint[] = [];
	if (file.data.length === 0) {
		const message = 'The export file is empty';
		const error = new NodeApiError(this.getNode(), { ...meta } as JsonObject, {
			message,
			description:
				'Nexthink returned a file with no content, not even a header row. Export again; if it persists, check the query.',
		});
		error.message = message;
		throw error;
	}
	if (output === 'rows') {
		const text = await exportText(file.data);
		if (text !== undefined) {
			return { items: parseCsv(text).map((row) => ({ json: row })), hints };
		}
		hints.push({
			message: `This n8n runtime cannot decompress ${compressionOf(file.data)} exports, so the export comes back as a file. Export without compression (or with gzip) to get rows.`,
			location: 'outputPane',
		});
	}
	const compression = compressionOf(file.data);
	const binary = await this.helpers.prepareBinaryData(file.data, file.fileName, MIME[compression]);
	return {
		items: [
			{
				json: { ...meta, fileName: file.fileName, bytes: file.data.length, compression },
				binary: { [binaryPropertyName]: binary },
			},
		],
		hints,
	};
}
