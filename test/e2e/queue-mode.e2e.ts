/**
 * The package in n8n's queue mode: PostgreSQL and Redis (Debian's, started by the test on free
 * ports of 127.0.0.1, data in a temp folder), one main (`n8n start`) and two workers
 * (`n8n worker --concurrency=5`), the packed package installed as a community package in each
 * of the three user folders (test/e2e/n8n/queue.ts).
 *
 * Which process ran an execution comes from n8n's own records: every workflow here saves the name
 * of the process running it (`$env.NEXTHINK_E2E_PROCESS`) as the execution's custom data
 * (Execution Data node, table execution_metadata), cross-checked with the workers' logs ("Worker
 * started execution <id>"). Executions start the ways that go through the queue: production
 * webhooks and an active trigger on main (`n8n execute` would run in a process of its own).
 *
 *  1. a burst: 10 webhook calls at once, over two workers, one credential: at most one token
 *     request per worker process, and Nexthink sees each workflow trigger once;
 *  2. every example that starts by hand, started by a webhook instead of its Manual Trigger, runs
 *     on a worker and does what it does in the other suites (support/expectations.ts);
 *  3. the trigger example: it polls on main, each completed export is emitted once and its
 *     execution runs on a worker, and its state (static data in PostgreSQL) survives a restart
 *     of main with an export pending.
 */
import { request } from 'undici';

import { startSimulator, type LogEntry, type NexthinkSimulator } from '../simulator';
import {
	entriesBetween,
	loadExamples,
	N8nRest,
	newOwner,
	QueueCluster,
	say,
	waitFor,
	type ExecutionDetails,
	type ExecutionResult,
	type Workflow,
} from './n8n';
import { checkEndpoints, checkGeneric, SPECIFIC_CHECKS } from './support/expectations';
import { phase } from './support/phases';
import {
	BURST_PATH,
	BURST_WORKFLOW_ID,
	burstWorkflow,
	minutePollTimes,
	PROCESS_KEY,
	triggerVariant,
	webhookPath,
	webhookVariant,
} from './support/queue-workflows';
import { e2eSetup } from './support/setup';

const OWNER = newOwner('e2e-queue@example.com', 'Queue', 'Owner');
const WORKERS = 2;
const WORKER_NAMES = Array.from({ length: WORKERS }, (_, i) => QueueCluster.processName(i + 1));
const BURST = 10;

const examples = loadExamples();
const runnable = examples.filter((example) => example.startsByHand);
const triggerExample = examples.find((example) => example.key === 'trigger-export-completed');

/** Calls that make Nexthink do something: each must reach it once. */
const TRIGGERING =
	/^(remoteAction\.execute|workflow\.execute|workflow\.thinklet|campaign\.trigger)/;

interface ExecutionRow {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	createdAt: string;
	startedAt: string | null;
	stoppedAt: string | null;
	/** The custom data `process`: the n8n process that ran it. */
	process: string | null;
}

/** `GET /webhook/<path>` on main; production webhooks answer once the execution ended (Respond: last node). */
async function callWebhook(baseUrl: string, path: string): Promise<number> {
	const response = await request(`${baseUrl}/webhook/${path}`, {
		headersTimeout: 120_000,
		bodyTimeout: 120_000,
	});
	await response.body.dump();
	return response.statusCode;
}

/** An execution read over REST, in the shape support/expectations.ts checks. */
function asResult(details: ExecutionDetails): ExecutionResult {
	const error = details.error
		? [details.error.message, details.error.description].filter(Boolean).join(': ')
		: undefined;
	return {
		workflowId: details.workflowId,
		status: details.status,
		error,
		startedAt: Date.parse(details.startedAt),
		stoppedAt: Date.parse(details.stoppedAt ?? ''),
		runData: details.runData,
		items: details.items,
		raw: details,
	};
}

const sqlText = (value: string) => `'${value.replace(/'/g, "''")}'`;

describe('queue mode: main + 2 workers, PostgreSQL, Redis', () => {
	let sim: NexthinkSimulator | undefined;
	let cluster: QueueCluster | undefined;
	let rest: N8nRest;
	const exampleRuns = new Map<string, { row: ExecutionRow; run: ExecutionResult; http: number }>();
	let examplesLog: LogEntry[] = [];

	const queue = (): QueueCluster => {
		if (!cluster) throw new Error('queue mode did not start');
		return cluster;
	};

	async function executionsOf(workflowId: string): Promise<ExecutionRow[]> {
		const postgres = queue().postgres;
		if (!postgres) throw new Error('PostgreSQL did not start');
		return await postgres.query<ExecutionRow>(
			`SELECT e.id::text AS id, e."workflowId" AS "workflowId", e.mode, e.status,
				e."createdAt" AS "createdAt", e."startedAt" AS "startedAt", e."stoppedAt" AS "stoppedAt",
				m.value AS process
			FROM execution_entity e
			LEFT JOIN execution_metadata m ON m."executionId" = e.id AND m.key = ${sqlText(PROCESS_KEY)}
			WHERE e."workflowId" = ${sqlText(workflowId)}
			ORDER BY e.id`,
		);
	}

	/**
	 * The workflow's executions once at least `count` have ended. A worker writes the execution's
	 * custom data after its end time: a few more seconds are given for it (then the rows are
	 * returned as they are, for the assertions to say what is missing).
	 */
	async function settledExecutions(
		workflowId: string,
		count: number,
		timeoutMs: number,
	): Promise<ExecutionRow[]> {
		const ended = await waitFor(
			`${count} ended execution(s) of ${workflowId}`,
			timeoutMs,
			async () => {
				const rows = await executionsOf(workflowId);
				return rows.length >= count && rows.every((row) => row.stoppedAt) ? rows : undefined;
			},
		);
		if (ended.every((row) => row.process !== null)) return ended;
		return await waitFor(`the custom data of ${workflowId}'s executions`, 10_000, async () => {
			const rows = await executionsOf(workflowId);
			return rows.every((row) => row.process !== null) ? rows : undefined;
		}).catch(async () => await executionsOf(workflowId));
	}

	async function staticDataOf(
		workflowId: string,
	): Promise<Record<string, Record<string, unknown>>> {
		const postgres = queue().postgres;
		if (!postgres) throw new Error('PostgreSQL did not start');
		const [row] = await postgres.query<{
			staticData: Record<string, Record<string, unknown>> | null;
		}>(
			`SELECT "staticData" AS "staticData" FROM workflow_entity WHERE id = ${sqlText(workflowId)}`,
		);
		return row?.staticData ?? {};
	}

	/** The processes whose log says "Worker started execution <id>" (main is index 0, never a worker). */
	function startedBy(executionId: string): string[] {
		const line = new RegExp(`Worker started execution ${executionId} \\(job`);
		return [0, ...WORKER_NAMES.map((_, i) => i + 1)]
			.filter((index) => line.test(queue().logOf(index)))
			.map((index) => QueueCluster.processName(index));
	}

	function expectRanOnAWorker(row: ExecutionRow): void {
		expect({ id: row.id, process: row.process }).toEqual({
			id: row.id,
			process: expect.stringMatching(/^worker-\d+$/),
		});
		// The worker's own log names the same execution; no other process started it.
		expect({ id: row.id, startedBy: startedBy(row.id) }).toEqual({
			id: row.id,
			startedBy: [row.process],
		});
	}

	/** Each execution ended in success, started as `mode`, and ran on a worker. */
	function expectSucceededOnWorkers(rows: ExecutionRow[], mode: string): void {
		for (const row of rows) {
			expect({ id: row.id, mode: row.mode, status: row.status }).toEqual({
				id: row.id,
				mode,
				status: 'success',
			});
			expectRanOnAWorker(row);
		}
	}

	beforeAll(async () => {
		const { runtime, pkg } = await e2eSetup();
		const simulator = await startSimulator({ exportTimings: { submittedMs: 0, inProgressMs: 0 } });
		sim = simulator;
		const started = await phase(
			'queue: PostgreSQL + Redis + 3 user folders with the package',
			async () =>
				await QueueCluster.create({
					runtime,
					pkg,
					workers: WORKERS,
					concurrency: 5,
					// The polls show in main's log at debug level ("Poll trigger initiated …").
					mainEnv: { N8N_LOG_LEVEL: 'debug' },
				}),
		);
		cluster = started;
		const trigger = triggerExample ? triggerVariant(triggerExample).workflow : undefined;
		const workflows: Workflow[] = [
			...runnable.map((example) => webhookVariant(example)),
			burstWorkflow(),
			...(trigger ? [trigger] : []),
		];
		const tooLong = workflows.filter((workflow) => workflow.name.length > 128);
		if (tooLong.length)
			throw new Error(
				`PostgreSQL keeps workflow names of up to 128 characters (workflow_entity.name), n8n's import fails on longer ones: shorten ${tooLong.map((workflow) => `"${workflow.name}"`).join(', ')}`,
			);
		await phase(
			`queue: import credential + ${workflows.length} workflows (CLI, migrates PostgreSQL)`,
			async () => {
				await started.main.importSimulatorCredential(simulator.credentials());
				await started.main.importWorkflows(workflows);
			},
		);
		await phase(
			'queue: n8n start + 2 × n8n worker, until ready',
			async () => await started.start(),
		);
		rest = new N8nRest(started.main.baseUrl);
		await phase('queue: owner, sign-in, activate the webhook workflows', async () => {
			await rest.setupOwner(OWNER);
			await rest.login(OWNER.email, OWNER.password);
			const ids = [...runnable.map((example) => example.id), BURST_WORKFLOW_ID];
			for (const id of ids) expect((await rest.activateWorkflow(id)).active).toBe(true);
			// Activation answers before the production webhooks are registered (table webhook_entity).
			await waitFor('the production webhooks of every activated workflow', 30_000, async () => {
				const rows = await started.postgres?.query<{ workflowId: string }>(
					'SELECT DISTINCT "workflowId" AS "workflowId" FROM webhook_entity',
				);
				const registered = new Set((rows ?? []).map((row) => row.workflowId));
				return ids.every((id) => registered.has(id)) ? true : undefined;
			});
		});
	}, 10 * 60_000);

	afterAll(async () => {
		await cluster?.stop();
		await sim?.stop();
	}, 120_000);

	it('has examples that start by hand and a trigger example, each with a name PostgreSQL takes', () => {
		expect(runnable.length).toBeGreaterThan(0);
		expect(triggerExample).toBeDefined();
		// workflow_entity.name is varchar(128) on PostgreSQL (SQLite does not check): a longer name
		// cannot be imported into a queue-mode n8n.
		expect(
			examples.filter((example) => example.workflow.name.length > 128).map((e) => e.key),
		).toEqual([]);
	});

	it(`runs ${BURST} executions started at once on both workers, with at most one token request per worker and no Nexthink call twice`, async () => {
		const simulator = sim as NexthinkSimulator;
		simulator.reset();
		// Each execution holds its worker for 3 s at least (the simulator's answer waits): the 10
		// jobs, queued well within that time, cannot all fit in one worker's 5 slots.
		simulator.setLatency(3_000);
		const baseUrl = queue().main.baseUrl;
		const statuses = await phase(
			`queue: ${BURST} webhook calls at once`,
			async () =>
				await Promise.all(
					Array.from(
						{ length: BURST },
						async (_, i) => await callWebhook(baseUrl, `${BURST_PATH}?n=${i + 1}`),
					),
				),
		);
		simulator.setLatency(0);
		expect(statuses).toEqual(Array.from({ length: BURST }, () => 200));

		// n8n's records: 10 webhook executions, each run by a worker, both workers used.
		const rows = await settledExecutions(BURST_WORKFLOW_ID, BURST, 30_000);
		expect(rows).toHaveLength(BURST);
		expectSucceededOnWorkers(rows, 'webhook');
		const perProcess = new Map<string, number>();
		for (const row of rows)
			perProcess.set(String(row.process), (perProcess.get(String(row.process)) ?? 0) + 1);
		expect([...perProcess.keys()].sort()).toEqual(WORKER_NAMES);

		// What Nexthink saw.
		const log = [...simulator.log];
		expect(
			log
				.filter((entry) => entry.status < 200 || entry.status >= 300)
				.map((e) => `${e.endpoint} ${e.status}`),
		).toEqual([]);
		const triggers = log.filter((entry) => TRIGGERING.test(entry.endpoint));
		expect(triggers.map((entry) => entry.endpoint.replace(/\.v\d$/, ''))).toEqual(
			Array.from({ length: BURST }, () => 'workflow.execute'),
		);
		const serviceNames = triggers.map(
			(entry) => ((entry.body as { params?: Record<string, string> }).params ?? {}).service_name,
		);
		expect([...serviceNames].sort()).toEqual(
			Array.from({ length: BURST }, (_, i) => `burst-${i + 1}`).sort(),
		);
		expect(simulator.data.workflowExecutions).toHaveLength(BURST);
		// The Source header names the process that sent it: the same split as n8n's records.
		const bySource = new Map<string, LogEntry[]>();
		for (const entry of triggers) {
			const source = entry.headers.source ?? '(none)';
			bySource.set(source, [...(bySource.get(source) ?? []), entry]);
		}
		expect(new Map([...bySource].map(([source, entries]) => [source, entries.length]))).toEqual(
			perProcess,
		);
		// Tokens: each worker process sent one token on all its calls, and the login host was asked
		// at most once per worker process (its cache, coalescing concurrent requests; a worker may
		// also use the token another stored in the credential).
		for (const [source, entries] of bySource)
			expect({
				source,
				tokens: new Set(entries.map((entry) => entry.headers.authorization)).size,
			}).toEqual({
				source,
				tokens: 1,
			});
		const tokenRequests = log.filter((entry) => entry.endpoint === 'token');
		say(
			`  burst: executions per process ${JSON.stringify(Object.fromEntries(perProcess))}, token requests ${tokenRequests.length}`,
		);
		expect(tokenRequests.length).toBeGreaterThanOrEqual(1);
		expect(tokenRequests.length).toBeLessThanOrEqual(perProcess.size);
		// Every token sent was issued during the burst (the first calls of these processes).
		const tokensSent = new Set(triggers.map((entry) => entry.headers.authorization));
		expect(tokensSent.size).toBeLessThanOrEqual(tokenRequests.length);
		expect([...tokensSent].every((value) => /^Bearer \S+$/.test(value ?? ''))).toBe(true);
		expect(simulator.rejections).toEqual([]);
	});

	it('runs every example that starts by hand on a worker (started by a production webhook)', async () => {
		const simulator = sim as NexthinkSimulator;
		simulator.reset();
		const baseUrl = queue().main.baseUrl;
		await phase(
			`queue: ${runnable.length} examples, one webhook call after the other`,
			async () => {
				for (const example of runnable) {
					const http = await callWebhook(baseUrl, webhookPath(example));
					const rows = await settledExecutions(example.id, 1, 30_000);
					expect({ example: example.key, executions: rows.length }).toEqual({
						example: example.key,
						executions: 1,
					});
					const run = asResult(await rest.getExecution(rows[0].id));
					exampleRuns.set(example.key, { row: rows[0], run, http });
				}
			},
		);
		examplesLog = [...simulator.log];
		for (const example of runnable) {
			const { row, http } = exampleRuns.get(example.key) ?? {};
			if (!row) throw new Error(`${example.key} did not run`);
			expect({ example: example.key, mode: row.mode, status: row.status, http }).toEqual({
				example: example.key,
				mode: 'webhook',
				status: 'success',
				http: 200,
			});
			expectRanOnAWorker(row);
		}
		// Nexthink saw no triggering call twice, and each lies within one example's execution.
		const accepted = examplesLog.filter(
			(entry) => TRIGGERING.test(entry.endpoint) && entry.status >= 200 && entry.status < 300,
		);
		const keys = accepted.map(
			(entry) => `${entry.method} ${entry.path} ${JSON.stringify(entry.body)}`,
		);
		expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
		for (const entry of accepted) {
			const at = Date.parse(entry.at);
			const within = [...exampleRuns].filter(
				([, { run }]) => at >= run.startedAt && at <= run.stoppedAt,
			);
			expect({ call: `${entry.endpoint} ${entry.path}`, examples: within.length }).toEqual({
				call: `${entry.endpoint} ${entry.path}`,
				examples: 1,
			});
		}
		expect(simulator.rejections).toEqual([]);
	});

	it.each(runnable.map((example) => [example.key, example] as const))(
		'%s: on a worker, n8n ran it and the simulator received what it sent',
		(_key, example) => {
			const found = exampleRuns.get(example.key);
			if (!found) throw new Error(`${example.key} did not run (see the test before)`);
			const requests = entriesBetween(examplesLog, found.run.startedAt, found.run.stoppedAt);
			const context = { example, run: found.run, requests };
			checkGeneric(context);
			checkEndpoints(context);
			SPECIFIC_CHECKS[example.key]?.(context);
		},
	);

	it('polls the trigger on main, emits each completed export once on a worker, and keeps its state across a restart of main', async () => {
		if (!triggerExample) throw new Error('no trigger example in examples/');
		const simulator = sim as NexthinkSimulator;
		const { workflow, triggerNode } = triggerVariant(triggerExample);
		const id = triggerExample.id;
		const stateKey = `node:${triggerNode}`;
		simulator.reset();

		// Activation polls once (on main): the export starts, and n8n stores the state.
		await phase('queue: trigger activated (its first poll starts an export)', async () => {
			expect((await rest.activateWorkflow(id)).active).toBe(true);
		});
		const first = await waitFor(
			'the first export and its state in PostgreSQL',
			30_000,
			async () => {
				const exportId = simulator.data.exports[0]?.exportId;
				const state = (await staticDataOf(id))[stateKey];
				return exportId && state?.exportId === exportId ? exportId : undefined;
			},
		);
		expect(simulator.data.exports).toHaveLength(1);
		expect(await executionsOf(id)).toEqual([]);

		// Main stops with the export pending; the state is in PostgreSQL; main starts again.
		const restartedAt = Date.now();
		await phase('queue: main stopped and started again (same database)', async () => {
			await queue().restartMain();
		});
		rest = new N8nRest(queue().main.baseUrl);
		await rest.login(OWNER.email, OWNER.password);

		// Main's startup activation polls: it finds the pending export completed and emits it.
		const [emittedFirst] = await settledExecutions(id, 1, 60_000);
		expect(Date.parse(emittedFirst.createdAt)).toBeGreaterThan(restartedAt);
		expect(simulator.data.exports).toHaveLength(1);
		const afterRestart = (await staticDataOf(id))[stateKey];
		expect(afterRestart).toMatchObject({ lastExportId: first });
		expect(afterRestart?.exportId).toBeUndefined();

		// A scheduled poll: the trigger, published again with a poll time ~15 s ahead, starts the
		// next export on activation and emits it at that second.
		const second = Math.floor(Date.now() / 1000 + 15) % 60;
		const republishedAt = Date.now();
		await phase('queue: trigger published again, polling at second s', async () => {
			const stored = await rest.getWorkflow(id);
			const nodes = stored.nodes.map((node) =>
				node.name === triggerNode
					? { ...node, parameters: { ...node.parameters, pollTimes: minutePollTimes(second) } }
					: node,
			);
			await rest.updateWorkflow(id, { nodes });
			expect((await rest.activateWorkflow(id)).active).toBe(true);
		});
		const rows = await phase(
			'queue: wait for the scheduled poll to emit',
			async () => await settledExecutions(id, 2, 100_000),
		);
		await rest.deactivateWorkflow(id);
		const settledState = (await staticDataOf(id))[stateKey];

		// Two exports, each emitted once, each execution on a worker.
		const exportsSeen = simulator.data.exports;
		expect(exportsSeen.map((record) => record.exportId)[0]).toBe(first);
		expect(exportsSeen).toHaveLength(2);
		expect(rows).toHaveLength(2);
		expectSucceededOnWorkers(rows, 'trigger');
		expect(Date.parse(rows[1].createdAt)).toBeGreaterThan(republishedAt);
		// Each execution carries the rows of its own export, downloaded once, just before it was created.
		const log = [...simulator.log];
		const downloads = log.filter(
			(entry) => entry.endpoint === 'nql.download' && entry.status === 200,
		);
		const fileOf = (entry: LogEntry) => decodeURIComponent(entry.path.split('/').pop() ?? '');
		expect(downloads.map(fileOf)).toEqual(exportsSeen.map((record) => record.fileName));
		for (const [index, row] of rows.entries()) {
			const created = Date.parse(row.createdAt);
			const before = downloads.filter((entry) => Date.parse(entry.at) <= created).pop();
			expect({ execution: row.id, file: before && fileOf(before) }).toEqual({
				execution: row.id,
				file: exportsSeen[index].fileName,
			});
			const execution = await rest.getExecution(row.id);
			expect(execution.items(triggerNode)).toHaveLength(exportsSeen[index].rowCount);
			expect(execution.items('Devices exported')).toHaveLength(exportsSeen[index].rowCount);
		}
		expect(exportsSeen.every((record) => record.rowCount > 0)).toBe(true);
		expect(settledState).toMatchObject({ lastExportId: exportsSeen[1].exportId });
		expect(settledState?.exportId).toBeUndefined();
		expect(
			log.filter((entry) => entry.status >= 400).map((e) => `${e.endpoint} ${e.status}`),
		).toEqual([]);

		// The polls ran on main: its log has them (activation, restart, new activation, the
		// scheduled one); no worker polled.
		const polled = (index: number) =>
			queue()
				.logOf(index)
				.split('\n')
				.filter((line) => line.includes(`Poll trigger initiated for workflow "${workflow.name}"`))
				.length;
		say(
			`  trigger: ${polled(0)} polls in main's log, executions ${rows.map((row) => `${row.id} on ${row.process}`).join(', ')}`,
		);
		expect(polled(0)).toBeGreaterThanOrEqual(4);
		expect(WORKER_NAMES.map((_, i) => polled(i + 1))).toEqual(WORKER_NAMES.map(() => 0));
		expect(simulator.rejections).toEqual([]);
	});
});
