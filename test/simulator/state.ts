/** The simulator's state: options, seed, tokens, exports, faults, log, counters and recordings. */
import { randomBytes } from 'node:crypto';

import { seedCampaigns, type Campaign } from './data/campaigns';
import { FreeDiskSpace } from './data/diskSpace';
import { findQuery, MAX_QUERY_ROWS, QUERIES, queryInfo, type QueryInfo } from './data/queries';
import { emptyRecorded, type Recorded } from './data/records';
import { seedRemoteActions, type RemoteAction } from './data/remoteActions';
import { deviceAt, Directory, userAt, type Device, type User } from './data/seed';
import { seedWorkflows, type Workflow } from './data/workflows';
import type { Cell } from './csv';
import { FaultQueue, Sleepers } from './faults';
import { StrictChecks } from './strict';
import {
	ALL_PERMISSIONS,
	type EndpointKey,
	type LogEntry,
	type Permission,
	type ResolvedOptions,
	type SimulatorOptions,
} from './types';

export type Compression = 'NONE' | 'GZIP' | 'ZSTD';

export interface ExportRecord {
	exportId: string;
	fileName: string;
	queryId: string;
	parameters: Record<string, string>;
	compression: Compression;
	utc: boolean;
	createdAt: number;
	columns: string[];
	/** Rows written to the file (after the export and licence caps). */
	rowCount: number;
	/** The licence cap cut the result: COMPLETED answers 206. */
	truncated: boolean;
	/** Set by an `exportError` fault: the export ends in ERROR. */
	errorDescription?: string;
	/** Rows of dynamic queries, taken when the export started. */
	snapshot?: Cell[][];
	/** Uncompressed file size, computed on first download. */
	sizeBytes?: number;
}

/** Everything tests may read: the seed (never changes) and what was recorded (cleared by reset). */
export interface SimulatorData extends Recorded {
	devices: Device[];
	users: User[];
	workflows: Workflow[];
	remoteActions: RemoteAction[];
	campaigns: Campaign[];
	queries: QueryInfo[];
	exports: ExportRecord[];
	/** Device by index beyond the seed too (the rows of a large `#all_devices`). */
	deviceAt(index: number): Device;
	userAt(index: number): User;
}

export function resolveOptions(o: SimulatorOptions = {}): ResolvedOptions {
	const positive = (v: number | undefined, fallback: number, name: string) => {
		if (v === undefined) return fallback;
		if (!Number.isFinite(v) || v < 0)
			throw new Error(`Simulator option ${name} must be a number ≥ 0, got ${v}`);
		return v;
	};
	return {
		clientId: o.clientId ?? 'sim-client-id',
		clientSecret: o.clientSecret ?? 'sim-client-secret',
		tokenTtlSeconds: positive(o.tokenTtlSeconds, 900, 'tokenTtlSeconds'),
		enrichmentLimit: positive(o.enrichmentLimit, 5000, 'enrichmentLimit'),
		exportTimings: {
			submittedMs: positive(o.exportTimings?.submittedMs, 1000, 'exportTimings.submittedMs'),
			inProgressMs: positive(o.exportTimings?.inProgressMs, 2000, 'exportTimings.inProgressMs'),
		},
		executionTimings: {
			pendingMs: positive(o.executionTimings?.pendingMs, 0, 'executionTimings.pendingMs'),
			inProgressMs: positive(o.executionTimings?.inProgressMs, 0, 'executionTimings.inProgressMs'),
		},
		presignedTtlSeconds: positive(o.presignedTtlSeconds, 900, 'presignedTtlSeconds'),
		exportRowLimit: positive(o.exportRowLimit, 1_000_000, 'exportRowLimit'),
		licenseRowCap:
			o.licenseRowCap === undefined ? undefined : positive(o.licenseRowCap, 0, 'licenseRowCap'),
		csvBom: o.csvBom ?? false,
		workflowDetailsShape: o.workflowDetailsShape ?? 'array',
		thinkletResponseShape: o.thinkletResponseShape ?? 'array',
		strict: o.strict ?? true,
		permissions: validPermissions(o.permissions ?? ALL_PERMISSIONS),
		deviceCount: positive(o.deviceCount, 2500, 'deviceCount'),
		latencyMs: positive(o.latencyMs, 0, 'latencyMs'),
		cacheExportFiles: o.cacheExportFiles ?? false,
		host: o.host ?? '127.0.0.1',
		apiPort: positive(o.apiPort, 0, 'apiPort'),
		loginPort: positive(o.loginPort, 0, 'loginPort'),
		filesPort: positive(o.filesPort, 0, 'filesPort'),
	};
}

export function validPermissions(list: Iterable<unknown>): Permission[] {
	const out: Permission[] = [];
	for (const p of list) {
		if (!ALL_PERMISSIONS.includes(p as Permission)) {
			throw new Error(
				`Unknown permission ${JSON.stringify(p)}; expected one of ${ALL_PERMISSIONS.join(', ')}`,
			);
		}
		out.push(p as Permission);
	}
	return out;
}

export class SimState {
	readonly directory: Directory;
	readonly data: SimulatorData;
	readonly urls = { api: '', login: '', files: '' };
	readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();
	readonly exports = new Map<string, ExportRecord>();
	readonly exportsByFile = new Map<string, ExportRecord>();
	readonly faults = new FaultQueue();
	readonly sleepers = new Sleepers();
	readonly log: LogEntry[] = [];
	readonly counters = new Map<EndpointKey | 'unknown', number>();
	readonly queryRows = new Map<string, number>();
	/** Free disk space per device as tests set it (`#devices_low_disk`); reset() restores the seed. */
	readonly freeDiskSpace: FreeDiskSpace;
	/** Option cacheExportFiles: generated export CSVs by content; kept by reset() (they follow from the seed). */
	readonly exportFiles = new Map<string, Buffer>();
	/** Contract rejections (kept across reset) and whether strict mode's own checks apply. */
	readonly strict: StrictChecks;
	/** Keys for token signatures and presigned links: new on every start. */
	readonly tokenKey = randomBytes(32);
	readonly presignKey = randomBytes(32);
	permissions: Set<Permission>;
	tokensIssued = 0;
	/** Requests being answered now, and the most at once since start or resetMaxInFlight() (control API excluded). */
	inFlight = 0;
	maxInFlight = 0;

	private readonly startLatencyMs: number;
	private readonly startExecutionTimings: ResolvedOptions['executionTimings'];

	constructor(readonly options: ResolvedOptions) {
		this.startLatencyMs = options.latencyMs;
		this.startExecutionTimings = { ...options.executionTimings };
		this.directory = new Directory(options.deviceCount);
		this.freeDiskSpace = new FreeDiskSpace(this.directory);
		this.permissions = new Set(options.permissions);
		this.strict = new StrictChecks(options.strict);
		this.data = {
			devices: this.directory.devices,
			users: this.directory.users,
			workflows: seedWorkflows(),
			remoteActions: seedRemoteActions(),
			campaigns: seedCampaigns(),
			queries: QUERIES.map(queryInfo),
			exports: [],
			deviceAt,
			userAt,
			...emptyRecorded(),
		};
	}

	count(endpoint: EndpointKey | 'unknown'): void {
		this.counters.set(endpoint, (this.counters.get(endpoint) ?? 0) + 1);
	}

	addExport(record: ExportRecord): void {
		this.exports.set(record.exportId, record);
		this.exportsByFile.set(record.fileName, record);
		this.data.exports.push(record);
	}

	/** Every issued token becomes invalid at once (a token expiring mid-run). Returns how many. */
	expireAllTokens(): number {
		const count = this.tokens.size;
		this.tokens.clear();
		return count;
	}

	/** Row count of a generated query (`#all_devices`, `#users`), or a cap for the others. */
	setQueryRows(queryId: string, rows: number): void {
		const query = findQuery(queryId);
		if (!query)
			throw new Error(
				`Unknown query ${JSON.stringify(queryId)}; known: ${QUERIES.map((q) => q.id).join(', ')}`,
			);
		if (!Number.isInteger(rows) || rows < 0 || rows > MAX_QUERY_ROWS) {
			throw new Error(`rows must be an integer from 0 to ${MAX_QUERY_ROWS}, got ${rows}`);
		}
		this.queryRows.set(query.id, rows);
	}

	/** One more request being answered; returns the function that ends it (call it once). */
	enterFlight(): () => void {
		this.inFlight++;
		if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
		let left = false;
		return () => {
			if (left) return;
			left = true;
			this.inFlight--;
		};
	}

	/** Option latencyMs from now on (reset() restores the start value). */
	setLatency(ms: number): void {
		if (!Number.isFinite(ms) || ms < 0)
			throw new Error(`latencyMs must be a number ≥ 0, got ${ms}`);
		this.options.latencyMs = ms;
	}

	/** Option executionTimings from now on, for executions triggered after (reset() restores the start value). */
	setExecutionTimings(timings: { pendingMs?: number; inProgressMs?: number }): void {
		const next = { ...this.options.executionTimings };
		for (const key of ['pendingMs', 'inProgressMs'] as const) {
			const ms = timings[key];
			if (ms === undefined) continue;
			if (!Number.isFinite(ms) || ms < 0)
				throw new Error(`executionTimings.${key} must be a number ≥ 0, got ${ms}`);
			next[key] = ms;
		}
		this.options.executionTimings = next;
	}

	/**
	 * When an execution triggered at `at` stops being `pending`, then `in_progress`: by the pace
	 * in force when it was triggered (data/records.ts executionStatus reads it).
	 */
	executionSchedule(at: number): { pendingUntil: number; runningUntil: number } {
		const { pendingMs, inProgressMs } = this.options.executionTimings;
		return { pendingUntil: at + pendingMs, runningUntil: at + pendingMs + inProgressMs };
	}

	/** The peak starts again from what is in flight now. */
	resetMaxInFlight(): void {
		this.maxInFlight = this.inFlight;
	}

	setPermissions(permissions: Iterable<unknown>): void {
		this.permissions = new Set(validPermissions(permissions));
	}

	/** Back to the start state (the in-flight peak, latency and execution pace too); the seed, the issued tokens and the contract rejections stay. */
	reset(): void {
		this.log.length = 0;
		this.counters.clear();
		this.faults.clear();
		this.exports.clear();
		this.exportsByFile.clear();
		this.queryRows.clear();
		this.freeDiskSpace.clear();
		this.tokensIssued = 0;
		this.resetMaxInFlight();
		this.options.latencyMs = this.startLatencyMs;
		this.options.executionTimings = { ...this.startExecutionTimings };
		this.permissions = new Set(this.options.permissions);
		const recorded = emptyRecorded();
		for (const key of Object.keys(recorded) as Array<keyof Recorded>) this.data[key].length = 0;
		this.data.exports.length = 0;
	}
}
