/**
 * A running n8n (`n8n start`) with the package installed as a community package, on each line
 * the package supports (2.40.7, then 1.123.81; one n8n at a time):
 *  - the editor's node list (`GET /types/nodes.json`) offers the Nexthink node as an AI tool,
 *    `n8n-nodes-nexthink.nexthinkTool`, and the trigger as none;
 *  - the trigger example (examples/trigger-export-completed.json), activated, polls on its own:
 *    an execution appears with the rows of the export the simulator served.
 *
 *  - "Fetch Test Event" (a manual run of the trigger) runs one export to completion and returns its
 *    rows. n8n 1.x gives polls no getPollBudgetMs: the trigger then waits its own 110 s at most.
 *
 *  - the New or Changed Rows example (examples/trigger-new-or-changed-rows.json: #devices_low_disk
 *    under 10 GB, keyed by device.name, Emit Present Rows on First Poll off), activated with Emit
 *    switched to New or Changed Rows (the example emits new rows only): the activation poll records
 *    the present rows (the static data n8n saved holds them) and emits nothing; the test then adds a
 *    row (a device drops under 10 GB) and changes one (another device's free space) through the
 *    simulator's control API, and the next scheduled poll makes one execution holding exactly those
 *    two rows, `_change` new and changed; the poll a minute later, nothing changed, makes none; n8n
 *    is stopped, a third device drops under 10 GB, n8n starts again: its start-up poll emits that
 *    one row only, so what the trigger remembered (saved when its poll emitted) survived the restart.
 *    About 2 minutes per line: two scheduled polls a minute apart, and a restart. The examples'
 *    ids have 16 characters: n8n 1.x saves no static data for a longer one (n8n/examples.ts).
 *
 * Poll times: n8n refuses anything more often than once a minute. The tests give the trigger a
 * custom cron "<s> * * * * *" (once a minute, at second s) with s about 10 s after activation, so
 * the first scheduled poll comes ~10 s later instead of up to a minute (n8n 2.40.7 takes a 6-field
 * custom cron as is; see PollTriggerJobRegistrar.seededCron). Activation itself runs one poll
 * (export trigger: it starts the export; the scheduled poll finds it completed, the simulator's
 * exports complete at once here, and emits its rows). n8n saves a trigger's static data at
 * activation (after that poll) and when a poll emits, not after a poll that returns nothing; at
 * start n8n activates the active workflows again, which polls once.
 *
 * Each test picks its example by file name (examples/<key>.json), not by file order.
 */
import { sleep } from 'n8n-workflow';

import { RECORD_CHARS } from '../../nodes/NexthinkTrigger/rowMemory';
import { startSimulator, type Device, type NexthinkSimulator } from '../simulator';
import { seededFreeDiskGb } from '../simulator/data/diskSpace';
import {
	lineVersion,
	loadExamples,
	N8N_LINES,
	N8nInstance,
	N8nRest,
	newOwner,
	say,
	SimulatorControl,
	waitFor,
	type Example,
	type ExecutionSummary,
} from './n8n';
import { phase } from './support/phases';
import { e2eSetup } from './support/setup';

const OWNER = newOwner('e2e-owner@example.com', 'E2E', 'Owner');

const ROWS_EXAMPLE = 'trigger-new-or-changed-rows';

const examples = loadExamples();

/** examples/<key>.json, as n8n imports it. */
function exampleByKey(key: string): Example {
	const example = examples.find((candidate) => candidate.key === key);
	if (!example) throw new Error(`examples/${key}.json is missing`);
	return example;
}

/** An execution that has ended, whatever its status. */
const settled = (execution: ExecutionSummary) =>
	execution.status !== 'running' && execution.status !== 'new';

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

		/**
		 * Sets the trigger node to poll once a minute at `second` (and any other `parameters`),
		 * then activates the workflow.
		 */
		async function activatePollingAt(
			workflowId: string,
			triggerName: string,
			second: number,
			parameters: Record<string, unknown> = {},
		) {
			const stored = await rest.getWorkflow(workflowId);
			const nodes = stored.nodes.map((node) =>
				node.name === triggerName
					? {
							...node,
							parameters: {
								...node.parameters,
								...parameters,
								pollTimes: { item: [{ mode: 'custom', cronExpression: `${second} * * * * *` }] },
							},
						}
					: node,
			);
			await rest.updateWorkflow(workflowId, { nodes });
			const active = await rest.activateWorkflow(workflowId);
			expect(active.active).toBe(true);
		}

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
			const example = exampleByKey('trigger-export-completed');
			expect(example.isTrigger).toBe(true);
			const triggerNode = example.workflow.nodes.find((node) =>
				node.type.endsWith('.nexthinkTrigger'),
			);
			if (!triggerNode) throw new Error(`${example.key} has no Nexthink Trigger`);
			await control.reset();

			const second = Math.floor(Date.now() / 1000 + 10) % 60;
			const activatedAt = await phase(
				`server ${version}: trigger set to poll at second s, then activated`,
				async () => {
					await activatePollingAt(example.id, triggerNode.name, second);
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
			const example = exampleByKey('trigger-export-completed');
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

		it(
			'runs the New or Changed Rows example once it is active: activation records the rows and emits nothing; the next poll emits the new and the changed row, the one after nothing; after a restart only a row new since then',
			async () => {
				const example = exampleByKey(ROWS_EXAMPLE);
				expect(example.id.length).toBeLessThanOrEqual(16);
				const triggerNode = example.workflow.nodes.find((node) =>
					node.type.endsWith('.nexthinkTrigger'),
				);
				if (!triggerNode) throw new Error(`${example.key} has no Nexthink Trigger`);
				// What the test relies on, as the example has it. Emit Present Rows on First Poll is off:
				// the first poll records the rows and emits nothing.
				const options = (triggerNode.parameters.options ?? {}) as Record<string, unknown>;
				expect(triggerNode.parameters).toMatchObject({
					event: 'newOrChangedRows',
					queryId: '#devices_low_disk',
					parameters: { parameter: [{ name: 'max_free_gb', value: '10' }] },
					keyColumns: 'device.name',
				});
				expect(options.emitOnFirstPoll ?? false).toBe(false);
				expect(options.convertTypes).toBe(true);
				const instance = n8n as N8nInstance;
				const simulator = sim as NexthinkSimulator;
				await control.reset();

				// The seeded rows of #devices_low_disk (devices under 10 GB), and devices not in them.
				const below = simulator.data.devices.filter((device) => seededFreeDiskGb(device) < 10);
				const [newDevice, laterDevice] = simulator.data.devices.filter(
					(device) => seededFreeDiskGb(device) >= 10,
				);
				const changedDevice = below[0];
				const changedGb = seededFreeDiskGb(changedDevice) === 1 ? 2 : 1;
				expect(below.length).toBeGreaterThan(10);
				/** A row as the trigger emits it (Convert Types: the free space is a number). */
				const rowOf = (device: Device, gb: number, change: 'new' | 'changed') => ({
					'device.name': device.name,
					'device.collector.uid': device.collectorUid,
					'device.operating_system.platform': device.osPlatform,
					'device.#free_disk_space_gb': gb,
					_change: change,
					_via: 'execute',
				});
				const byName = (rows: Array<Record<string, unknown>>) =>
					[...rows].sort((a, b) =>
						String(a['device.name']).localeCompare(String(b['device.name'])),
					);
				/** What the trigger remembers, as n8n saved it. */
				const savedState = async () =>
					(await rest.nodeStaticData(example.id, triggerNode.name))?.newOrChangedRows as
						| { records?: string; present?: number; rows?: number; via?: string; polledAt?: string }
						| undefined;
				const executeCalls = async () =>
					(await control.log()).filter((entry) => entry.endpoint === 'nql.execute.v2');
				const executionsOf = async () => await rest.listExecutions({ workflowId: example.id });

				// 1. Activation: its poll records the present rows, n8n saves them, nothing is emitted.
				const second = Math.floor(Date.now() / 1000 + 10) % 60;
				await phase(
					`server ${version}: New or Changed Rows set to poll at second s, emit new and changed rows, then activated`,
					async () => {
						const stored = await rest.getWorkflow(example.id);
						expect(stored.staticData ?? {}).toEqual({});
						await activatePollingAt(example.id, triggerNode.name, second, { emit: 'newOrChanged' });
					},
				);
				const recorded = await waitFor(
					'the activation poll to record the rows (static data saved)',
					30_000,
					async () => {
						const state = await savedState();
						return state?.records ? state : undefined;
					},
				);
				expect(recorded).toMatchObject({
					present: below.length,
					rows: below.length,
					via: 'execute',
				});
				expect(recorded.records).toHaveLength(below.length * RECORD_CHARS);
				const [activationCall, ...laterCalls] = await executeCalls();
				expect(laterCalls).toEqual([]);
				expect(activationCall.body).toEqual({
					queryId: '#devices_low_disk',
					parameters: { max_free_gb: '10' },
				});
				expect(activationCall.headers.accept).toBe('text/csv');
				expect((await control.counters())['nql.export']).toBeUndefined();
				expect(await executionsOf()).toEqual([]);

				// 2. One new row, one changed row (control API); the next scheduled poll emits both.
				await control.setFreeDiskSpace(newDevice.name, 4);
				await control.setFreeDiskSpace(changedDevice.name, changedGb);
				const changedAt = Date.now();
				const [first] = await phase(
					`server ${version}: wait for the first scheduled poll to emit the new and the changed row`,
					async () =>
						await waitFor('an execution of the New or Changed Rows workflow', 150_000, async () => {
							const found = (await executionsOf()).filter(settled);
							return found.length ? found : undefined;
						}),
				);
				expect(await executionsOf()).toHaveLength(1);
				expect(first).toMatchObject({ mode: 'trigger', status: 'success' });
				expect(Date.parse(first.startedAt)).toBeGreaterThan(changedAt);
				const emitted = await rest.getExecution(first.id);
				const rows = emitted.items(triggerNode.name);
				expect(byName(rows)).toEqual(
					byName([rowOf(newDevice, 4, 'new'), rowOf(changedDevice, changedGb, 'changed')]),
				);
				expect(emitted.items('Open a ticket per device')).toEqual(rows);
				const [, emittingCall, ...otherCalls] = await executeCalls();
				expect(otherCalls).toEqual([]);
				expect(Date.parse(emittingCall.at)).toBeGreaterThanOrEqual(changedAt);
				// The emitting poll's state, saved by n8n: one key more, present now.
				const afterEmit = await waitFor('the emitting poll state to be saved', 15_000, async () => {
					const state = await savedState();
					return state?.polledAt !== recorded.polledAt ? state : undefined;
				});
				expect(afterEmit).toMatchObject({ present: below.length + 1, rows: below.length + 1 });
				expect(afterEmit?.records).toHaveLength((below.length + 1) * RECORD_CHARS);

				// 3. The poll a minute later, nothing changed: no execution.
				const quietCall = await phase(
					`server ${version}: wait for the next scheduled poll (nothing changed)`,
					async () =>
						await waitFor('the next scheduled poll (a third NQL Execute)', 100_000, async () => {
							const call = (await executeCalls())[2];
							return call?.ms !== undefined ? call : undefined;
						}),
				);
				expect(Date.parse(quietCall.at) - Date.parse(emittingCall.at)).toBeGreaterThan(50_000);
				expect(quietCall.status).toBe(200);
				// Time for an execution it would have started to show (the check after the restart
				// below, ~30 s later, sees the same list).
				await sleep(5_000);
				expect((await executionsOf()).map((execution) => execution.id)).toEqual([first.id]);
				const beforeStop = await savedState();
				expect(beforeStop).toMatchObject({
					records: afterEmit?.records,
					present: afterEmit?.present,
				});
				say(
					`  ${version}: state saved after the quiet poll: polledAt ${beforeStop?.polledAt === afterEmit?.polledAt ? 'unchanged (not saved: the poll returned nothing)' : `moved to ${beforeStop?.polledAt}`}`,
				);

				// 4. n8n stops; a third device drops under 10 GB; n8n starts again. Its start-up
				// activation polls once: with what the trigger remembered back from the database it emits
				// that device only (lost memory would make it a first poll: nothing emitted; a memory of
				// the activation only would emit the two rows of step 2 again).
				const port = instance.port;
				const restartedAt = await phase(
					`server ${version}: n8n stopped, a device drops under 10 GB, n8n started again`,
					async () => {
						await instance.stop({ removeFolder: false });
						await control.setFreeDiskSpace(laterDevice.name, 5);
						const stoppedAt = Date.now();
						rest = new N8nRest(await instance.start(port), instance.line);
						await rest.login(OWNER.email, OWNER.password);
						return stoppedAt;
					},
				);
				const afterRestart = await phase(
					`server ${version}: wait for the poll after the restart to emit`,
					async () =>
						await waitFor('an execution after the restart', 120_000, async () => {
							const found = (await executionsOf()).filter(settled);
							return found.length > 1 ? found : undefined;
						}),
				);
				expect(afterRestart).toHaveLength(2);
				const restartRun = afterRestart.find((execution) => execution.id !== first.id);
				expect(restartRun).toMatchObject({ mode: 'trigger', status: 'success' });
				expect(Date.parse(restartRun?.startedAt ?? '')).toBeGreaterThan(restartedAt);
				const emittedAfterRestart = await rest.getExecution(restartRun?.id ?? '');
				expect(emittedAfterRestart.items(triggerNode.name)).toEqual([rowOf(laterDevice, 5, 'new')]);
				const calls = await executeCalls();
				say(
					`  ${version}: after the restart, NQL Execute ${Math.round((Date.parse(calls[3]?.at ?? '') - restartedAt) / 1000)} s after the stop; ${calls.length} calls in all; execution ${restartRun?.id} started ${Math.round((Date.parse(restartRun?.startedAt ?? '') - restartedAt) / 1000)} s after the stop`,
				);
				const afterRestartState = await waitFor(
					'the state of the poll after the restart to be saved',
					15_000,
					async () => {
						const state = await savedState();
						return state?.present === below.length + 2 ? state : undefined;
					},
				);
				expect(afterRestartState.records).toHaveLength((below.length + 2) * RECORD_CHARS);

				const log = await control.log();
				expect(log.filter((entry) => entry.status >= 400)).toEqual([]);
				expect(log.filter((entry) => entry.endpoint.startsWith('nql.export'))).toEqual([]);

				await rest.deactivateWorkflow(example.id);
			},
			8 * 60_000,
		);
	},
);
