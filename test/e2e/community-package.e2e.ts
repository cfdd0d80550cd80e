/**
 * The package installed as a community package (node types `n8n-nodes-nexthink.*`) in a real
 * n8n, on each line the package supports (2.40.7, then 1.123.81; one n8n at a time): every example
 * workflow that starts by hand runs with n8n's CLI against the simulator, and is checked from both
 * ends (the items n8n printed, the requests the simulator received). The trigger example needs an
 * active workflow: server.e2e.ts runs it. The MCP server example too (an MCP Server Trigger cannot
 * start a CLI run): mcp-tool.e2e.ts calls its tools.
 */
import { startSimulator, type LogEntry, type NexthinkSimulator } from '../simulator';
import {
	entriesBetween,
	lineVersion,
	loadExamples,
	N8N_LINES,
	N8nInstance,
	SimulatorControl,
	type ExecutionResult,
	type N8nRuntime,
} from './n8n';
import {
	EXPECTED_TYPE_ERRORS,
	FEATURE_DETECTED,
	probeRuntimeFeatures,
	typecheckAgainstRuntime,
} from './n8n/compatibility';
import { checkEndpoints, checkGeneric, SPECIFIC_CHECKS } from './support/expectations';
import { phase } from './support/phases';
import { e2eSetup } from './support/setup';

const examples = loadExamples();
const runnable = examples.filter((example) => example.startsByHand);

describe.each(N8N_LINES.map((line) => [lineVersion(line), line] as const))(
	'n8n %s: community package: every example runs with n8n execute',
	(version, line) => {
		let sim: NexthinkSimulator | undefined;
		let n8n: N8nInstance | undefined;
		let runs = new Map<string, ExecutionResult>();
		let log: LogEntry[] = [];
		let n8nRuntime: N8nRuntime | undefined;

		beforeAll(async () => {
			const { runtime, pkg } = await e2eSetup(line);
			n8nRuntime = runtime;
			const simulator = await startSimulator({
				exportTimings: { submittedMs: 0, inProgressMs: 0 },
			});
			sim = simulator;
			const control = new SimulatorControl(simulator.apiBaseUrl);
			const instance = await phase(
				`community ${version}: user folder + package as community package`,
				async () => await N8nInstance.create({ runtime, pkg, mode: 'community' }),
			);
			n8n = instance;
			await phase(
				`community ${version}: import credential + ${examples.length} examples`,
				async () => {
					await instance.importSimulatorCredential(simulator.credentials());
					await instance.importExamples(examples, { forCli: true });
				},
			);
			await control.reset();
			runs = await phase(
				`community ${version}: execute ${runnable.length} examples (n8n execute-batch)`,
				async () => await instance.executeWorkflows(runnable.map((example) => example.id)),
			);
			log = await control.log();
		}, 15 * 60_000);

		afterAll(async () => {
			await n8n?.stop();
			await sim?.stop();
		});

		it(
			FEATURE_DETECTED[line].length
				? `offers what the package uses at run time, except ${FEATURE_DETECTED[line].join(', ')}, which the package checks for`
				: 'offers everything the package uses at run time',
			async () => {
				if (!n8nRuntime) throw new Error(`No n8n ${version} runtime`);
				const runtime = n8nRuntime;
				// n8n-workflow's values and n8n-core's context methods and helpers, in that n8n.
				const found = await phase(
					`community ${version}: probe n8n-workflow + n8n-core`,
					async () => await probeRuntimeFeatures(runtime),
				);
				const missing = Object.entries(found)
					.filter(([, present]) => !present)
					.map(([feature]) => feature);
				expect(missing).toEqual(FEATURE_DETECTED[line]);
				// The package's sources against that n8n's n8n-workflow types.
				const errors = await phase(
					`community ${version}: tsc nodes/ credentials/ against its n8n-workflow`,
					async () => await typecheckAgainstRuntime(runtime),
				);
				expect(errors).toEqual(EXPECTED_TYPE_ERRORS[line]);
			},
		);

		it('has examples to run, a trigger example for server.e2e.ts and an MCP server example for mcp-tool.e2e.ts', () => {
			expect(runnable.length).toBeGreaterThan(0);
			expect(examples.some((example) => example.isTrigger)).toBe(true);
			expect(examples.some((example) => example.isMcpServer)).toBe(true);
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
	},
);
