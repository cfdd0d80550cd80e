/**
 * A running n8n (`n8n start`) with the package installed as a community package, on each line
 * the package supports (2.40.7, then 1.123.81; one n8n at a time):
 *  - the editor's node list (`GET /types/nodes.json`) offers the Nexthink node as an AI tool,
 *    `n8n-nodes-nexthink.nexthinkTool`, and the trigger as none;
 *  - the trigger example, activated, polls on its own: an execution appears with the rows of the
 *    export the simulator served.
 *
 *  - "Fetch Test Event" (a manual run of the trigger) runs one export to completion and returns its
 *    rows. n8n 1.x gives polls no getPollBudgetMs: the trigger then waits its own 110 s at most.
 *
 * Poll times: n8n refuses anything more often than once a minute. The test gives the trigger a
 * custom cron "<s> * * * * *" (once a minute, at second s) with s about 10 s after activation, so
 * the first scheduled poll comes ~10 s later instead of up to a minute (n8n 2.40.7 takes a 6-field
 * custom cron as is; see PollTriggerJobRegistrar.seededCron). Activation itself runs one poll,
 * which starts the export; the scheduled poll finds it completed (the simulator's exports complete
 * at once here) and emits its rows.
 */
import { startSimulator, type NexthinkSimulator } from '../simulator';
import {
	lineVersion,
	loadExamples,
	N8N_LINES,
	N8nInstance,
	N8nRest,
	newOwner,
	SimulatorControl,
	waitFor,
	type Example,
} from './n8n';
import { phase } from './support/phases';
import { e2eSetup } from './support/setup';

const OWNER = newOwner('e2e-owner@example.com', 'E2E', 'Owner');

const examples = loadExamples();

describe.each(N8N_LINES.map((line) => [lineVersion(line), line] as const))(
	'n8n %s: n8n start: the package in a running n8n',
	(version, line) => {
		let sim: NexthinkSimulator | undefined;
		let control: SimulatorControl;
		let n8n: N8nInstance | undefined;
		let rest: N8nRest;
		/** The exports the simulator recorded, as its control API lists them. */
		const exportsRecorded = async () =>
			(
				await control.data<{
					exports: Array<{ queryId: string; parameters: Record<string, string>; rowCount: number }>;
				}>()
			).exports;

		beforeAll(async () => {
			const { runtime, pkg } = await e2eSetup(line);
			const simulator = await startSimulator({
				exportTimings: { submittedMs: 0, inProgressMs: 0 },
			});
			sim = simulator;
			control = new SimulatorControl(simulator.apiBaseUrl);
			const instance = await N8nInstance.create({ runtime, pkg, mode: 'community' });
			n8n = instance;
			await phase(
				`server ${version}: import credential + ${examples.length} examples`,
				async () => {
					await instance.importSimulatorCredential(simulator.credentials());
					await instance.importExamples(examples, { forCli: false });
				},
			);
			await phase(`server ${version}: n8n start until /healthz, owner setup, sign-in`, async () => {
				rest = new N8nRest(await instance.start(), instance.line);
				await rest.setupOwner(OWNER);
				await rest.login(OWNER.email, OWNER.password);
			});
		}, 15 * 60_000);

		afterAll(async () => {
			await n8n?.stop();
			await sim?.stop();
		});

		it('lists the Nexthink node as an AI tool (n8n-nodes-nexthink.nexthinkTool), the trigger as none', async () => {
			const types = await phase(
				`server ${version}: GET /types/nodes.json`,
				async () => await rest.nodeTypes(),
			);
			const byName = new Map(types.map((type) => [type.name, type]));
			expect(byName.has('n8n-nodes-nexthink.nexthink')).toBe(true);
			expect(byName.has('n8n-nodes-nexthink.nexthinkTrigger')).toBe(true);
			const tool = byName.get('n8n-nodes-nexthink.nexthinkTool');
			if (!tool) throw new Error('n8n offers no n8n-nodes-nexthink.nexthinkTool');
			expect(JSON.stringify(tool.outputs)).toContain('ai_tool');
			expect(tool.displayName).toMatch(/Nexthink/);
			expect(byName.has('n8n-nodes-nexthink.nexthinkTriggerTool')).toBe(false);
		});

		it('runs the trigger example once it is active: an execution with the export rows', async () => {
			const example = examples.find((candidate) => candidate.isTrigger) as Example;
			expect(example).toBeDefined();
			const triggerNode = example.workflow.nodes.find((node) =>
				node.type.endsWith('.nexthinkTrigger'),
			);
			if (!triggerNode) throw new Error(`${example.key} has no Nexthink Trigger`);
			await control.reset();

			const second = Math.floor(Date.now() / 1000 + 10) % 60;
			const activatedAt = await phase(
				`server ${version}: trigger set to poll at second s, then activated`,
				async () => {
					const stored = await rest.getWorkflow(example.id);
					const nodes = stored.nodes.map((node) =>
						node.name === triggerNode.name
							? {
									...node,
									parameters: {
										...node.parameters,
										pollTimes: {
											item: [{ mode: 'custom', cronExpression: `${second} * * * * *` }],
										},
									},
								}
							: node,
					);
					await rest.updateWorkflow(example.id, { nodes });
					const active = await rest.activateWorkflow(example.id);
					expect(active.active).toBe(true);
					return Date.now();
				},
			);
			// Activation polls once (n8n runs it right after answering): that poll starts the export and emits nothing.
			await waitFor('the activation poll to start an export', 20_000, async () =>
				(await control.counters())['nql.export'] ? true : undefined,
			);
			expect((await control.counters())['nql.export']).toBe(1);
			expect(await rest.listExecutions({ workflowId: example.id })).toEqual([]);

			const summary = await phase(
				`server ${version}: wait for the first scheduled poll to emit`,
				async () =>
					await waitFor('an execution of the trigger workflow', 150_000, async () => {
						const found = await rest.listExecutions({ workflowId: example.id });
						return found.find(
							(execution) => execution.status !== 'running' && execution.status !== 'new',
						);
					}),
			);
			expect(summary).toMatchObject({ mode: 'trigger', status: 'success' });
			expect(Date.parse(summary.startedAt)).toBeGreaterThan(activatedAt);

			const execution = await rest.getExecution(summary.id);
			const rows = execution.items(triggerNode.name);
			const exported = await exportsRecorded();
			expect(exported).toHaveLength(1);
			expect(exported[0].queryId).toBe('#devices_by_os');
			expect(exported[0].parameters).toEqual({ os: 'macOS' });
			expect(rows).toHaveLength(exported[0].rowCount);
			expect(rows.length).toBeGreaterThan(0);
			expect(new Set(rows.map((row) => row['device.operating_system.platform']))).toEqual(
				new Set(['macOS']),
			);
			// The rows went on down the workflow.
			expect(execution.items('Devices exported')).toHaveLength(rows.length);

			const log = await control.log();
			expect(log.map((entry) => entry.endpoint)).toEqual(
				expect.arrayContaining(['nql.export', 'nql.status', 'nql.download']),
			);
			expect(log.find((entry) => entry.endpoint === 'nql.export')?.body).toMatchObject({
				queryId: '#devices_by_os',
				parameters: { os: 'macOS' },
			});
			expect(
				log.find((entry) => entry.endpoint === 'nql.download')?.headers.authorization,
			).toBeUndefined();
			expect(log.filter((entry) => entry.status >= 400)).toEqual([]);

			await rest.deactivateWorkflow(example.id);
		});

		it(`"Fetch Test Event": a manual run of the trigger exports once and returns the rows${line === '1.x' ? ' (no getPollBudgetMs: the wait of its own)' : ''}`, async () => {
			const example = examples.find((candidate) => candidate.isTrigger) as Example;
			const triggerNode = example.workflow.nodes.find((node) =>
				node.type.endsWith('.nexthinkTrigger'),
			);
			if (!triggerNode) throw new Error(`${example.key} has no Nexthink Trigger`);
			await control.reset();

			const summary = await phase(
				`server ${version}: manual run of the trigger until done`,
				async () => {
					const executionId = await rest.runManually(example.id, triggerNode.name);
					return await waitFor(`manual execution ${executionId}`, 150_000, async () => {
						const found = await rest.listExecutions({ workflowId: example.id });
						return found.find(
							(execution) =>
								execution.id === String(executionId) &&
								execution.status !== 'running' &&
								execution.status !== 'new',
						);
					});
				},
			);
			expect(summary).toMatchObject({ mode: 'manual', status: 'success' });
			const execution = await rest.getExecution(summary.id);
			const rows = execution.items(triggerNode.name);
			const exported = await exportsRecorded();
			// One export, followed to completion within the manual run, its rows emitted.
			expect(exported).toHaveLength(1);
			expect(exported[0]).toMatchObject({ queryId: '#devices_by_os', parameters: { os: 'macOS' } });
			expect(rows.length).toBeGreaterThan(0);
			expect(rows).toHaveLength(exported[0].rowCount);
			expect(new Set(rows.map((row) => row['device.operating_system.platform']))).toEqual(
				new Set(['macOS']),
			);
			const log = await control.log();
			expect(log.map((entry) => entry.endpoint)).toEqual(
				expect.arrayContaining(['nql.export', 'nql.status', 'nql.download']),
			);
			expect(log.filter((entry) => entry.status >= 400)).toEqual([]);
		});
	},
);
