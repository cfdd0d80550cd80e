import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import {
	downloadExport,
	exportFailedError,
	exportItems,
	getExportStatus,
	isCompleted,
	isFailed,
	startExport,
	waitForExport,
	type Compression,
	type ExportStatus,
} from '../Nexthink/actions/nql/exports';
import { readQuery } from '../Nexthink/actions/nql/fields';

/** What the trigger keeps between polls, in the workflow's static data. */
export interface ExportTriggerState extends IDataObject {
	/** The export this trigger follows; absent when the next poll should start one. */
	exportId?: string;
	/** Query, parameters and compression the running export was started with. */
	queryKey?: string;
	startedAt?: string;
	lastExportId?: string;
	lastCompletedAt?: string;
}

export type TriggerOutput = 'rows' | 'file' | 'status';

/** "Fetch Test Event" waits at most this long for its export, or less when n8n's poll budget is shorter. */
export const MANUAL_WAIT_MS = 120_000;
const MANUAL_CHECK_EVERY_MS = 2_000;

async function emitted(
	this: IPollFunctions,
	status: ExportStatus,
	queryId: string,
	output: TriggerOutput,
	binaryPropertyName: string,
): Promise<INodeExecutionData[]> {
	if (output === 'status') return [{ json: { ...status, queryId } }];
	const { file, status: used } = await downloadExport.call(this, { status });
	const meta: IDataObject = {
		exportId: status.exportId,
		queryId,
		truncated: (used ?? status).truncated,
	};
	const { items } = await exportItems.call(this, file, output, binaryPropertyName, meta);
	return items;
}

function pollBudgetMs(this: IPollFunctions): number {
	// getPollBudgetMs exists from n8n 2.41 on; older versions give polls no explicit budget.
	const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : undefined;
	return typeof budget === 'number' && budget > 0 ? budget : MANUAL_WAIT_MS;
}

/**
 * Event "NQL Export Completed". Each poll either starts an export (when none runs), checks the
 * running one, or, once it has completed, emits it and clears the way for the next one. Nothing
 * blocks: a poll makes one or two calls. "Fetch Test Event" runs one export to completion within
 * a bounded wait and leaves the stored state alone.
 */
export async function pollExportCompleted(
	this: IPollFunctions,
): Promise<INodeExecutionData[][] | null> {
	const query = readQuery.call(this, 0);
	const queryId = String(query.queryId);
	const compression = this.getNodeParameter('compression', 'NONE') as Compression;
	const output = this.getNodeParameter('output', 'rows') as TriggerOutput;
	const binaryPropertyName = String(this.getNodeParameter('binaryPropertyName', 'data') || 'data');

	if (this.getMode() === 'manual') {
		const exportId = await startExport.call(this, query, compression);
		const waitMs = Math.max(
			MANUAL_CHECK_EVERY_MS,
			Math.min(MANUAL_WAIT_MS, pollBudgetMs.call(this) - 10_000),
		);
		const status = await waitForExport.call(this, exportId, {
			intervalMs: MANUAL_CHECK_EVERY_MS,
			timeoutMs: waitMs,
		});
		const items = await emitted.call(this, status, queryId, output, binaryPropertyName);
		return items.length ? [items] : null;
	}

	const state = this.getWorkflowStaticData('node') as ExportTriggerState;
	const queryKey = JSON.stringify({ query, compression });
	if (!state.exportId || state.queryKey !== queryKey) {
		state.exportId = await startExport.call(this, query, compression);
		state.queryKey = queryKey;
		state.startedAt = new Date().toISOString();
		return null;
	}

	const status = await getExportStatus.call(this, state.exportId);
	if (isFailed(status)) {
		delete state.exportId;
		throw exportFailedError.call(this, status);
	}
	if (!isCompleted(status)) return null;

	// Download first: if it fails, the export stays followed and the next poll tries again.
	const items = await emitted.call(this, status, queryId, output, binaryPropertyName);
	state.lastExportId = state.exportId;
	state.lastCompletedAt = new Date().toISOString();
	delete state.exportId;
	return items.length ? [items] : null;
}
