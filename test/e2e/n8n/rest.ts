/**
 * n8n's internal REST API, as the editor uses it (n8n 2.40.7 and 1.123.81): owner setup, sign-in
 * (cookie `n8n-auth`, bound to a `browser-id` header), workflows, activation, manual runs,
 * executions and the node types list. The two lines answer these calls alike, but for a manual
 * run (see runManually): give the instance's line to the constructor.
 */
import { randomBytes } from 'node:crypto';

import { parse as parseFlatted } from 'flatted';
import { request } from 'undici';

import type { NodeRun } from './instance';
import type { N8nLine } from './runtime';

export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

/** An owner with a fresh random password (n8n wants 8+ characters with a digit and an uppercase letter). */
export function newOwner(email: string, firstName: string, lastName: string): Owner {
	return { email, firstName, lastName, password: `Nx-${randomBytes(9).toString('base64url')}-7` };
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	startedAt: string;
	stoppedAt?: string;
}

export interface ExecutionDetails extends ExecutionSummary {
	runData: Record<string, NodeRun[]>;
	error?: { message?: string; description?: string };
	/** The JSON of the items `nodeName` returned on output `output` (first run). */
	items(nodeName: string, output?: number): Array<Record<string, unknown>>;
}

export interface NodeTypeDescription {
	name: string;
	displayName: string;
	version: number | number[];
	outputs?: unknown;
	usableAsTool?: unknown;
	[key: string]: unknown;
}

export interface StoredWorkflow {
	id: string;
	name: string;
	active: boolean;
	versionId: string;
	activeVersionId: string | null;
	checksum?: string;
	nodes: Array<{ id: string; name: string; type: string; parameters: Record<string, unknown> }>;
	connections: Record<string, unknown>;
	/** What the workflow's nodes keep between runs (`node:<name>` per trigger), as n8n saved it; null before anything was saved. */
	staticData?: Record<string, unknown> | null;
}

export class N8nRestError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`${method} ${path} answered ${status}: ${body.slice(0, 500)}`);
		this.name = 'N8nRestError';
	}
}

export class N8nRest {
	/** Sent on every call: n8n ties the auth cookie to the browser id it was issued for. */
	readonly browserId = 'nexthink-e2e-browser';
	private cookie = '';

	constructor(
		readonly baseUrl: string,
		/** The n8n line behind baseUrl (N8nInstance.line); 2.x unless told. */
		readonly line: N8nLine = '2.x',
	) {}

	private async call<T>(
		method: 'GET' | 'POST' | 'PATCH',
		path: string,
		body?: unknown,
	): Promise<T> {
		const response = await request(`${this.baseUrl}${path}`, {
			method,
			headers: {
				'browser-id': this.browserId,
				accept: 'application/json',
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			headersTimeout: 30_000,
			bodyTimeout: 60_000,
		});
		const setCookie = response.headers['set-cookie'];
		for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
			const match = /^n8n-auth=([^;]*)/.exec(line);
			if (match) this.cookie = `n8n-auth=${match[1]}`;
		}
		const text = await response.body.text();
		if (response.statusCode >= 400) throw new N8nRestError(method, path, response.statusCode, text);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** `POST /rest/owner/setup` on a fresh instance (signs in as the owner too). */
	async setupOwner(owner: Owner): Promise<void> {
		await this.call('POST', '/rest/owner/setup', owner);
	}

	/** `POST /rest/login`. */
	async login(email: string, password: string): Promise<void> {
		await this.call('POST', '/rest/login', { emailOrLdapLoginId: email, password });
	}

	async getWorkflow(id: string): Promise<StoredWorkflow> {
		return (await this.call<{ data: StoredWorkflow }>('GET', `/rest/workflows/${id}`)).data;
	}

	/**
	 * The static data n8n saved for a node (`staticData["node:<name>"]` of `GET /rest/workflows/:id`):
	 * what a polling trigger remembers, as the database holds it (n8n saves it at activation and
	 * when a poll emits, not after a poll that returns nothing).
	 */
	async nodeStaticData(id: string, nodeName: string): Promise<Record<string, unknown> | undefined> {
		const { staticData } = await this.getWorkflow(id);
		return staticData?.[`node:${nodeName}`] as Record<string, unknown> | undefined;
	}

	/** `PATCH /rest/workflows/:id` with the stored version's checksum (n8n refuses a stale one). */
	async updateWorkflow(id: string, changes: Partial<StoredWorkflow>): Promise<StoredWorkflow> {
		const current = await this.getWorkflow(id);
		const body = { ...changes, versionId: current.versionId, expectedChecksum: current.checksum };
		return (await this.call<{ data: StoredWorkflow }>('PATCH', `/rest/workflows/${id}`, body)).data;
	}

	/** `POST /rest/workflows/:id/activate` (publishes the current version; polling triggers start). */
	async activateWorkflow(id: string): Promise<StoredWorkflow> {
		const current = await this.getWorkflow(id);
		return (
			await this.call<{ data: StoredWorkflow }>('POST', `/rest/workflows/${id}/activate`, {
				versionId: current.versionId,
			})
		).data;
	}

	async deactivateWorkflow(id: string): Promise<void> {
		await this.call('POST', `/rest/workflows/${id}/deactivate`, {});
	}

	/**
	 * A manual run from the editor starting at the trigger `triggerName` (for a polling trigger,
	 * what "Fetch Test Event" and "Execute workflow" do): `POST /rest/workflows/:id/run` with
	 * `triggerToStartFrom`. 2.x runs the stored workflow; 1.x runs the one in the body
	 * (`workflowData`, sent as stored). Resolves to the new execution's id; the run goes on in n8n.
	 */
	async runManually(id: string, triggerName: string): Promise<string> {
		const body = {
			...(this.line === '1.x' ? { workflowData: await this.getWorkflow(id) } : {}),
			triggerToStartFrom: { name: triggerName },
		};
		const { data } = await this.call<{
			data: { executionId?: string; waitingForWebhook?: boolean };
		}>('POST', `/rest/workflows/${id}/run`, body);
		if (!data.executionId)
			throw new Error(
				`POST /rest/workflows/${id}/run started no execution: ${JSON.stringify(data)}`,
			);
		return data.executionId;
	}

	/** `GET /rest/executions`, newest first, optionally for one workflow. */
	async listExecutions(filter: { workflowId?: string } = {}): Promise<ExecutionSummary[]> {
		const query = Object.keys(filter).length
			? `?filter=${encodeURIComponent(JSON.stringify(filter))}`
			: '';
		const result = await this.call<{ data: { results: ExecutionSummary[] } }>(
			'GET',
			`/rest/executions${query}`,
		);
		return result.data.results;
	}

	/** `GET /rest/executions/:id`, its run data decoded (n8n stores it in `flatted` form). */
	async getExecution(id: string): Promise<ExecutionDetails> {
		const { data } = await this.call<{ data: ExecutionSummary & { data: string } }>(
			'GET',
			`/rest/executions/${id}`,
		);
		const run = parseFlatted(data.data) as {
			resultData?: { runData?: Record<string, NodeRun[]>; error?: ExecutionDetails['error'] };
		};
		const runData = run.resultData?.runData ?? {};
		return {
			id: data.id,
			workflowId: data.workflowId,
			mode: data.mode,
			status: data.status,
			startedAt: data.startedAt,
			stoppedAt: data.stoppedAt,
			runData,
			error: run.resultData?.error,
			items: (nodeName, output = 0) =>
				(runData[nodeName]?.[0]?.data?.main?.[output] ?? []).map((item) => item.json),
		};
	}

	/** Every node type the instance offers, as the editor loads them: `GET /types/nodes.json` (signed in). */
	async nodeTypes(): Promise<NodeTypeDescription[]> {
		return await this.call<NodeTypeDescription[]>('GET', '/types/nodes.json');
	}
}
