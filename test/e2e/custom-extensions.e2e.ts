/**
 * The package loaded from a custom extensions folder (N8N_CUSTOM_EXTENSIONS, node types
 * `CUSTOM.*`): the examples are imported with their node types rewritten, and a few of them run
 * one by one with `n8n execute --id … --rawOutput`.
 */
import { startSimulator, type NexthinkSimulator } from '../simulator';
import {
	entriesBetween,
	loadExamples,
	N8nInstance,
	nexthinkNodes,
	SimulatorControl,
	type Example,
	type Workflow,
} from './n8n';
import { checkEndpoints, checkGeneric, SPECIFIC_CHECKS } from './support/expectations';
import { phase } from './support/phases';
import { e2eSetup } from './support/setup';

/** One per resource kind: a query, an action fed by a query, a read. */
const CHOSEN = ['nql-execute', 'remote-action-execute', 'workflow-get'];

const examples = loadExamples();
const chosen = CHOSEN.map((key) => examples.find((example) => example.key === key)).filter(
	(example): example is Example => example !== undefined,
);

describe('custom extensions folder: examples run as CUSTOM.* nodes', () => {
	let sim: NexthinkSimulator | undefined;
	let control: SimulatorControl;
	let n8n: N8nInstance;
	let imported: Workflow[] = [];

	beforeAll(async () => {
		const { runtime, pkg } = await e2eSetup();
		const simulator = await startSimulator({ exportTimings: { submittedMs: 0, inProgressMs: 0 } });
		sim = simulator;
		control = new SimulatorControl(simulator.apiBaseUrl);
		n8n = await phase(
			'custom: user folder + package in N8N_CUSTOM_EXTENSIONS',
			async () => await N8nInstance.create({ runtime, pkg, mode: 'custom' }),
		);
		await phase(
			`custom: import credential + ${examples.length} examples (CUSTOM.* types)`,
			async () => {
				await n8n.importSimulatorCredential(simulator.credentials());
				imported = await n8n.importExamples(examples, { forCli: true });
			},
		);
	}, 15 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await sim?.stop();
	});

	it('has the chosen examples', () => {
		expect(chosen.map((example) => example.key)).toEqual(CHOSEN);
	});

	it.each(chosen.map((example) => [example.key, example] as const))(
		'%s: n8n execute --id runs it from the custom extensions folder',
		async (key, example) => {
			await control.reset();
			const run = await phase(
				`custom: n8n execute ${key}`,
				async () => await n8n.executeWorkflow(example.id),
			);
			// n8n ran the workflow as imported: its Nexthink nodes typed CUSTOM.* (an unknown type would fail the run).
			const workflow = imported.find((candidate) => candidate.id === example.id);
			const types = nexthinkNodes(workflow ?? example.workflow).map((node) => node.type);
			expect(types.length).toBeGreaterThan(0);
			for (const type of types) expect(type).toMatch(/^CUSTOM\.nexthink/);
			for (const node of nexthinkNodes(example.workflow))
				expect(Object.keys(run.runData)).toContain(node.name);
			const requests = entriesBetween(await control.log(), run.startedAt, run.stoppedAt);
			const context = { example, run, requests };
			checkGeneric(context);
			checkEndpoints(context);
			SPECIFIC_CHECKS[key]?.(context);
		},
	);
});
