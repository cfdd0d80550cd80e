/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: reads the example files, never runs inside n8n */
/**
 * Every workflow in examples/ must run against the simulator: its Nexthink nodes are executed
 * with their saved parameters (and, where the example feeds them, the input items it pins).
 * Its Nexthink Tool nodes (`nexthinkTool`, attached to an MCP Server Trigger or an AI Agent) run
 * as tools, through n8n-core's tool path (bed.runAsTool), called with what a model would send.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { nexthinkTestbed, type NexthinkTestbed } from '../support/nexthink';

const TOOL_TYPE = 'n8n-nodes-nexthink.nexthinkTool';

interface ExampleNode {
	name: string;
	type: string;
	parameters: INodeParameters;
}
interface Example {
	name: string;
	nodes: ExampleNode[];
	/** `main` between nodes; `ai_tool` from a tool node to the trigger or agent that uses it. */
	connections: Record<string, Partial<Record<'main' | 'ai_tool', Array<Array<{ node: string }>>>>>;
	/** Items pinned on the node that feeds a Nexthink node are its input. */
	pinData?: Record<string, Array<{ json: INodeExecutionData['json'] }>>;
}

/** The input of a node: what an earlier Nexthink node returned, or the items pinned on its source. */
function inputOf(
	example: Example,
	nodeName: string,
	outputs: Map<string, INodeExecutionData[]>,
): INodeExecutionData[] {
	for (const [source, connections] of Object.entries(example.connections)) {
		const feeds = (connections.main ?? []).some((branch) =>
			branch.some((target) => target.node === nodeName),
		);
		if (!feeds) continue;
		const upstream = outputs.get(source);
		if (upstream) return upstream.map((item) => ({ json: item.json }));
		if (example.pinData?.[source]) return example.pinData[source];
	}
	return [{ json: {} }];
}

/** The `$fromAI()` keys in a tool node's parameters: what the agent must supply, sorted. */
function fromAiKeys(parameters: INodeParameters): string[] {
	const keys = [...JSON.stringify(parameters).matchAll(/\$fromAI\(\s*\\?['"`]([\w-]+)/g)].map(
		(match) => match[1],
	);
	return [...new Set(keys)].sort();
}

/**
 * What a model would pass for each `$fromAI()` key the examples' tools use. A key not listed
 * fails the test: add what an agent would send for it. The remote action is the first one the
 * node's AI Agent Allow-List names (an empty list fails the call, as it should).
 */
const SAMPLE_ARGUMENTS: Record<string, (node: ExampleNode, bed: NexthinkTestbed) => string> = {
	query_id: () => '#all_devices',
	remote_action: (node) =>
		String(node.parameters.aiAgentAllowList ?? '')
			.split(/[\s,]+/)
			.filter(Boolean)[0] ?? '',
	devices: (_node, testbed) =>
		testbed.sim.data.devices
			.slice(0, 2)
			.map((device) => device.collectorUid)
			.join(', '),
	reason: () => 'The user reported that web pages load stale content',
};

const folder = join(__dirname, '..', '..', 'examples');
const files = readdirSync(folder).filter((file) => file.endsWith('.json'));

describe('examples/', () => {
	let bed: NexthinkTestbed;
	beforeAll(async () => {
		bed = await nexthinkTestbed({ exportTimings: { submittedMs: 0, inProgressMs: 0 } });
	});
	afterAll(async () => {
		await bed.close();
	});

	it('has examples', () => {
		expect(files.length).toBeGreaterThan(0);
	});

	it('names each example in at most 128 characters, as PostgreSQL keeps them (queue mode)', () => {
		const tooLong = files.filter(
			(file) =>
				String((JSON.parse(readFileSync(join(folder, file), 'utf8')) as { name?: string }).name)
					.length > 128,
		);
		expect(tooLong).toEqual([]);
	});

	it.each(files)('%s runs against the simulator', async (file) => {
		const example = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Example;
		const nodes = example.nodes.filter((node) => node.type === 'n8n-nodes-nexthink.nexthink');
		const tools = example.nodes.filter((node) => node.type === TOOL_TYPE);
		expect(
			nodes.length +
				tools.length +
				example.nodes.filter((n) => n.type === 'n8n-nodes-nexthink.nexthinkTrigger').length,
		).toBeGreaterThan(0);
		expect(example.name).toMatch(/^Nexthink example: /);
		const outputs = new Map<string, INodeExecutionData[]>();
		bed.sim.reset();
		for (const trigger of example.nodes.filter(
			(n) => n.type === 'n8n-nodes-nexthink.nexthinkTrigger',
		)) {
			// "Fetch Test Event": one export to completion, as the editor runs it.
			const { result } = await bed.poll(trigger.parameters, 'manual');
			expect(result?.[0].length).toBeGreaterThan(0);
			outputs.set(trigger.name, result?.[0] ?? []);
		}
		for (const node of nodes) {
			const input = inputOf(example, node.name, outputs);
			const [output] = await bed.run(node.parameters, input);
			outputs.set(node.name, output);
			expect(output.length).toBeGreaterThan(0);
			for (const item of output) expect(item.json.error).toBeUndefined();
			expect(
				bed.sim.log.some(
					(entry) => entry.status >= 200 && entry.status < 300 && entry.host === 'api',
				),
			).toBe(true);
		}
		// The trigger or agent that uses the tools is n8n's own (an MCP Server Trigger needs an
		// active workflow and an MCP client: test/e2e/mcp-tool.e2e.ts); here each tool runs as n8n
		// runs a tool, called once with what a model would send.
		for (const node of tools) {
			bed.sim.reset();
			const keys = fromAiKeys(node.parameters);
			expect(keys.filter((key) => !(key in SAMPLE_ARGUMENTS))).toEqual([]);
			const call: IDataObject = Object.fromEntries(
				keys.map((key) => [key, SAMPLE_ARGUMENTS[key](node, bed)]),
			);
			const tool = await bed.runAsTool(node.parameters, [call]);
			expect(tool.description).toMatch(/ in Nexthink$/);
			expect([...tool.arguments].sort()).toEqual(keys);
			expect(tool.calls[0].error).toBeUndefined();
			const items = JSON.parse(tool.calls[0].response ?? '[]') as IDataObject[];
			expect(items.length).toBeGreaterThan(0);
			for (const item of items) expect(item.error).toBeUndefined();
			expect(
				bed.sim.log.some(
					(entry) => entry.status >= 200 && entry.status < 300 && entry.host === 'api',
				),
			).toBe(true);
		}
	});
});
