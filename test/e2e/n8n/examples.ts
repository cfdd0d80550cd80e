/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: reads examples/ and writes n8n import files, never runs inside n8n */
/**
 * The workflows in examples/ as n8n imports them: each gets a stable id (from its file name),
 * keeps its credential reference `{ nexthinkApi: { id: 'nexthinkSimulator', name: 'Nexthink simulator' } }`,
 * and can be rewritten for how the package is loaded (`CUSTOM.*` types for a custom extensions
 * folder) and for `n8n execute` (which ignores pinned data).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { REPO_ROOT } from './runtime';

export const EXAMPLES_DIR = join(REPO_ROOT, 'examples');
export const CREDENTIAL_ID = 'nexthinkSimulator';
export const CREDENTIAL_NAME = 'Nexthink simulator';
export const COMMUNITY_PREFIX = 'n8n-nodes-nexthink.';
export const CUSTOM_PREFIX = 'CUSTOM.';

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}

export type Connections = Record<
	string,
	Record<string, Array<Array<{ node: string; type: string; index: number }>>>
>;

export interface Workflow {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Connections;
	pinData?: Record<string, Array<{ json: Record<string, unknown> }>>;
	settings?: Record<string, unknown>;
	active?: boolean;
	[key: string]: unknown;
}

export interface Example {
	/** File name without `.json`, e.g. `remote-action-execute`. */
	key: string;
	file: string;
	/**
	 * Stable n8n workflow id: `nx0` + 13 hex digits of the file name's SHA-256, 16 characters as n8n's
	 * own: n8n 1.123.81 saves a workflow's static data only for ids of at most 16 (isWorkflowIdValid;
	 * 2.40.7 allows 21), so a longer id would keep a trigger's memory out of the database on 1.x.
	 */
	id: string;
	workflow: Workflow;
	/** Starts from a polling trigger (no manual trigger): n8n runs it only when active. */
	isTrigger: boolean;
	/**
	 * Starts from an MCP Server Trigger (its Nexthink nodes are tools on it): n8n serves it only
	 * when active, to an MCP client (mcp-tool.e2e.ts); `n8n execute` cannot start it.
	 */
	isMcpServer: boolean;
	/** Neither: it starts by hand (Manual Trigger), so `n8n execute` and a webhook variant can run it. */
	startsByHand: boolean;
}

export const MCP_TRIGGER_TYPE = '@n8n/n8n-nodes-langchain.mcpTrigger';

/** `nx0…` from the file name: the same on every run and machine, and it holds a digit (`n8n execute-batch --ids` wants one). */
export function exampleWorkflowId(key: string): string {
	return `nx0${createHash('sha256').update(key).digest('hex').slice(0, 13)}`;
}

export function loadExamples(): Example[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const key = basename(file, '.json');
			const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Workflow;
			const id = exampleWorkflowId(key);
			const isTrigger = workflow.nodes.some((node) => node.type.endsWith('.nexthinkTrigger'));
			const isMcpServer = workflow.nodes.some((node) => node.type === MCP_TRIGGER_TYPE);
			return {
				key,
				file: join(EXAMPLES_DIR, file),
				id,
				workflow: { ...workflow, id },
				isTrigger,
				isMcpServer,
				startsByHand: !isTrigger && !isMcpServer,
			};
		});
}

/** The Nexthink nodes of a workflow (action and trigger), whatever their prefix. */
export function nexthinkNodes(workflow: Workflow): WorkflowNode[] {
	return workflow.nodes.filter((node) => /^(n8n-nodes-nexthink|CUSTOM)\.nexthink/.test(node.type));
}

/** Rewrites `n8n-nodes-nexthink.*` node types to `CUSTOM.*`, as n8n names nodes from N8N_CUSTOM_EXTENSIONS. */
export function withCustomTypes(workflow: Workflow): Workflow {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) =>
			node.type.startsWith(COMMUNITY_PREFIX)
				? { ...node, type: `${CUSTOM_PREFIX}${node.type.slice(COMMUNITY_PREFIX.length)}` }
				: node,
		),
	};
}

function codeNodeReturning(
	name: string,
	items: Array<{ json: Record<string, unknown> }>,
	position: [number, number],
): WorkflowNode {
	return {
		id: createHash('sha256')
			.update(`pinned:${name}`)
			.digest('hex')
			.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position,
		parameters: {
			jsCode: `// The items this example pins in the editor (n8n execute ignores pinned data).\nreturn ${JSON.stringify(items.map((item) => ({ json: item.json })))};`,
		},
	};
}

/**
 * `n8n execute` runs in mode "cli", where n8n ignores pinned data (WorkflowRunner.resolvePinData
 * honours pins in manual and evaluation runs only). For those runs, each pinned node's items are
 * made real: a pinned trigger gets a Code node after it that returns them; any other pinned node
 * becomes a Code node of the same name that returns them. Connections downstream stay as they are.
 */
export function withPinsAsNodes(workflow: Workflow): Workflow {
	const pins = workflow.pinData ?? {};
	if (!Object.keys(pins).length) return workflow;
	let nodes = [...workflow.nodes];
	const connections: Connections = JSON.parse(JSON.stringify(workflow.connections)) as Connections;
	for (const [name, items] of Object.entries(pins)) {
		const node = nodes.find((candidate) => candidate.name === name);
		if (!node) continue;
		const isTrigger = /trigger$/i.test(node.type);
		if (!isTrigger) {
			nodes = nodes.map((candidate) =>
				candidate === node
					? { ...codeNodeReturning(name, items, node.position), id: node.id }
					: candidate,
			);
			continue;
		}
		const pinnedName = `${name} (pinned items)`;
		nodes.push(
			codeNodeReturning(pinnedName, items, [node.position[0] + 110, node.position[1] + 160]),
		);
		connections[pinnedName] = connections[name] ?? { main: [[]] };
		connections[name] = { main: [[{ node: pinnedName, type: 'main', index: 0 }]] };
	}
	return { ...workflow, nodes, connections, pinData: {} };
}

/** The `import:credentials` file: one Nexthink API credential, region custom, pointing at the simulator. */
export function simulatorCredentialFile(credentials: object): string {
	return `${JSON.stringify(
		[{ id: CREDENTIAL_ID, name: CREDENTIAL_NAME, type: 'nexthinkApi', data: credentials }],
		null,
		2,
	)}\n`;
}
