import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';

import {
	downloadExportById,
	exportFailedError,
	getExportStatus,
	isCompleted,
	isFailed,
	startExport,
	waitForExport,
	type Compression,
	type ExportStatus,
} from '../Nexthink/api/exports';
import { exportItems, truncationMessage } from '../Nexthink/shared/exportOutput';
import { readQuery } from '../Nexthink/shared/nqlFields';
import { shorten } from '../Nexthink/shared/text';

/**
 * A poll at work on this trigger's state: written before the poll's first request (the start or
 * the status call), refreshed before the download, removed when the poll ends (emitted, failed or
 * found nothing). Another poll that finds a fresh claim makes no request and returns null; one
 * older than CLAIM_STALE_MS is left over from a process that died, and is taken over.
 */
type ExportClaim = {
	/** The export the claiming poll follows; absent while it starts one. */
	exportId?: string;
	/** ISO time the claim was written or last refreshed. */
	at: string;
};

/** What the trigger keeps between polls, in the workflow's static data. */
interface ExportTriggerState extends IDataObject {
	/** The export this trigger follows; absent when the next poll should start one. */
	exportId?: string;
	/** Query, parameters and compression the running export was started with. */
	queryKey?: string;
	/** When the followed export was started: it is abandoned after Options > Export Time-Out. */
	startedAt?: string;
	lastExportId?: string;
	lastCompletedAt?: string;
	claim?: ExportClaim;
	/** Nexthink asked (429 Retry-After) for no request before this ISO time. */
	notBefore?: string;
}

type TriggerOutput = 'rows' | 'file' | 'status';

/** "Fetch Test Event" waits at most this long for its export, or less when n8n's poll budget is shorter. */
export const MANUAL_WAIT_MS = 120_000;
const MANUAL_CHECK_EVERY_MS = 2_000;

/** A claim older than this is left over from a poll that did not finish (n8n stopped): taken over. */
const CLAIM_STALE_MS = 10 * 60_000;
/** Options > Export Time-Out (Minutes) unless set. */
export const DEFAULT_EXPORT_TIMEOUT_MINUTES = 60;
/** A poll running in this process for longer than this is taken for hung: the next one runs. */
const GUARD_STALE_MS = 60 * 60_000;

/**
 * Polls of a node running in this process (workflow ID + node ID → start time): n8n starts each
 * poll on its schedule without waiting for the previous one to end, and two at once would emit
 * the same rows twice.
 */
const running = new Map<string, { since: number }>();

/**
 * Starts a poll of an active workflow, whatever its event: unless another poll of this node is
 * still running in this process, or the Retry-After Nexthink gave (rememberRetryAfter) has not
 * passed. Returns the release to call when the poll ends, or undefined: return nothing.
 */
export function startPoll(this: IPollFunctions, now: number): (() => void) | undefined {
	const key = `${this.getWorkflow().id ?? ''}\u0000${this.getNode().id}`;
	const other = running.get(key);
	if (other && now - other.since < GUARD_STALE_MS) return undefined;
	const state = stateOf.call(this);
	if (state.notBefore !== undefined) {
		const until = Date.parse(state.notBefore);
		if (Number.isFinite(until) && until > now) return undefined;
		delete state.notBefore;
	}
	const mine = { since: now };
	running.set(key, mine);
	return () => {
		if (running.get(key) === mine) running.delete(key);
	};
}

interface Settings {
	query: IDataObject;
	queryId: string;
	compression: Compression;
	output: TriggerOutput;
	binaryPropertyName: string;
	timeoutMinutes: number;
	/** Options > Convert Types (rows). */
	convertTypes: boolean;
}

/** readQuery's overload for polls (no item index). */
const readPollQuery: (this: IPollFunctions) => IDataObject = readQuery;

function readSettings(this: IPollFunctions): Settings {
	const query = readPollQuery.call(this);
	const options = (this.getNodeParameter('options', {}) ?? {}) as IDataObject;
	const timeoutMinutes = Number(options.exportTimeoutMinutes);
	return {
		query,
		queryId: String(query.queryId),
		compression: this.getNodeParameter('compression', 'NONE') as Compression,
		output: this.getNodeParameter('output', 'rows') as TriggerOutput,
		binaryPropertyName: String(this.getNodeParameter('binaryPropertyName', 'data') || 'data'),
		convertTypes: options.convertTypes === true,
		timeoutMinutes:
			Number.isFinite(timeoutMinutes) && timeoutMinutes > 0
				? timeoutMinutes
				: DEFAULT_EXPORT_TIMEOUT_MINUTES,
	};
}

/**
 * The state as it is now. Read again after every await: n8n's workflow static data is the place
 * of record, and the object behind it may have been replaced meanwhile.
 */
function stateOf(this: IPollFunctions): ExportTriggerState {
	return this.getWorkflowStaticData('node') as ExportTriggerState;
}

const isFresh = (at: string | undefined, maxAgeMs: number, now = Date.now()) => {
	const time = at === undefined ? NaN : Date.parse(at);
	return Number.isFinite(time) && now - time < maxAgeMs && time <= now + 60_000;
};

export const httpCodeOf = (error: unknown) =>
	error instanceof NodeApiError ? String(error.httpCode ?? '') : '';

/** How long Nexthink asked to wait: the transport puts it on the error of a 429 it did not wait out. */
function retryAfterMsOf(error: unknown): number | undefined {
	if (httpCodeOf(error) !== '429') return undefined;
	const ms = Number(((error as NodeApiError).context as IDataObject | undefined)?.retryAfterMs);
	return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * Remembers a long Retry-After so that the polls before it make no request; returns the error
 * (the transport's NodeApiError, said more precisely) for the poll to throw.
 */
export function rememberRetryAfter(this: IPollFunctions, error: unknown): unknown {
	const ms = retryAfterMsOf(error);
	if (ms === undefined) return error;
	const notBefore = new Date(Date.now() + ms).toISOString();
	stateOf.call(this).notBefore = notBefore;
	const nodeError = error as NodeApiError;
	nodeError.description = `${nodeError.description ? `${nodeError.description} ` : ''}The trigger sends Nexthink no request before ${notBefore}: polls until then return nothing.`;
	return nodeError;
}

async function emitted(
	this: IPollFunctions,
	status: ExportStatus,
	settings: Settings,
): Promise<INodeExecutionData[]> {
	const { queryId, output } = settings;
	let items: INodeExecutionData[];
	let truncated = status.truncated;
	if (output === 'status') {
		items = [{ json: { ...status, queryId } }];
	} else {
		const download = await downloadExportById.call(this, status.exportId, {
			status,
			asBinary: output === 'file',
		});
		truncated = download.status.truncated;
		({ items } = await exportItems.call(
			this,
			download.file,
			output,
			settings.binaryPropertyName,
			{ exportId: status.exportId, queryId, truncated },
			{ convertTypes: settings.convertTypes },
		));
	}
	if (truncated)
		this.logger.warn(`Nexthink Trigger: ${truncationMessage(status.exportId)}`, {
			workflowId: this.getWorkflow().id,
			node: this.getNode().name,
		});
	return items;
}

/** Starts an export and follows it from now on. */
async function startFollowing(
	this: IPollFunctions,
	settings: Settings,
	queryKey: string,
): Promise<null> {
	const exportId = await startExport
		.call(this, settings.query, settings.compression)
		.catch((error: unknown) => {
			throw rememberRetryAfter.call(this, error);
		});
	const state = stateOf.call(this);
	state.exportId = exportId;
	state.queryKey = queryKey;
	state.startedAt = new Date().toISOString();
	return null;
}

function forget(state: ExportTriggerState): void {
	delete state.exportId;
	delete state.queryKey;
	delete state.startedAt;
}

/** One poll that holds the claim: start, check, or emit and move on. */
async function pollClaimed(
	this: IPollFunctions,
	settings: Settings,
	claim: ExportClaim,
): Promise<INodeExecutionData[][] | null> {
	const queryKey = JSON.stringify({ query: settings.query, compression: settings.compression });
	let state = stateOf.call(this);
	const exportId = state.exportId;
	if (!exportId || state.queryKey !== queryKey)
		return await startFollowing.call(this, settings, queryKey);

	let status: ExportStatus | undefined;
	let failure: unknown;
	try {
		status = await getExportStatus.call(this, exportId);
	} catch (error) {
		failure = error;
	}
	if (status === undefined) {
		if (httpCodeOf(failure) === '404') {
			// Expired or deleted in Nexthink: following it any longer would fail on every poll.
			this.logger.warn(
				`Nexthink Trigger: Nexthink no longer knows export ${shorten(exportId)} (404: expired or deleted); starting a new export`,
				{ workflowId: this.getWorkflow().id, node: this.getNode().name },
			);
			forget(stateOf.call(this));
			return await startFollowing.call(this, settings, queryKey);
		}
		throw rememberRetryAfter.call(this, failure);
	}

	state = stateOf.call(this);
	if (state.exportId !== exportId) return null; // another poll moved on meanwhile
	if (isFailed(status)) {
		forget(state);
		throw exportFailedError.call(this, status);
	}
	if (!isCompleted(status)) {
		if (!state.startedAt) state.startedAt = new Date().toISOString();
		const followedMs = Date.now() - Date.parse(state.startedAt);
		if (followedMs >= settings.timeoutMinutes * 60_000) {
			forget(state);
			throw new NodeOperationError(
				this.getNode(),
				`NQL export ${shorten(exportId)} did not complete within the trigger's time-out of ${settings.timeoutMinutes} minutes (last status ${status.status})`,
				{
					description:
						'The trigger stopped following it, and its next poll starts a new export. If the query needs longer, raise Options > Export Time-Out (Minutes); if it never completes, check it in Nexthink.',
				},
			);
		}
		return null;
	}

	// Download first: if it fails, the export stays followed (the claim goes) and the next poll
	// tries again. Refresh the claim: a long download must not look abandoned.
	claim.exportId = exportId;
	claim.at = new Date().toISOString();
	state.claim = { ...claim };
	const items = await emitted.call(this, status, settings);
	state = stateOf.call(this);
	state.lastExportId = exportId;
	state.lastCompletedAt = new Date().toISOString();
	forget(state);
	return items.length ? [items] : null;
}

/**
 * Event "NQL Export Completed". Each poll either starts an export (when none runs), checks the
 * running one, or, once it has completed, emits it and clears the way for the next one. Nothing
 * blocks: a poll makes one or two calls. Overlapping polls of one trigger leave each other
 * alone: a second one returns null at once (in this process by `running`, across processes by
 * the claim in the state). "Fetch Test Event" runs one export to completion within a bounded
 * wait and leaves the stored state alone.
 */
export async function pollExportCompleted(
	this: IPollFunctions,
): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings.call(this);

	if (this.getMode() === 'manual') {
		const exportId = await startExport.call(this, settings.query, settings.compression);
		const waitMs = Math.max(
			MANUAL_CHECK_EVERY_MS,
			Math.min(MANUAL_WAIT_MS, pollBudgetMs.call(this) - 10_000),
		);
		const status = await waitForExport.call(this, exportId, {
			intervalMs: MANUAL_CHECK_EVERY_MS,
			timeoutMs: waitMs,
		});
		const items = await emitted.call(this, status, settings);
		return items.length ? [items] : null;
	}

	const now = Date.now();
	const release = startPoll.call(this, now);
	if (!release) return null;
	let claim: ExportClaim | undefined;
	try {
		const state = stateOf.call(this);
		if (state.claim && isFresh(state.claim.at, CLAIM_STALE_MS, now)) return null;
		// From here to the first await nothing yields: no other poll can claim in between.
		claim = { at: new Date(now).toISOString() };
		if (state.exportId) claim.exportId = state.exportId;
		state.claim = { ...claim };
		return await pollClaimed.call(this, settings, claim);
	} finally {
		release();
		const current = stateOf.call(this);
		if (claim && current.claim?.at === claim.at) delete current.claim;
	}
}

export function pollBudgetMs(this: IPollFunctions): number {
	// getPollBudgetMs exists from n8n 2.41 on; older versions give polls no explicit budget.
	const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : undefined;
	return typeof budget === 'number' && budget > 0 ? budget : MANUAL_WAIT_MS;
}
