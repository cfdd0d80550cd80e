/**
 * A local stand-in for a Nexthink Infinity tenant: API host, login host and files host on
 * 127.0.0.1. See README.md beside this file.
 *
 *   const sim = await startSimulator();
 *   // credential: sim.credentials()  → { region: 'custom', apiBaseUrl, tokenUrl, clientId, clientSecret }
 *   await sim.stop();
 */
import type { ChaosRule } from './faults';
import { startListeners } from './server';
import { resolveOptions, SimState, type SimulatorData } from './state';
import type {
	EndpointKey,
	Fault,
	LogEntry,
	Permission,
	SimulatorCredentials,
	SimulatorOptions,
	StrictRejection,
} from './types';

export * from './types';
export type { SimulatorData, ExportRecord, Compression } from './state';
export type { Device, User } from './data/seed';
export type { Workflow, WorkflowVersion, WorkflowParameter } from './data/workflows';
export type { RemoteAction } from './data/remoteActions';
export type { Campaign } from './data/campaigns';
export type { QueryInfo } from './data/queries';
export type * from './data/records';
export { CONTROL_ENDPOINTS } from './control';
export { ownCode } from './errors';
export { strictViolation, unknownField, type Violation } from './strict';
export { USER_NOT_FOUND } from './domains/campaigns';
export { ENRICHMENT_FIELD_NAMES } from './domains/enrichment';
export { EXECUTE_ROW_CAP } from './domains/nql';
export { REGIONAL_OFFSET_MINUTES } from './time';
export { ZSTD_MAGIC } from './zstd';

export interface NexthinkSimulator {
	/** e.g. `http://127.0.0.1:8901` */
	readonly apiBaseUrl: string;
	/** `<login host>/oauth2/default/v1/token` */
	readonly tokenUrl: string;
	/** `<api host>/api/v1/token` (legacy, Basic only) */
	readonly legacyTokenUrl: string;
	/** Where presigned export links point. */
	readonly filesBaseUrl: string;
	readonly clientId: string;
	readonly clientSecret: string;
	/** Every request on the three hosts (control API excluded); cleared in place by reset(). */
	readonly log: LogEntry[];
	/** Tokens issued by both token endpoints since start or reset. */
	readonly tokensIssued: number;
	/** Requests on the three hosts being answered right now (control API excluded). */
	readonly inFlight: number;
	/** The most requests answered at once since start, reset() or resetMaxInFlight(). */
	readonly maxInFlight: number;
	/** The seed and what the simulator recorded. */
	readonly data: SimulatorData;
	/** The active permissions. */
	readonly permissions: Permission[];
	/** Strict mode (option `strict`, default true): the simulator's own checks apply too. */
	readonly strict: boolean;
	/**
	 * Every request rejected as breaking the contract since start (reset() keeps them), in order.
	 * test/support/strict.ts fails a test during which one was added, unless the test expects it.
	 */
	readonly rejections: readonly StrictRejection[];
	credentials(): SimulatorCredentials;
	/** Queues `fault` for the next `times` (default `fault.times`, else 1) requests to `endpoint`. */
	inject(endpoint: EndpointKey, fault: Fault, times?: number): void;
	/** Random faults on every request to the endpoint (load runs); `undefined` stops them. Cleared by reset(). */
	chaos(endpoint: EndpointKey, rule: ChaosRule | undefined, seed?: number): void;
	clearFaults(): void;
	/** Clears log, counters, faults, recordings, exports, query rows, free disk space set per device, the in-flight peak; restores the start permissions and latency. Keeps seed and tokens. */
	reset(): void;
	/** Starts the in-flight peak again from what is in flight now (reset() does it too). */
	resetMaxInFlight(): void;
	/** Invalidates every issued token at once. */
	expireAllTokens(): void;
	setQueryRows(queryId: string, rows: number): void;
	/**
	 * A seeded device's free disk space in GB, as `#devices_low_disk` lists it; `undefined`
	 * restores its seeded value (1 to 400 GB). reset() restores every device.
	 */
	setFreeDiskSpace(deviceName: string, gb: number | undefined): void;
	setPermissions(permissions: Iterable<Permission>): void;
	/** Option latencyMs from now on; reset() restores the start value. */
	setLatency(ms: number): void;
	/**
	 * Option executionTimings for executions triggered from now on (how long each stays `pending`,
	 * then `in_progress`, in NQL); reset() restores the start value.
	 */
	setExecutionTimings(timings: { pendingMs?: number; inProgressMs?: number }): void;
	/** Requests received by `endpoint` (rejected ones included). */
	count(endpoint: EndpointKey | 'unknown'): number;
	stop(): Promise<void>;
}

type StartListener = (sim: NexthinkSimulator) => void;
const startObservers: StartListener[] = [];

/**
 * Calls `listener` with every simulator started from now on in this process (test/support/strict.ts
 * watches their rejections this way). Returns a function that stops the calls.
 */
export function onSimulatorStart(listener: StartListener): () => void {
	startObservers.push(listener);
	return () => {
		const index = startObservers.indexOf(listener);
		if (index >= 0) startObservers.splice(index, 1);
	};
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<NexthinkSimulator> {
	const state = new SimState(resolveOptions(options));
	const listeners = await startListeners(state);
	const { clientId, clientSecret } = state.options;
	let stopped: Promise<void> | undefined;
	const sim: NexthinkSimulator = {
		apiBaseUrl: state.urls.api,
		tokenUrl: `${state.urls.login}/oauth2/default/v1/token`,
		legacyTokenUrl: `${state.urls.api}/api/v1/token`,
		filesBaseUrl: state.urls.files,
		clientId,
		clientSecret,
		log: state.log,
		get tokensIssued() {
			return state.tokensIssued;
		},
		get inFlight() {
			return state.inFlight;
		},
		get maxInFlight() {
			return state.maxInFlight;
		},
		data: state.data,
		get permissions() {
			return [...state.permissions];
		},
		strict: state.strict.enabled,
		rejections: state.strict.rejections,
		credentials: () => ({
			instance: 'simulator',
			region: 'custom',
			clientId,
			clientSecret,
			apiBaseUrl: state.urls.api,
			tokenUrl: `${state.urls.login}/oauth2/default/v1/token`,
		}),
		inject: (endpoint, fault, times) => state.faults.add(endpoint, fault, times),
		chaos: (endpoint, rule, seed) => state.faults.setChaos(endpoint, rule, seed),
		clearFaults: () => state.faults.clear(),
		reset: () => state.reset(),
		resetMaxInFlight: () => state.resetMaxInFlight(),
		expireAllTokens: () => {
			state.expireAllTokens();
		},
		setQueryRows: (queryId, rows) => state.setQueryRows(queryId, rows),
		setFreeDiskSpace: (deviceName, gb) => state.freeDiskSpace.setFor(deviceName, gb),
		setPermissions: (permissions) => state.setPermissions(permissions),
		setLatency: (ms) => state.setLatency(ms),
		setExecutionTimings: (timings) => state.setExecutionTimings(timings),
		count: (endpoint) => state.counters.get(endpoint) ?? 0,
		stop: () => (stopped ??= listeners.close()),
	};
	for (const listener of [...startObservers]) listener(sim);
	return sim;
}
