/**
 * What each example must do in a real n8n, judged from both ends: the items n8n printed for its
 * Nexthink nodes, and the requests the simulator received while it ran. Every example gets the
 * generic checks; the ones listed here also get their own. An example added later is covered by
 * the generic checks until it is listed.
 */
import type { LogEntry } from '../../simulator';
import { nexthinkNodes, type Example, type ExecutionResult } from '../n8n';

export interface ExampleContext {
	example: Example;
	run: ExecutionResult;
	/** What the simulator received during this run. */
	requests: LogEntry[];
}

function bodyOf(entry: LogEntry): Record<string, unknown> {
	return (entry.body ?? {}) as Record<string, unknown>;
}

function only(requests: LogEntry[], endpoint: string): LogEntry {
	const matching = requests.filter((entry) => entry.endpoint === endpoint);
	expect(matching.map((entry) => `${entry.method} ${entry.path}`)).toHaveLength(1);
	return matching[0];
}

function sorted(values: unknown[]): string[] {
	return values.map(String).sort();
}

/** Every example: it succeeded, each Nexthink node returned items and no error item, and the simulator answered it without an error. */
export function checkGeneric({ example, run, requests }: ExampleContext): void {
	expect({ status: run.status, error: run.error }).toEqual({ status: 'success', error: undefined });
	for (const node of nexthinkNodes(example.workflow)) {
		const runs = run.runData[node.name];
		expect({ node: node.name, ran: Boolean(runs?.length) }).toEqual({ node: node.name, ran: true });
		expect({ node: node.name, status: runs[0].executionStatus }).toEqual({
			node: node.name,
			status: 'success',
		});
		const items = run.items(node.name);
		expect({ node: node.name, hasItems: items.length > 0 }).toEqual({
			node: node.name,
			hasItems: true,
		});
		expect(items.filter((item) => 'error' in item)).toEqual([]);
		// The error output (if the node has one) stays empty.
		for (const output of (runs[0].data?.main ?? []).slice(1)) expect(output ?? []).toEqual([]);
	}
	expect(
		requests.filter((entry) => entry.status >= 200 && entry.status < 300).length,
	).toBeGreaterThan(0);
	expect(
		requests
			.filter((entry) => entry.status < 200 || entry.status >= 300)
			.map((e) => `${e.endpoint} ${e.status}`),
	).toEqual([]);
}

/** Simulator endpoints (key prefixes) each listed example must have called. */
export const EXPECTED_ENDPOINTS: Record<string, string[]> = {
	'campaign-trigger': ['nql.execute', 'campaign.trigger'],
	'device-schedule-deletion': ['dataManagement.deletions'],
	'enrichment-enrich-fields': ['enrichment.fields'],
	'enrichment-enrich-fields-bulk': ['enrichment.fields'],
	'nql-download-export': ['nql.export', 'nql.status', 'nql.download'],
	'nql-execute': ['nql.execute'],
	'nql-export': ['nql.export', 'nql.status'],
	'nql-get-export-status': ['nql.export', 'nql.status'],
	'remote-action-execute': ['nql.execute', 'remoteAction.execute'],
	'remote-action-execute-wait-for-outcome': ['remoteAction.execute', 'nql.execute'],
	'remote-action-get': ['remoteAction.details'],
	'remote-action-get-executions': ['remoteAction.execute', 'nql.execute'],
	'remote-action-get-many': ['remoteAction.list'],
	'spark-handoff': ['spark.handoff'],
	'workflow-get': ['workflow.details'],
	'workflow-get-executions': ['workflow.execute', 'nql.execute'],
	'workflow-get-many': ['workflow.list'],
	'workflow-trigger': ['workflow.execute'],
	'workflow-trigger-wait-for-event': ['workflow.execute', 'workflow.thinklet'],
};

export function checkEndpoints({ example, requests }: ExampleContext): void {
	const called = new Set(requests.map((entry) => entry.endpoint));
	for (const prefix of EXPECTED_ENDPOINTS[example.key] ?? [])
		expect({ endpoint: prefix, called: [...called].some((key) => key.startsWith(prefix)) }).toEqual(
			{
				endpoint: prefix,
				called: true,
			},
		);
}

/** Deeper checks: what the simulator received must be what the workflow's earlier steps produced. */
export const SPECIFIC_CHECKS: Record<string, (context: ExampleContext) => void> = {
	'remote-action-execute': ({ run, requests }) => {
		const devices = run.items('Find devices').map((row) => row['device.collector.uid']);
		const body = bodyOf(only(requests, 'remoteAction.execute'));
		expect(body.remoteActionId).toBe('#clear_browser_cache');
		expect(body.params).toEqual({ browser: 'chrome' });
		expect(sorted(body.devices as unknown[])).toEqual(sorted(devices));
		expect(run.items('Clear browser cache')[0]).toMatchObject({ deviceCount: devices.length });
	},
	'campaign-trigger': ({ run, requests }) => {
		const sids = run.items('Find users').map((row) => row['user.sid']);
		const body = bodyOf(only(requests, 'campaign.trigger'));
		expect(body.campaignNqlId).toBe('#outage_notification');
		expect(sorted(body.userSid as unknown[])).toEqual(sorted(sids));
	},
	'workflow-trigger': ({ example, requests }) => {
		const pinned = Object.values(example.workflow.pinData ?? {})[0] ?? [];
		const devices = new Set(pinned.flatMap((item) => [item.json.devices].flat().map(String)));
		const executes = requests.filter((entry) => entry.endpoint.startsWith('workflow.execute'));
		expect(executes).toHaveLength(1);
		expect(new Set((bodyOf(executes[0]).devices as unknown[]).map(String))).toEqual(devices);
	},
	'device-schedule-deletion': ({ example, run, requests }) => {
		const pinned = Object.values(example.workflow.pinData ?? {})[0] ?? [];
		const body = bodyOf(only(requests, 'dataManagement.deletions'));
		expect(body.devices).toEqual(
			pinned.map((item) => ({ uid: item.json.nexthinkUid, name: item.json.hostname })),
		);
		expect(run.items('Delete retired devices').map((item) => item.status)).toEqual(
			pinned.map(() => 'SCHEDULED'),
		);
	},
	'spark-handoff': ({ example, requests }) => {
		const pinned = Object.values(example.workflow.pinData ?? {})[0] ?? [];
		const handoffs = requests.filter((entry) => entry.endpoint === 'spark.handoff');
		expect(sorted(handoffs.map((entry) => entry.headers['user-principal-name']))).toEqual(
			sorted(pinned.map((item) => item.json.user)),
		);
	},
	'workflow-trigger-wait-for-event': ({ run, requests }) => {
		const started = run.items('Start software install')[0];
		const thinklet = only(requests, 'workflow.thinklet');
		expect(thinklet.path).toContain(String((started.executionsUuids as string[])[0]));
	},
	'nql-execute': ({ run, requests }) => {
		expect(bodyOf(only(requests, 'nql.execute.v2'))).toMatchObject({
			queryId: '#devices_by_os',
			parameters: { os: 'macOS' },
		});
		const platforms = new Set(
			run.items('Nexthink').map((row) => row['device.operating_system.platform']),
		);
		expect([...platforms]).toEqual(['macOS']);
	},
	'nql-download-export': ({ run, requests }) => {
		const download = only(requests, 'nql.download');
		expect(download.headers.authorization).toBeUndefined();
		const rows = run.items('Download rows');
		expect(new Set(rows.map((row) => row['device.operating_system.platform']))).toEqual(
			new Set(['macOS']),
		);
	},
	'enrichment-enrich-fields': ({ example, requests }) => {
		const pinned = Object.values(example.workflow.pinData ?? {})[0] ?? [];
		const sent = requests
			.filter((entry) => entry.endpoint === 'enrichment.fields')
			.flatMap(
				(entry) => bodyOf(entry).enrichments as Array<{ identification: Array<{ value: string }> }>,
			)
			.map((enrichment) => enrichment.identification[0].value);
		expect(sorted(sent)).toEqual(sorted(pinned.map((item) => item.json.hostname)));
	},
};
