/** What the simulator records while it runs (read them in `sim.data`; `sim.reset()` clears them). */

export interface WorkflowExecutionRecord {
	requestUuid: string;
	executionUuid: string;
	workflowId: string;
	workflowUuid: string;
	workflowName: string;
	/**
	 * The status the execution settles on: `waiting` for wait-for-event workflows until their
	 * thinklet is triggered. NQL shows `pending`, then `in_progress`, first (executionStatus).
	 */
	status: 'success' | 'waiting' | 'in_progress';
	deviceName: string | null;
	deviceCollectorUid: string | null;
	userSid: string | null;
	userUpn: string | null;
	params: Record<string, string>;
	apiVersion: 'v1' | 'v2';
	source: string | null;
	at: string;
	/** Epoch ms until which NQL shows it `pending`, then `in_progress` (option executionTimings). */
	pendingUntil: number;
	runningUntil: number;
}

export interface RemoteActionExecutionRecord {
	requestId: string;
	remoteActionId: string;
	remoteActionName: string;
	deviceCollectorUid: string;
	deviceName: string | null;
	/** The status the execution settles on; NQL shows `pending`, then `in_progress`, first (executionStatus). */
	status: 'success' | 'failure';
	statusDetails: string;
	outputs: Record<string, string | number>;
	params: Record<string, string>;
	triggerInfo: Record<string, unknown> | null;
	/** As requested; null when the request gave none. */
	expiresInMinutes: number | null;
	at: string;
	/** Epoch ms until which NQL shows it `pending`, then `in_progress` (option executionTimings). */
	pendingUntil: number;
	runningUntil: number;
}

/** The statuses NQL shows before an execution's own (the simulator's names: see README). */
export type ExecutionPhase = 'pending' | 'in_progress';

/**
 * What NQL shows of an execution at `now`: `pending` until `pendingUntil`, `in_progress` until
 * `runningUntil`, then the status it settled on.
 */
export function executionStatus<Status extends string>(
	execution: { status: Status; pendingUntil: number; runningUntil: number },
	now = Date.now(),
): Status | ExecutionPhase {
	if (now < execution.pendingUntil) return 'pending';
	if (now < execution.runningUntil) return 'in_progress';
	return execution.status;
}

export interface CampaignRequestRecord {
	requestId: string;
	campaignNqlId: string;
	userSid: string;
	parameters: Record<string, string>;
	expiresInMinutes: number;
	at: string;
}

export interface EnrichmentRecord {
	domain: string;
	identification: { name: string; value: unknown };
	fields: Array<{ name: string; value: unknown }>;
	at: string;
}

export interface DeletionRecord {
	requestId: string;
	devices: Array<{ uid: unknown; name: unknown; status: 'SCHEDULED' | 'INVALID' | 'FAILED' }>;
	at: string;
}

export interface SparkHandoffRecord {
	userPrincipalName: string;
	timezone: string | null;
	message: unknown;
	metadata: unknown;
	at: string;
}

export interface ThinkletTriggerRecord {
	requestUuid: string;
	workflowUuid: string;
	executionUuid: string;
	parameters: Record<string, string>;
	source: string | null;
	at: string;
}

export interface Recorded {
	workflowExecutions: WorkflowExecutionRecord[];
	remoteActionExecutions: RemoteActionExecutionRecord[];
	campaignRequests: CampaignRequestRecord[];
	enrichments: EnrichmentRecord[];
	deletions: DeletionRecord[];
	sparkHandoffs: SparkHandoffRecord[];
	thinkletTriggers: ThinkletTriggerRecord[];
}

export function emptyRecorded(): Recorded {
	return {
		workflowExecutions: [],
		remoteActionExecutions: [],
		campaignRequests: [],
		enrichments: [],
		deletions: [],
		sparkHandoffs: [],
		thinkletTriggers: [],
	};
}
