/**
 * The package installed as a community package (node types `n8n-nodes-nexthink.*`) in a real
 * n8n 2.40.7: every example workflow that starts by hand runs with n8n's CLI against the
 * simulator, and is checked from both ends (the items n8n printed, the requests the simulator
 * received). The trigger example needs an active workflow: server.e2e.ts runs it.
 */
import { startSimulator, type LogEntry, type NexthinkSimulator } from '../simulator';
import {
	entriesBetween,
	loadExamples,
	N8nInstance,
	SimulatorControl,
	type ExecutionResult,
} from './n8n';
import { checkEndpoints, checkGeneric, SPECIFIC_CHECKS } from './support/expectations';
import { phase } from './support/phases';
import { e2eSetup } from './support/setup';

const examples = loadExamples();
const runnable = examples.filter((example) => !example.isTrigger);

describe('community package: every example runs with n8n execute', () => {
	let sim: NexthinkSimulator | undefined;
	let n8n: N8nInstance | undefined;
	let runs = new Map<string, ExecutionResult>();
	let log: LogEntry[] = [];

	beforeAll(async () => {
		const { runtime, pkg } = await e2eSetup();
		const simulator = await startSimulator({ exportTimings: { submittedMs: 0, inProgressMs: 0 } });
		sim = simulator;
		const control = new SimulatorControl(simulator.apiBaseUrl);
		const instance = await phase(
			'community: user folder + package as community package',
			async () => await N8nInstance.create({ runtime, pkg, mode: 'community' }),
		);
		n8n = instance;
		await phase(`community: import credential + ${examples.length} examples`, async () => {
			await instance.importSimulatorCredential(simulator.credentials());
			await instance.importExamples(examples, { forCli: true });
		});
		await control.reset();
		runs = await phase(
			`community: execute ${runnable.length} examples (n8n execute-batch)`,
			async () => await instance.executeWorkflows(runnable.map((example) => example.id)),
		);
		log = await control.log();
	}, 15 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await sim?.stop();
	});

	it('has examples to run, and a trigger example for server.e2e.ts', () => {
		expect(runnable.length).toBeGreaterThan(0);
		expect(examples.some((example) => example.isTrigger)).toBe(true);
	});

	it.each(runnable.map((example) => [example.key, example] as const))(
		'%s: n8n ran it and the simulator received what it sent',
		(_key, example) => {
			const run = runs.get(example.id);
			if (!run)
				throw new Error(`n8n execute-batch returned nothing for ${example.key} (${example.id})`);
			const requests = entriesBetween(log, run.startedAt, run.stoppedAt);
			const context = { example, run, requests };
			checkGeneric(context);
			checkEndpoints(context);
			SPECIFIC_CHECKS[example.key]?.(context);
		},
	);
});
