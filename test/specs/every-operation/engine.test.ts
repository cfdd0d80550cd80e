/**
 * The execution engine's scheduling, through n8n-core's real ExecuteContext: a probe node hands
 * it tasks that only wait, so that what is checked is the engine's own order and bounds.
 */
import {
	NodeConnectionTypes,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
} from 'n8n-workflow';

import { runTasks, type Task } from '../../../nodes/Nexthink/shared/engine';
import { chunk } from '../../../nodes/Nexthink/shared/plan';
import { runNode } from '../../harness';

interface Probe {
	running: number;
	peak: number;
	started: number[];
}

function engineProbe(
	probe: Probe,
	count: number,
	concurrency: number,
	failing?: number,
): INodeType {
	return {
		description: {
			displayName: 'Engine Probe',
			name: 'engineProbe',
			group: ['transform'],
			version: 1,
			description: 'Runs tasks through the execution engine',
			defaults: { name: 'Engine Probe' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const tasks = Array.from(
				{ length: count },
				(_, index): Task<number> => ({
					itemIndexes: [index],
					targets: [`target-${index}`],
					send: async () => {
						probe.started.push(index);
						probe.running++;
						probe.peak = Math.max(probe.peak, probe.running);
						// Later tasks finish first: output order must not follow completion order.
						await sleep(5 + (count - index) * 2);
						probe.running--;
						if (index === failing) throw new Error(`task ${index} failed`);
						return index * 10;
					},
				}),
			);
			return [
				await runTasks(this, tasks, {
					concurrency,
					triggersAction: false,
					toItems: (answer) => [{ json: { answer } }],
				}),
			];
		},
	};
}

const input = (count: number) => Array.from({ length: count }, (_, i) => ({ json: { i } }));

describe('Execution engine', () => {
	it('never runs more than the concurrency at once, and outputs in input order', async () => {
		const probe: Probe = { running: 0, peak: 0, started: [] };
		const [out] = await runNode({
			nodeType: engineProbe(probe, 12, 3),
			parameters: {},
			input: input(12),
		});

		expect(probe.peak).toBe(3);
		expect(out.map((item) => item.json.answer)).toEqual(
			Array.from({ length: 12 }, (_, i) => i * 10),
		);
		expect(out.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 12 }, (_, item) => ({ item })),
		);
	});

	it('starts nothing after a failure without Continue On Fail', async () => {
		const probe: Probe = { running: 0, peak: 0, started: [] };
		await expect(
			runNode({ nodeType: engineProbe(probe, 12, 1, 4), parameters: {}, input: input(12) }),
		).rejects.toThrow('task 4 failed');
		expect(probe.started).toEqual([0, 1, 2, 3, 4]);
	});

	it('runs every task with Continue On Fail, the failed one as its error item', async () => {
		const probe: Probe = { running: 0, peak: 0, started: [] };
		const [out] = await runNode({
			nodeType: engineProbe(probe, 6, 2, 4),
			parameters: {},
			input: input(6),
			onError: 'continueRegularOutput',
		});
		expect(probe.started.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(out.map((item) => item.json.answer ?? item.json.error)).toEqual([
			0,
			10,
			20,
			30,
			'task 4 failed',
			50,
		]);
		expect((out[4].json.details as { targets: string[] }).targets).toEqual(['target-4']);
	});

	/** One task whose answer becomes `entries` (json + itemIndexes), through runTasks. */
	const outputProbe = (
		entries: () => Array<{ json: IDataObject; itemIndexes?: number[] }>,
		itemIndexes: number[],
	): INodeType => ({
		description: { ...engineProbe({ running: 0, peak: 0, started: [] }, 0, 1).description },
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const task: Task<number> = { itemIndexes, send: async () => 1 };
			return [
				await runTasks(this, [task], {
					concurrency: 1,
					triggersAction: false,
					toItems: () => entries(),
				}),
			];
		},
	});

	it('outputs 300,000 items of one answer (an export as rows), paired with the task’s item', async () => {
		const [out] = await runNode({
			nodeType: outputProbe(
				() => Array.from({ length: 300_000 }, (_, row) => ({ json: { row } })),
				[0],
			),
			parameters: {},
			input: input(1),
		});
		expect(out).toHaveLength(300_000);
		expect(out[299_999]).toEqual({ json: { row: 299_999 }, pairedItem: { item: 0 } });
	});

	it('puts items answered out of input order back in input order, stable, each with its own pairing', async () => {
		const [out] = await runNode({
			nodeType: outputProbe(
				() => [
					{ json: { n: 'c' }, itemIndexes: [2] },
					{ json: { n: 'a1' }, itemIndexes: [0] },
					{ json: { n: 'b' }, itemIndexes: [1, 2] },
					{ json: { n: 'a2' }, itemIndexes: [0] },
					{ json: { n: 'all' } },
				],
				[0, 1, 2],
			),
			parameters: {},
			input: input(3),
		});
		expect(out.map((item) => [item.json.n, item.pairedItem])).toEqual([
			['a1', { item: 0 }],
			['a2', { item: 0 }],
			['all', [{ item: 0 }, { item: 1 }, { item: 2 }]],
			['b', [{ item: 1 }, { item: 2 }]],
			['c', { item: 2 }],
		]);
	});

	it('chunks 25,000 targets into requests of at most 10,000', () => {
		const sizes = chunk(
			Array.from({ length: 25000 }, (_, i) => i),
			10000,
		).map((c) => c.length);
		expect(sizes).toEqual([10000, 10000, 5000]);
	});
});
