/**
 * Public types of the Nexthink Infinity simulator (see README.md beside this file).
 * The simulator is test tooling: it never runs inside n8n.
 */

/** Feature permissions of an API credential (Administration > API credentials checkboxes). */
export type Permission =
	| 'nql'
	| 'workflows'
	| 'remoteActions'
	| 'campaigns'
	| 'enrichment'
	| 'dataManagement'
	| 'spark';

export const ALL_PERMISSIONS: readonly Permission[] = [
	'nql',
	'workflows',
	'remoteActions',
	'campaigns',
	'enrichment',
	'dataManagement',
	'spark',
];

/** One key per simulated endpoint: used by the log, the counters and fault injection. */
export type EndpointKey =
	| 'token'
	| 'legacyToken'
	| 'nql.execute.v1'
	| 'nql.execute.v2'
	| 'nql.export'
	| 'nql.status'
	| 'nql.download'
	| 'campaign.trigger'
	| 'enrichment.fields'
	| 'remoteAction.list'
	| 'remoteAction.details'
	| 'remoteAction.execute'
	| 'workflow.execute.v1'
	| 'workflow.execute.v2'
	| 'workflow.thinklet'
	| 'workflow.list'
	| 'workflow.details'
	| 'dataManagement.deletions'
	| 'spark.handoff';

export const ENDPOINT_KEYS: readonly EndpointKey[] = [
	'token',
	'legacyToken',
	'nql.execute.v1',
	'nql.execute.v2',
	'nql.export',
	'nql.status',
	'nql.download',
	'campaign.trigger',
	'enrichment.fields',
	'remoteAction.list',
	'remoteAction.details',
	'remoteAction.execute',
	'workflow.execute.v1',
	'workflow.execute.v2',
	'workflow.thinklet',
	'workflow.list',
	'workflow.details',
	'dataManagement.deletions',
	'spark.handoff',
];

interface FaultBase {
	/** How many matching requests the fault is used for (default 1). */
	times?: number;
}

/** A fault queued with `sim.inject(endpoint, fault)`. */
export type Fault =
	| (FaultBase & {
			type: 'status';
			status: number;
			/** Replaces the documented body: a string is sent as is, anything else as JSON. */
			body?: unknown;
			headers?: Record<string, string>;
	  })
	| (FaultBase & {
			type: 'rateLimit';
			/** `Retry-After` in delta-seconds (default 1). */
			retryAfter?: number;
			/** Send `Retry-After` as an HTTP-date `seconds` from now instead. */
			retryAfterDate?: boolean;
			seconds?: number;
	  })
	| (FaultBase & { type: 'drop' })
	| (FaultBase & { type: 'slow'; delayMs: number })
	| (FaultBase & { type: 'malformed'; body?: string })
	| (FaultBase & { type: 'exportError'; description?: string })
	| (FaultBase & { type: 'truncated' })
	| (FaultBase & { type: 'partial'; pattern?: 'first' | 'everySecond' })
	| (FaultBase & {
			type: 'html';
			/** The status of the page (a proxy's 502, a gateway's 504…). */
			status: number;
			/** The page's `<title>` (default "<status> Proxy Error"). */
			title?: string;
			/** Print the request headers in the page, as some proxies' debug pages do (Authorization included). */
			echoHeaders?: boolean;
	  })
	| (FaultBase & {
			/** The file whole by its Content-Length, but only its first `keepBytes` (default half): damaged at rest. */
			type: 'corrupt';
			keepBytes?: number;
	  })
	| (FaultBase & {
			type: 'cutOff';
			/** Bytes of the file sent before the socket is destroyed (default 1024, at most the file less one). */
			afterBytes?: number;
			/** Keep the connection open, sending nothing, this long before destroying it (a body that stalls). */
			stallMs?: number;
	  });

export type FaultType = Fault['type'];

export type HostName = 'api' | 'login' | 'files';

/** One request as the simulator saw it (all three hosts, rejected requests included). */
export interface LogEntry {
	at: string;
	host: HostName;
	endpoint: EndpointKey | 'unknown';
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	/** Lower-cased names; repeated headers joined with ", ". */
	headers: Record<string, string>;
	/** Parsed JSON, parsed form, raw text, or undefined when empty. */
	body: unknown;
	/** 0 when the socket was dropped. */
	status: number;
	/** Milliseconds from the request's arrival to its answer's last byte (or the socket closing); set then. */
	ms?: number;
	/** The fault used for this request, if any. */
	fault?: FaultType;
	/** Why the simulator rejected the request as breaking the contract (see `StrictRejection`). */
	rejected?: string;
}

/**
 * A request the simulator refused because it breaks the contract: a required field missing, a
 * value off its pattern or bounds, a wrong type, an unknown field (strict mode), a header the
 * endpoint does not take, a path or method the API does not have. Business answers (an unknown
 * ID, a campaign not published) are not rejections. `sim.rejections` keeps every one since start.
 */
export interface StrictRejection {
	at: string;
	endpoint: EndpointKey | 'unknown';
	method: string;
	path: string;
	status: number;
	/** The code of the answer, when its domain has string codes. */
	code?: string;
	/** What is wrong, naming the field and the value. */
	reason: string;
}

export type ShapeOption = 'array' | 'object';

export interface SimulatorOptions {
	clientId?: string;
	clientSecret?: string;
	/** Lifetime of issued tokens (default 900). */
	tokenTtlSeconds?: number;
	/** Maximum enrichment objects per request (default 5000). */
	enrichmentLimit?: number;
	/** Time an export spends SUBMITTED, then IN_PROGRESS (default 1000 / 2000 ms). */
	exportTimings?: { submittedMs?: number; inProgressMs?: number };
	/**
	 * How long each workflow and remote action execution stays `pending`, then `in_progress`, in
	 * NQL before it shows its final status (default 0 / 0: final at once). Set before the trigger:
	 * each execution keeps the pace it started with (`sim.setExecutionTimings` changes it).
	 */
	executionTimings?: { pendingMs?: number; inProgressMs?: number };
	/** Validity of presigned export links (default 900). */
	presignedTtlSeconds?: number;
	/** Rows an export holds at most (default 1,000,000). */
	exportRowLimit?: number;
	/** Rows the licence allows: larger exports are truncated and their status is 206. */
	licenseRowCap?: number;
	/** Start export files with a UTF-8 BOM (default false). */
	csvBom?: boolean;
	/** Workflow details answer: 'array' (spec, default) or 'object' (observed live). */
	workflowDetailsShape?: ShapeOption;
	/** Thinklet trigger answer: 'array' (spec, default) or 'object' (GO SDK). */
	thinkletResponseShape?: ShapeOption;
	/**
	 * Strict mode (default true): also reject what Nexthink may let through but no client should
	 * send (unknown fields in a request body, a JSON body without `Content-Type: application/json`).
	 * Contract checks (required, patterns, bounds, types) apply either way.
	 */
	strict?: boolean;
	/** Feature permissions of the credential (default: all). */
	permissions?: Iterable<Permission>;
	/** Seeded devices, one user each (default 2500). */
	deviceCount?: number;
	/**
	 * Delay every answer of the API host by this much (default 0): a tenant far away. The login
	 * and files hosts, the legacy token endpoint and the control API answer at once.
	 */
	latencyMs?: number;
	/**
	 * Generate each export file once (per query, parameters, row count and time format) and serve
	 * it from memory afterwards (default false: generated on every download, nothing kept).
	 */
	cacheExportFiles?: boolean;
	host?: string;
	apiPort?: number;
	loginPort?: number;
	filesPort?: number;
}

export interface ResolvedOptions {
	clientId: string;
	clientSecret: string;
	tokenTtlSeconds: number;
	enrichmentLimit: number;
	exportTimings: { submittedMs: number; inProgressMs: number };
	executionTimings: { pendingMs: number; inProgressMs: number };
	presignedTtlSeconds: number;
	exportRowLimit: number;
	licenseRowCap: number | undefined;
	csvBom: boolean;
	workflowDetailsShape: ShapeOption;
	thinkletResponseShape: ShapeOption;
	strict: boolean;
	permissions: Permission[];
	deviceCount: number;
	latencyMs: number;
	cacheExportFiles: boolean;
	host: string;
	apiPort: number;
	loginPort: number;
	filesPort: number;
}

/** The credential to paste into n8n (region `custom`). */
export interface SimulatorCredentials {
	instance: 'simulator';
	region: 'custom';
	clientId: string;
	clientSecret: string;
	apiBaseUrl: string;
	tokenUrl: string;
}
