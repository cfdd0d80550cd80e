/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: runs the n8n CLI and server in a temp user folder, never runs inside n8n */
/**
 * One n8n instance of the runtime's line (2.40.7 or 1.123.81): a fresh user folder (temp dir),
 * this package loaded as a community package or from a custom extensions folder, and the CLI
 * (`import:*`, `execute`, `execute-batch`, activation) and server (`start`) run with Node 24 and
 * a quiet, offline, loopback-only environment. Where the lines differ, the instance does what its
 * line needs (`line`): activation from the CLI is `publish:workflow` on 2.x and
 * `update:workflow --active=true` on 1.x.
 */
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { request } from 'undici';

import {
	simulatorCredentialFile,
	withCustomTypes,
	withPinsAsNodes,
	type Example,
	type Workflow,
} from './examples';
import { installAsCommunityPackage, installAsCustomExtension, type PackedPackage } from './package';
import {
	freePort,
	run,
	say,
	seconds,
	startBackground,
	tail,
	type BackgroundProcess,
	type Log,
	type RunResult,
} from './processes';
import type { N8nLine, N8nRuntime } from './runtime';

/** How n8n finds the package: community package (`n8n-nodes-nexthink.*`) or N8N_CUSTOM_EXTENSIONS (`CUSTOM.*`). */
export type LoadMode = 'community' | 'custom';

export interface InstanceOptions {
	runtime: N8nRuntime;
	pkg: PackedPackage;
	mode: LoadMode;
	log?: Log;
	/** More environment for every n8n process of this instance, CLI and server (queue mode: database, Redis, encryption key). */
	env?: Record<string, string>;
}

export interface NodeRun {
	executionStatus?: string;
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
	error?: { message?: string; description?: string };
}

/** What `n8n execute --rawOutput` prints (n8n's IRun), read. */
export interface ExecutionResult {
	workflowId: string;
	status: string;
	/** The execution's error message, if it failed. */
	error?: string;
	startedAt: number;
	stoppedAt: number;
	runData: Record<string, NodeRun[]>;
	lastNodeExecuted?: string;
	/** The JSON of the items `nodeName` returned on output `output` (first run). */
	items(nodeName: string, output?: number): Array<Record<string, unknown>>;
	raw: unknown;
}

interface RawRun {
	status?: string;
	startedAt?: string;
	stoppedAt?: string;
	data?: {
		resultData?: {
			runData?: Record<string, NodeRun[]>;
			lastNodeExecuted?: string;
			error?: { message?: string; description?: string };
		};
	};
}

function readRun(workflowId: string, raw: RawRun): ExecutionResult {
	const resultData = raw.data?.resultData ?? {};
	const runData = resultData.runData ?? {};
	const error = resultData.error
		? [resultData.error.message, resultData.error.description].filter(Boolean).join(': ')
		: undefined;
	return {
		workflowId,
		status: raw.status ?? (error ? 'error' : 'unknown'),
		error,
		startedAt: Date.parse(raw.startedAt ?? ''),
		stoppedAt: Date.parse(raw.stoppedAt ?? ''),
		runData,
		lastNodeExecuted: resultData.lastNodeExecuted,
		items: (nodeName, output = 0) =>
			(runData[nodeName]?.[0]?.data?.main?.[output] ?? []).map((item) => item.json),
		raw,
	};
}

/** The JSON document in `n8n execute --rawOutput`'s stdout (n8n prints a few log lines before it). */
export function parseRawOutput(stdout: string): RawRun {
	const start = stdout.search(/^\{$/m);
	const endMatch = [...stdout.matchAll(/^\}$/gm)].pop();
	if (start < 0 || !endMatch || endMatch.index === undefined)
		throw new Error(`n8n printed no execution JSON:\n${tail(stdout)}`);
	return JSON.parse(stdout.slice(start, endMatch.index + 1)) as RawRun;
}

const FOLDER_PREFIX = 'n8n-nexthink-';
const OWNER_FILE = 'owner.pid';

function isAlive(pid: number): boolean {
	try {
		return pid > 0 && process.kill(pid, 0);
	} catch {
		return false;
	}
}

/** User folders left by a run that was killed before it could remove them (its owner process is gone). */
function removeAbandonedFolders(): void {
	for (const name of readdirSync(tmpdir())) {
		if (!name.startsWith(FOLDER_PREFIX)) continue;
		const folder = join(tmpdir(), name);
		const ownerFile = join(folder, OWNER_FILE);
		const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8')) : 0;
		if (owner && !isAlive(owner)) rmSync(folder, { recursive: true, force: true });
	}
}

export class N8nInstance {
	readonly userFolder: string;
	readonly n8nFolder: string;
	readonly customFolder: string;
	readonly mode: LoadMode;
	readonly runtime: N8nRuntime;
	/** Set by start(). */
	port = 0;
	private server?: BackgroundProcess;
	private readonly log: Log;
	/** Set by startWorker(): the worker's health-check port (`/healthz`, `/healthz/readiness`). */
	healthPort = 0;
	private readonly extraEnv: Record<string, string>;

	private constructor(options: InstanceOptions, userFolder: string) {
		this.runtime = options.runtime;
		this.mode = options.mode;
		this.log = options.log ?? say;
		this.extraEnv = options.env ?? {};
		this.userFolder = userFolder;
		this.n8nFolder = join(userFolder, '.n8n');
		this.customFolder = join(userFolder, 'custom-extensions');
	}

	/** A fresh user folder (temp dir) with the package installed the `mode` way. */
	static async create(options: InstanceOptions): Promise<N8nInstance> {
		removeAbandonedFolders();
		const userFolder = mkdtempSync(join(tmpdir(), `${FOLDER_PREFIX}${options.mode}-`));
		writeFileSync(join(userFolder, OWNER_FILE), String(process.pid));
		const instance = new N8nInstance(options, userFolder);
		mkdirSync(instance.n8nFolder, { recursive: true });
		mkdirSync(join(userFolder, 'work'), { recursive: true });
		if (options.mode === 'community')
			await installAsCommunityPackage(options.pkg, instance.n8nFolder);
		else await installAsCustomExtension(options.pkg, instance.customFolder);
		return instance;
	}

	/** The n8n line of this instance's runtime: 2.x or 1.x. */
	get line(): N8nLine {
		return this.runtime.line;
	}

	/** The node type prefix this instance loads the package under. */
	get typePrefix(): string {
		return this.mode === 'community' ? 'n8n-nodes-nexthink.' : 'CUSTOM.';
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Quiet, offline, loopback-only n8n; `brokerPort` for the task runner broker every n8n process starts. */
	env(brokerPort: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		return this.runtime.env({
			N8N_USER_FOLDER: this.userFolder,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: 'localhost',
			N8N_PORT: String(this.port || 5678),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			N8N_LOG_LEVEL: 'info',
			...(this.mode === 'custom' ? { N8N_CUSTOM_EXTENSIONS: this.customFolder } : {}),
			...this.extraEnv,
			...extra,
		});
	}

	/** Runs `n8n <args>` to its end; throws with n8n's last lines unless it exits 0 (or `allowFailure`). */
	async cli(
		args: string[],
		options: { allowFailure?: boolean; timeoutMs?: number } = {},
	): Promise<RunResult> {
		const result = await run(this.runtime.nodeBin, [this.runtime.n8nBin, ...args], {
			cwd: join(this.userFolder, 'work'),
			env: this.env(await freePort()),
			timeoutMs: options.timeoutMs ?? 10 * 60_000,
		});
		if (result.code !== 0 && !options.allowFailure)
			throw new Error(
				`n8n ${args.join(' ')} ended with ${result.code ?? result.signal}:\n${tail(`${result.stdout}\n${result.stderr}`, 25)}`,
			);
		return result;
	}

	/** `n8n import:credentials`: the Nexthink API credential (id nexthinkSimulator) pointing at the simulator. */
	async importSimulatorCredential(credentials: object): Promise<void> {
		const file = join(this.userFolder, 'work', 'credentials.json');
		writeFileSync(file, simulatorCredentialFile(credentials));
		const result = await this.cli(['import:credentials', `--input=${file}`]);
		this.log(`  n8n import:credentials: ${seconds(result.ms)}`);
	}

	/** `n8n import:workflow --separate`: all of them in one process. */
	async importWorkflows(workflows: Workflow[]): Promise<void> {
		const folder = join(this.userFolder, 'work', `import-${Date.now()}`);
		mkdirSync(folder, { recursive: true });
		for (const workflow of workflows) {
			if (!workflow.id) throw new Error(`Workflow "${workflow.name}" has no id`);
			writeFileSync(join(folder, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		}
		const result = await this.cli(['import:workflow', '--separate', `--input=${folder}`]);
		if (!result.stdout.includes(`Successfully imported ${workflows.length} workflow`))
			throw new Error(`n8n did not import ${workflows.length} workflows:\n${tail(result.stdout)}`);
		this.log(`  n8n import:workflow (${workflows.length}): ${seconds(result.ms)}`);
	}

	/**
	 * Imports the examples with their stable ids and credential reference, node types for this
	 * instance's load mode. `forCli` turns pinned items into Code nodes (n8n execute ignores pins);
	 * leave it off for an editor (dev), where pins work.
	 */
	async importExamples(examples: Example[], options: { forCli: boolean }): Promise<Workflow[]> {
		const workflows = examples.map((example) => {
			let workflow = example.workflow;
			if (options.forCli) workflow = withPinsAsNodes(workflow);
			if (this.mode === 'custom') workflow = withCustomTypes(workflow);
			return workflow;
		});
		await this.importWorkflows(workflows);
		return workflows;
	}

	/** `n8n execute --id=<id> --rawOutput`, its printed execution read. */
	async executeWorkflow(id: string): Promise<ExecutionResult> {
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput'], { allowFailure: true });
		let raw: RawRun | undefined;
		let parseError = '';
		try {
			raw = parseRawOutput(result.stdout);
		} catch (error) {
			parseError = (error as Error).message;
		}
		if (!raw)
			throw new Error(
				`n8n execute --id=${id} ended with ${result.code ?? result.signal} and ${parseError}\n${tail(result.stderr)}`,
			);
		const execution = readRun(id, raw);
		this.log(`  n8n execute --id=${id}: ${execution.status} (${seconds(result.ms)})`);
		return execution;
	}

	/**
	 * `n8n execute-batch`: several workflows, one after the other, in ONE n8n process (one boot
	 * instead of one per workflow). Each successful run's full execution (what `execute --rawOutput`
	 * prints) comes from its `--snapshot` file; failed ones carry the batch's error message.
	 *
	 * n8n 2.40.7's execute-batch leaves by process.exit() without disposing the isolated-vm
	 * expression engine, and the process often dies of SIGSEGV at that point, after its summary is
	 * written. That exit is accepted only when the summary covers every requested workflow.
	 * 1.123.81 takes the same flags and writes the same summary and snapshots (its runs show exit 0);
	 * both lines are read alike.
	 */
	async executeWorkflows(ids: string[]): Promise<Map<string, ExecutionResult>> {
		const folder = join(this.userFolder, 'work', `batch-${Date.now()}`);
		const snapshots = join(folder, 'snapshots');
		mkdirSync(snapshots, { recursive: true });
		const summaryFile = join(folder, 'summary.json');
		const result = await this.cli(
			[
				'execute-batch',
				`--ids=${ids.join(',')}`,
				`--snapshot=${snapshots}`,
				`--output=${summaryFile}`,
				'--retries=0',
				'--concurrency=1',
			],
			{ allowFailure: true },
		);
		const fail = (why: string) =>
			new Error(
				`n8n execute-batch ${why} (exit ${result.code ?? result.signal}):\n${tail(`${result.stdout}\n${result.stderr}`, 25)}`,
			);
		if (!existsSync(summaryFile)) throw fail('wrote no summary');
		const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as {
			executions: Array<{ workflowId: string; executionStatus: string; error?: string }>;
		};
		const covered = new Set(summary.executions.map((execution) => execution.workflowId));
		const missing = ids.filter((id) => !covered.has(id));
		if (missing.length) throw fail(`did not run ${missing.join(', ')}`);
		if (result.code !== 0 && result.code !== 1 && result.signal !== 'SIGSEGV')
			throw fail('crashed');
		const runs = new Map<string, ExecutionResult>();
		for (const entry of summary.executions) {
			const snapshot = join(snapshots, `${entry.workflowId}-snapshot.json`);
			if (entry.executionStatus === 'success' && existsSync(snapshot)) {
				runs.set(
					entry.workflowId,
					readRun(entry.workflowId, JSON.parse(readFileSync(snapshot, 'utf8')) as RawRun),
				);
			} else {
				const failed = readRun(entry.workflowId, {});
				runs.set(entry.workflowId, {
					...failed,
					status: entry.executionStatus,
					error: entry.error ?? 'no snapshot written',
				});
			}
		}
		const exit = result.signal
			? `${result.signal} at exit, after its summary`
			: `exit ${result.code}`;
		this.log(
			`  n8n execute-batch (${ids.length} workflows, one process): ${seconds(result.ms)}, ${exit}`,
		);
		return runs;
	}

	/**
	 * Activates a workflow from the CLI; it takes effect when n8n next starts. 2.x:
	 * `n8n publish:workflow --id=<id>` (there `update:workflow` is deprecated and calls it); 1.x has
	 * no publish:workflow: `n8n update:workflow --id=<id> --active=true`.
	 */
	async publishWorkflow(id: string): Promise<void> {
		const args =
			this.line === '1.x'
				? ['update:workflow', `--id=${id}`, '--active=true']
				: ['publish:workflow', `--id=${id}`];
		const result = await this.cli(args);
		this.log(`  n8n ${args.join(' ')}: ${seconds(result.ms)}`);
	}

	/**
	 * `n8n start` on `preferredPort` (or the next free one; any free port without it); resolves
	 * once /healthz, /healthz/readiness and the REST API (`GET /rest/settings`) answer 200. n8n 1.x
	 * reports ready before it mounts its REST routes (`POST /rest/owner/setup` answers 404 for a
	 * few seconds): the last check waits for them.
	 */
	async start(preferredPort?: number, timeoutMs = 120_000): Promise<string> {
		const started = Date.now();
		this.port = await freePort(preferredPort);
		const logFile = join(this.userFolder, 'n8n.log');
		this.server = startBackground(this.runtime.nodeBin, [this.runtime.n8nBin, 'start'], {
			cwd: join(this.userFolder, 'work'),
			env: this.env(await freePort()),
			logFile,
		});
		const exited = new Promise<string>((resolve) =>
			this.server?.child.once('exit', (code, signal) =>
				resolve(`n8n start exited (${code ?? signal})`),
			),
		);
		await this.waitForAnswers(
			'n8n',
			this.baseUrl,
			['/healthz', '/healthz/readiness', '/rest/settings'],
			{ started, timeoutMs, exited, logFile },
		);
		this.log(`  n8n start: ready on ${this.baseUrl} in ${seconds(Date.now() - started)}`);
		return this.baseUrl;
	}

	/**
	 * `n8n worker --concurrency=<n>` (queue mode: InstanceOptions.env gives it the database, Redis
	 * and encryption key of its main); resolves once its health check on 127.0.0.1 answers
	 * /healthz and /healthz/readiness with 200. Its output goes to the same log as start()'s;
	 * stop() stops it.
	 */
	async startWorker(options: { concurrency?: number; timeoutMs?: number } = {}): Promise<void> {
		const started = Date.now();
		const timeoutMs = options.timeoutMs ?? 120_000;
		this.healthPort = await freePort();
		const logFile = join(this.userFolder, 'n8n.log');
		const args = ['worker', `--concurrency=${options.concurrency ?? 5}`];
		this.server = startBackground(this.runtime.nodeBin, [this.runtime.n8nBin, ...args], {
			cwd: join(this.userFolder, 'work'),
			env: this.env(await freePort(), {
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(this.healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			}),
			logFile,
		});
		const exited = new Promise<string>((resolve) =>
			this.server?.child.once('exit', (code, signal) =>
				resolve(`n8n ${args.join(' ')} exited (${code ?? signal})`),
			),
		);
		const base = `http://127.0.0.1:${this.healthPort}`;
		await this.waitForAnswers('n8n worker', base, ['/healthz', '/healthz/readiness'], {
			started,
			timeoutMs,
			exited,
			logFile,
		});
		this.log(
			`  n8n ${args.join(' ')}: ready (health check ${base}) in ${seconds(Date.now() - started)}`,
		);
	}

	/** Waits until each path answers 200 in turn; fails when the process exits or time runs out. */
	private async waitForAnswers(
		what: string,
		base: string,
		paths: string[],
		until: { started: number; timeoutMs: number; exited: Promise<string>; logFile: string },
	): Promise<void> {
		const { started, timeoutMs, exited, logFile } = until;
		for (const path of paths) {
			for (;;) {
				if (Date.now() - started > timeoutMs)
					throw new Error(
						`${what} did not answer ${path} with 200 within ${seconds(timeoutMs)}; log: ${logFile}\n${this.logTail()}`,
					);
				const status = await request(`${base}${path}`, {
					headersTimeout: 2_000,
					bodyTimeout: 2_000,
				})
					.then(async (response) => {
						await response.body.dump();
						return response.statusCode;
					})
					.catch(() => 0);
				if (status === 200) break;
				const gone = await Promise.race([
					exited,
					new Promise<undefined>((done) => setTimeout(() => done(undefined), 250)),
				]);
				if (gone) throw new Error(`${gone}; log: ${logFile}\n${this.logTail()}`);
			}
		}
	}

	/** The last lines n8n start wrote. */
	logTail(lines = 30): string {
		const file = join(this.userFolder, 'n8n.log');
		return existsSync(file) ? tail(readFileSync(file, 'utf8'), lines) : '(no log)';
	}

	/** Stops n8n start (its whole process group); with `removeFolder`, deletes the user folder. */
	async stop(options: { removeFolder?: boolean } = { removeFolder: true }): Promise<void> {
		if (this.server) {
			const started = Date.now();
			await this.server.stop();
			this.server = undefined;
			this.log(`  n8n stopped in ${seconds(Date.now() - started)}`);
		}
		if (options.removeFolder) rmSync(this.userFolder, { recursive: true, force: true });
	}
}
