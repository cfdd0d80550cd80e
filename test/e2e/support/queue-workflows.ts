/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: reads the queue-mode fixture workflow, never runs inside n8n */
/**
 * The workflows of the queue-mode test, built from examples/ (never copied): in queue mode only
 * what main starts goes through the queue (production webhooks, active triggers), so
 *  - each example that starts by hand gets a Webhook in place of its Manual Trigger (same name,
 *    same connections; pinned items as Code nodes, as for the CLI runs);
 *  - every workflow gets, right after its start node, an Execution Data node that saves the name
 *    of the n8n process running it (`$env.NEXTHINK_E2E_PROCESS`) as the execution's custom data
 *    `process`: n8n's own execution record (table execution_metadata) then says which process ran it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	PROCESS_NAME_VARIABLE,
	REPO_ROOT,
	withPinsAsNodes,
	type Example,
	type Workflow,
	type WorkflowNode,
} from '../n8n';

/** The custom data key the Execution Data node writes. */
export const PROCESS_KEY = 'process';
export const RECORD_NODE = 'Record the n8n process';

function uuidFrom(text: string): string {
	return createHash('sha256')
		.update(text)
		.digest('hex')
		.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5');
}

/** Inserts the Execution Data node between `startNode` and whatever followed it. */
export function withProcessRecord(workflow: Workflow, startNode: string): Workflow {
	const start = workflow.nodes.find((node) => node.name === startNode);
	if (!start) throw new Error(`${workflow.name} has no node "${startNode}"`);
	const record: WorkflowNode = {
		id: uuidFrom(`record:${workflow.id ?? workflow.name}`),
		name: RECORD_NODE,
		type: 'n8n-nodes-base.executionData',
		typeVersion: 1.1,
		position: [start.position[0] + 110, start.position[1] - 160],
		parameters: {
			dataToSave: {
				values: [{ key: PROCESS_KEY, value: `={{ $env.${PROCESS_NAME_VARIABLE} }}` }],
			},
		},
	};
	const connections = { ...workflow.connections };
	connections[RECORD_NODE] = connections[startNode] ?? { main: [[]] };
	connections[startNode] = { main: [[{ node: RECORD_NODE, type: 'main', index: 0 }]] };
	return { ...workflow, nodes: [...workflow.nodes, record], connections };
}

/** The production webhook path of an example's variant. */
export function webhookPath(example: Example): string {
	return `nexthink-e2e-${example.key}`;
}

/**
 * An example that starts by hand, started by a production webhook instead (GET, answering with
 * the last node's first item once the execution ended), recording its process.
 */
export function webhookVariant(example: Example): Workflow {
	const workflow = withPinsAsNodes(example.workflow);
	const manual = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	if (!manual) throw new Error(`${example.key} has no Manual Trigger to replace`);
	const webhook: WorkflowNode = {
		id: manual.id,
		name: manual.name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: manual.position,
		webhookId: uuidFrom(`webhook:${example.key}`),
		parameters: {
			httpMethod: 'GET',
			path: webhookPath(example),
			responseMode: 'lastNode',
			options: {},
		},
	};
	return withProcessRecord(
		{
			...workflow,
			nodes: workflow.nodes.map((node) => (node === manual ? webhook : node)),
		},
		manual.name,
	);
}

/**
 * The trigger example as the test activates it, recording its process. Poll Times: once a year
 * (a 6-field custom cron n8n takes as is), so that only activations poll until the test sets a
 * poll time of its own.
 */
export function triggerVariant(example: Example): { workflow: Workflow; triggerNode: string } {
	const trigger = example.workflow.nodes.find((node) => node.type.endsWith('.nexthinkTrigger'));
	if (!trigger) throw new Error(`${example.key} has no Nexthink Trigger`);
	const workflow: Workflow = {
		...example.workflow,
		nodes: example.workflow.nodes.map((node) =>
			node === trigger
				? {
						...node,
						parameters: {
							...node.parameters,
							pollTimes: yearlyPollTimes(),
						},
					}
				: node,
		),
	};
	return { workflow: withProcessRecord(workflow, trigger.name), triggerNode: trigger.name };
}

export function yearlyPollTimes(): Record<string, unknown> {
	return { item: [{ mode: 'custom', cronExpression: '0 0 0 1 1 *' }] };
}

/** Once a minute, at second `second`. */
export function minutePollTimes(second: number): Record<string, unknown> {
	return { item: [{ mode: 'custom', cronExpression: `${second} * * * * *` }] };
}

export const BURST_WORKFLOW_ID = 'nx0queueburst0000001';
export const BURST_PATH = 'nexthink-e2e-queue-burst';

/** test/e2e/fixtures/queue-burst.json: Webhook (`?n=<k>`) > Workflow > Trigger with `service_name` `burst-<k>` and the process as Source header. */
export function burstWorkflow(): Workflow {
	const workflow = JSON.parse(
		readFileSync(join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'queue-burst.json'), 'utf8'),
	) as Workflow;
	return withProcessRecord({ ...workflow, id: BURST_WORKFLOW_ID }, 'Webhook');
}
