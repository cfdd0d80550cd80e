/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: reads the example files, never runs inside n8n */
/**
 * Every workflow in examples/ must run against the simulator: its Nexthink nodes are executed
 * with their saved parameters (and, where the example feeds them, the input items it pins).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { nexthinkTestbed, type NexthinkTestbed } from '../support/nexthink';

interface ExampleNode {
	name: string;
	type: string;
	parameters: INodeParameters;
}
interface Example {
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
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
		const feeds = connections.main.some((branch) =>
			branch.some((target) => target.node === nodeName),
		);
		if (!feeds) continue;
		const upstream = outputs.get(source);
		if (upstream) return upstream.map((item) => ({ json: item.json }));
		if (example.pinData?.[source]) return example.pinData[source];
	}
	return [{ json: {} }];
}

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
		expect(
			nodes.length +
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
	});
});
