/** What the simulator records while it runs (read them in `sim.data`; `sim.reset()` clears them). */

export interface WorkflowExecutionRecord {
	requestUuid: string;
	executionUuid: string;
	workflowId: string;
	workflowUuid: string;
	workflowName: string;
	/** `waiting` for wait-for-event workflows until their thinklet is triggered. */
	status: 'success' | 'waiting' | 'in_progress';
	deviceName: string | null;
	deviceCollectorUid: string | null;
	userSid: string | null;
	userUpn: string | null;
	params: Record<string, string>;
	apiVersion: 'v1' | 'v2';
	source: string | null;
	at: string;
}

export interface RemoteActionExecutionRecord {
	requestId: string;
	remoteActionId: string;
	remoteActionName: string;
	deviceCollectorUid: string;
	deviceName: string | null;
	status: 'success' | 'failure';
	statusDetails: string;
	outputs: Record<string, string | number>;
	params: Record<string, string>;
	triggerInfo: Record<string, unknown> | null;
	/** As requested; null when the request gave none. */
	expiresInMinutes: number | null;
	at: string;
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
