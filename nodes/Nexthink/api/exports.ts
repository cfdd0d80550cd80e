/**
 * NQL exports (docs/nexthink-api.md §2.4–2.6): one function per endpoint (start, status, the presigned
 * download), and the two ways of following one built on them (wait for completion; download by
 * export ID with a fresh link when the one in hand has expired). Shared by the NQL operations
 * and the Nexthink Trigger.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import { EXPORT_ID } from '../shared/identifiers';
import { queryNotFoundHint } from '../shared/nqlFields';
import { shorten } from '../shared/text';
import { throwIfCancelled, waitUnlessCancelled } from '../transport/cancel';
import {
	downloadPresigned,
	isExpiredLinkError,
	type Compression,
	type DownloadedFile,
} from '../transport/download';
import { nexthinkError } from '../transport/errors';
import { nexthinkRequest, type NexthinkContext } from '../transport/request';
import { nqlBadRequest } from './nql';

export type { Compression, DownloadedFile } from '../transport/download';

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

/**
 * An export ID as it may go into the status path: not empty, and not a dot segment ("." or "..",
 * or dots only), which the URL would resolve to another path. Other characters are path-escaped.
 * Throws the NodeOperationError of the Export ID field, before any request.
 */
export function checkExportId(node: INode, value: unknown, itemIndex?: number): string {
	const exportId = typeof value === 'string' ? value.trim() : String(value ?? '').trim();
	if (EXPORT_ID.test(exportId)) return EXPORT_ID.normalise(exportId);
	const problem = !exportId ? 'it is empty' : `"${shorten(exportId)}" is not an export ID`;
	throw new NodeOperationError(node, `Export ID: ${problem}`, {
		itemIndex,
		description: EXPORT_ID.fix,
	});
}

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
		notFoundHint: queryNotFoundHint(shorten(query.queryId)),
		badRequest: nqlBadRequest(['Compression']),
		itemIndex,
	});
	const exportId = (answer as IDataObject | undefined)?.exportId;
	if (typeof exportId !== 'string' || !EXPORT_ID.test(exportId.trim())) {
		const message = 'Nexthink started no export: its answer has no exportId';
		throw nexthinkError(this.getNode(), {
			message,
			description: 'Try again; if it persists, check the API Base URL.',
			response: { answer: shorten(JSON.stringify(answer ?? null), 500) },
			itemIndex,
		});
	}
	return exportId;
}

/** `GET /api/v1/nql/status/{exportId}` (the ID is opaque, base64-like: path-escaped). 206 means truncated. */
export async function getExportStatus(
	this: NexthinkContext,
	exportId: string,
	itemIndex?: number,
): Promise<ExportStatus> {
	const id = checkExportId(this.getNode(), exportId, itemIndex);
	const response = await nexthinkRequest.call(this, {
		method: 'GET',
		path: `/api/v1/nql/status/${encodeURIComponent(id)}`,
		operation: 'NQL Get Export Status',
		domain: 'nql',
		notFoundHint: `Nexthink has no export with ID ${shorten(id)}: use the exportId that NQL > Export returned (exports are kept for a limited time).`,
		itemIndex,
	});
	const answer = (response.body ?? {}) as IDataObject;
	return {
		exportId: id,
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
	return nexthinkError(this.getNode(), {
		message,
		description: `Export ${shorten(status.exportId)} ended in ${status.status}. Check the query and its parameters in Administration > NQL API queries, then export again.`,
		response: {
			exportId: status.exportId,
			status: status.status,
			errorDescription: status.errorDescription ?? '',
		},
		itemIndex,
	});
}

/**
 * Asks for the status until the export completes or `timeoutMs` has passed (at least one
 * check), and returns the last status; throws when it failed. The pause between two checks
 * starts at `intervalMs` and doubles up to `maxIntervalMs` (by default it stays); every pause
 * ends at once when the execution is cancelled.
 */
export async function checkExportUntil(
	this: NexthinkContext,
	exportId: string,
	timing: { intervalMs: number; maxIntervalMs?: number; timeoutMs: number },
	itemIndex?: number,
): Promise<ExportStatus> {
	const deadline = Date.now() + Math.max(0, timing.timeoutMs);
	const maxIntervalMs = Math.max(timing.intervalMs, timing.maxIntervalMs ?? 0);
	for (let pause = timing.intervalMs; ; pause = Math.min(pause * 2, maxIntervalMs)) {
		throwIfCancelled(this);
		const status = await getExportStatus.call(this, exportId, itemIndex);
		if (isFailed(status)) throw exportFailedError.call(this, status, itemIndex);
		const left = deadline - Date.now();
		if (isCompleted(status) || left <= 0) return status;
		await waitUnlessCancelled(this, Math.min(pause, left));
	}
}

/** As `checkExportUntil`, and an export still running when the time runs out is an error. */
export async function waitForExport(
	this: NexthinkContext,
	exportId: string,
	timing: { intervalMs: number; timeoutMs: number },
	itemIndex?: number,
): Promise<ExportStatus> {
	const status = await checkExportUntil.call(this, exportId, timing, itemIndex);
	if (isCompleted(status)) return status;
	const message = `The NQL export did not complete within ${Math.round(timing.timeoutMs / 1000)} s (last status ${status.status})`;
	throw nexthinkError(this.getNode(), {
		message,
		description: `It goes on in Nexthink: get its result later with NQL > Get Export Status or Download Export and export ID ${shorten(exportId)}, or raise the time-out.`,
		response: { exportId, status: status.status },
		itemIndex,
	});
}

/**
 * `GET <resultsFileUrl>`: the presigned link, fetched without the Nexthink credential; the file in
 * memory (to read rows), or `asBinary` streamed into n8n's binary data.
 */
export async function downloadExportFile(
	this: NexthinkContext,
	resultsFileUrl: string,
	itemIndex?: number,
	asBinary = false,
): Promise<DownloadedFile> {
	return await downloadPresigned.call(this, resultsFileUrl, itemIndex, { asBinary });
}

function notCompletedError(
	this: NexthinkContext,
	status: ExportStatus,
	itemIndex?: number,
): NodeApiError {
	const message = `NQL export ${shorten(status.exportId)} has not completed yet (status ${status.status})`;
	return nexthinkError(this.getNode(), {
		message,
		description:
			'Wait for it: use NQL > Export with "Wait for Completion", or check again later with Get Export Status.',
		response: { exportId: status.exportId, status: status.status },
		itemIndex,
	});
}

/**
 * Downloads a completed export by its ID. The link comes from `status` when given (a status just
 * asked for), else from a fresh status call; a link that expires on the way is replaced once by
 * a new one. The status returned is the one whose link was used, `truncated` when any status
 * call of this export answered 206.
 */
export async function downloadExportById(
	this: NexthinkContext,
	exportId: string,
	options: { status?: ExportStatus; itemIndex?: number; asBinary?: boolean } = {},
): Promise<{ file: DownloadedFile; status: ExportStatus }> {
	const { itemIndex } = options;
	let status = options.status ?? (await getExportStatus.call(this, exportId, itemIndex));
	let truncated = status.truncated;
	for (let attempt = 0; ; attempt++) {
		if (isFailed(status)) throw exportFailedError.call(this, status, itemIndex);
		if (!isCompleted(status) || !status.resultsFileUrl)
			throw notCompletedError.call(this, status, itemIndex);
		throwIfCancelled(this);
		let failure: unknown;
		try {
			const file = await downloadExportFile.call(
				this,
				status.resultsFileUrl,
				itemIndex,
				options.asBinary,
			);
			return { file, status: { ...status, truncated } };
		} catch (error) {
			failure = error;
		}
		// The transport's own error (NodeApiError, or the cancellation), as it is.
		if (!isExpiredLinkError(failure) || attempt > 0) throw failure;
		status = await getExportStatus.call(this, status.exportId, itemIndex);
		truncated ||= status.truncated;
	}
}
