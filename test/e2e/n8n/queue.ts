/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: starts PostgreSQL, Redis and n8n in queue mode as child processes in a temp folder, never runs inside n8n */
/**
 * n8n in queue mode, as users run it when one process is not enough: one main (`n8n start`:
 * editor, REST, production webhooks, triggers and polling) puts executions on a Redis queue, and
 * workers (`n8n worker`) take them; all share one PostgreSQL database and one encryption key.
 *
 * Everything lives in a temp folder and on free ports of 127.0.0.1: Debian's PostgreSQL server
 * (its own cluster: initdb, then `postgres` as a child process, run as user postgres when the
 * suite is root, since PostgreSQL refuses root), Debian's redis-server (child process, no
 * persistence), and each n8n process its own user folder with the packed package installed as a
 * community package, its own task-runner broker port, and a name in the environment variable
 * PROCESS_NAME_VARIABLE (workflows read it with `$env`, so an execution can record which process
 * ran it). Every child runs in its own process group (processes.ts): stop() ends them all and
 * removes the folders, and a killed run's groups and folders go as for any other e2e instance.
 */
import { randomBytes } from 'node:crypto';
import {
	chmodSync,
	chownSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { N8nInstance } from './instance';
import type { PackedPackage } from './package';
import {
	cleanEnv,
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
import type { N8nRuntime } from './runtime';
import { ensureSystemPackage, POSTGRESQL_SERVER, REDIS_SERVER } from './system-packages';

/** Each n8n process of a cluster finds its name here (`main`, `worker-1`, …); workflows read it as `$env.NEXTHINK_E2E_PROCESS`. */
export const PROCESS_NAME_VARIABLE = 'NEXTHINK_E2E_PROCESS';

const DATABASE = 'n8n';
const DATABASE_USER = 'n8n';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

async function sleep(ms: number): Promise<void> {
	await new Promise((done) => setTimeout(done, ms));
}

/** The user PostgreSQL runs as when the suite is root (Debian's package creates `postgres`). */
async function postgresUser(): Promise<{ uid: number; gid: number }> {
	const [uid, gid] = await Promise.all(
		['-u', '-g'].map(async (flag) => await run('id', [flag, 'postgres'], { timeoutMs: 10_000 })),
	);
	if (uid.code !== 0 || gid.code !== 0)
		throw new Error(
			'PostgreSQL refuses to run as root, and there is no user "postgres" to run it as (Debian\'s postgresql package creates it: apt-get install -y postgresql).',
		);
	return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** A PostgreSQL server of its own: a fresh cluster in `folder`, on a free port of 127.0.0.1, database `n8n`, user `n8n`, no password (trust). */
export class PostgresServer {
	private server?: BackgroundProcess;

	private constructor(
		readonly bin: string,
		readonly folder: string,
		readonly port: number,
	) {}

	/** Runs one of PostgreSQL's programs, as user postgres when the suite is root. */
	private async tool(name: string, args: string[], timeoutMs = 60_000): Promise<RunResult> {
		const program = join(this.bin, name);
		const [command, commandArgs] = isRoot()
			? [
					'setpriv',
					['--reuid=postgres', '--regid=postgres', '--clear-groups', '--', program, ...args],
				]
			: [program, args];
		return await run(command, commandArgs, {
			cwd: this.folder,
			env: cleanEnv({ LC_ALL: 'C', PGTZ: 'UTC' }),
			timeoutMs,
		});
	}

	static async start(folder: string, log: Log = say): Promise<PostgresServer> {
		const started = Date.now();
		const postgres = await ensureSystemPackage(POSTGRESQL_SERVER, log);
		mkdirSync(folder, { recursive: true });
		chmodSync(folder, 0o700);
		if (isRoot()) {
			const { uid, gid } = await postgresUser();
			chownSync(folder, uid, gid);
		}
		const server = new PostgresServer(dirname(postgres), folder, await freePort());
		const data = join(folder, 'data');
		const init = await server.tool('initdb', [
			'-D',
			data,
			'-U',
			DATABASE_USER,
			'--auth=trust',
			'--encoding=UTF8',
			'--locale=C',
			'--no-sync',
			'--no-instructions',
		]);
		if (init.code !== 0)
			throw new Error(
				`initdb failed (${init.code ?? init.signal}):\n${tail(`${init.stdout}\n${init.stderr}`)}`,
			);
		const logFile = join(dirname(folder), 'postgres.log');
		// A throwaway database: no fsync, no socket outside the folder, loopback only.
		const args = [
			'-D',
			data,
			'-p',
			String(server.port),
			'-k',
			folder,
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
		];
		const program = join(server.bin, 'postgres');
		server.server = isRoot()
			? startBackground(
					'setpriv',
					['--reuid=postgres', '--regid=postgres', '--clear-groups', '--', program, ...args],
					{ cwd: folder, env: cleanEnv({ LC_ALL: 'C' }), logFile },
				)
			: startBackground(program, args, { cwd: folder, env: cleanEnv({ LC_ALL: 'C' }), logFile });
		const exited = new Promise<string>((resolve) =>
			server.server?.child.once('exit', (code, signal) =>
				resolve(`postgres exited (${code ?? signal})`),
			),
		);
		for (;;) {
			const ready = await run(
				join(server.bin, 'pg_isready'),
				['-h', '127.0.0.1', '-p', String(server.port), '-U', DATABASE_USER, '-d', 'postgres'],
				{ env: cleanEnv(), timeoutMs: 10_000 },
			);
			if (ready.code === 0) break;
			const gone = await Promise.race([exited, sleep(200).then(() => undefined)]);
			if (gone) throw new Error(`${gone}:\n${server.logTail(logFile)}`);
			if (Date.now() - started > 60_000)
				throw new Error(
					`PostgreSQL did not accept connections within 60 s:\n${server.logTail(logFile)}`,
				);
		}
		await server.psql('postgres', `CREATE DATABASE ${DATABASE}`);
		log(
			`  PostgreSQL ${server.bin.split('/').slice(-2, -1)[0]} on 127.0.0.1:${server.port} (${folder}): ${seconds(Date.now() - started)}`,
		);
		return server;
	}

	private logTail(logFile: string): string {
		return existsSync(logFile) ? tail(readFileSync(logFile, 'utf8')) : '(no log)';
	}

	private async psql(database: string, command: string): Promise<string> {
		const result = await run(
			join(this.bin, 'psql'),
			[
				'-X',
				'-q',
				'-A',
				'-t',
				'-v',
				'ON_ERROR_STOP=1',
				'-h',
				'127.0.0.1',
				'-p',
				String(this.port),
				'-U',
				DATABASE_USER,
				'-d',
				database,
				'-c',
				command,
			],
			{ env: cleanEnv({ PGCONNECT_TIMEOUT: '10' }), timeoutMs: 60_000 },
		);
		if (result.code !== 0)
			throw new Error(
				`psql failed on "${command}":\n${tail(`${result.stdout}\n${result.stderr}`)}`,
			);
		return result.stdout;
	}

	/** The rows of a query on n8n's database, as JSON objects (column names as n8n spells them: quote camelCase ones). */
	async query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
		const out = await this.psql(
			DATABASE,
			`SELECT coalesce(json_agg(row_to_json(q)), '[]'::json) FROM (${sql}) q`,
		);
		return JSON.parse(out.trim() || '[]') as T[];
	}

	/** n8n's environment for this database. */
	n8nEnv(): Record<string, string> {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.port),
			DB_POSTGRESDB_DATABASE: DATABASE,
			DB_POSTGRESDB_USER: DATABASE_USER,
			DB_POSTGRESDB_PASSWORD: '',
		};
	}

	/** Stops the server (its clients must be gone: a smart shutdown waits for them, then SIGKILL after 10 s). */
	async stop(): Promise<void> {
		await this.server?.stop();
		this.server = undefined;
	}
}

/** Sends PING, resolves true on +PONG. */
async function redisPing(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		let answer = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(2_000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString('utf8');
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

/** A Redis of its own: a child process on a free port of 127.0.0.1, nothing saved to disk. */
export class RedisServer {
	private constructor(
		readonly port: number,
		private server: BackgroundProcess | undefined,
	) {}

	static async start(folder: string, log: Log = say): Promise<RedisServer> {
		const started = Date.now();
		const binary = await ensureSystemPackage(REDIS_SERVER, log);
		mkdirSync(folder, { recursive: true });
		const port = await freePort();
		const logFile = join(dirname(folder), 'redis.log');
		const server = startBackground(
			binary,
			[
				'--port',
				String(port),
				'--bind',
				'127.0.0.1',
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				folder,
				'--daemonize',
				'no',
			],
			{ cwd: folder, env: cleanEnv(), logFile },
		);
		const exited = new Promise<string>((resolve) =>
			server.child.once('exit', (code, signal) =>
				resolve(`redis-server exited (${code ?? signal})`),
			),
		);
		while (!(await redisPing(port))) {
			const gone = await Promise.race([exited, sleep(100).then(() => undefined)]);
			const log = existsSync(logFile) ? tail(readFileSync(logFile, 'utf8')) : '(no log)';
			if (gone) throw new Error(`${gone}:\n${log}`);
			if (Date.now() - started > 30_000)
				throw new Error(`redis-server did not answer PING within 30 s:\n${log}`);
		}
		log(`  Redis on 127.0.0.1:${port}: ${seconds(Date.now() - started)}`);
		return new RedisServer(port, server);
	}

	n8nEnv(): Record<string, string> {
		return {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.port),
		};
	}

	async stop(): Promise<void> {
		await this.server?.stop();
		this.server = undefined;
	}
}

export interface QueueClusterOptions {
	runtime: N8nRuntime;
	pkg: PackedPackage;
	/** How many `n8n worker` processes (default 2). */
	workers?: number;
	/** `n8n worker --concurrency` (default 5). */
	concurrency?: number;
	/** More environment for main only (e.g. N8N_LOG_LEVEL=debug, so that its log shows the polls). */
	mainEnv?: Record<string, string>;
	log?: Log;
}

/**
 * PostgreSQL, Redis, one n8n main and `workers` n8n workers. create() sets everything up short of
 * starting n8n (so that the CLI can import into the database first: `cluster.main.cli(...)`),
 * start() starts main and the workers together.
 */
export class QueueCluster {
	postgres?: PostgresServer;
	redis?: RedisServer;
	main!: N8nInstance;
	workers: N8nInstance[] = [];
	readonly encryptionKey = randomBytes(24).toString('hex');

	private constructor(
		readonly folder: string,
		private readonly options: QueueClusterOptions,
		private readonly log: Log,
	) {}

	/** The process names, main first: what `$env.NEXTHINK_E2E_PROCESS` answers in each. */
	static processName(index: number): string {
		return index === 0 ? 'main' : `worker-${index}`;
	}

	/** PostgreSQL and Redis started, the user folders ready; nothing of n8n runs yet. On failure, whatever started is stopped. */
	static async create(options: QueueClusterOptions): Promise<QueueCluster> {
		const log = options.log ?? say;
		// The `n8n-nexthink-` prefix and owner.pid: instance.ts removes the folder if this run is killed.
		const folder = mkdtempSync(join(tmpdir(), 'n8n-nexthink-queue-'));
		writeFileSync(join(folder, 'owner.pid'), String(process.pid));
		chmodSync(folder, 0o711); // user postgres goes through it to its own folder
		const cluster = new QueueCluster(folder, options, log);
		let ready = false;
		try {
			// One apt-get at a time, if either has to be installed.
			cluster.postgres = await PostgresServer.start(join(folder, 'postgres'), log);
			cluster.redis = await RedisServer.start(join(folder, 'redis'), log);
			const shared = {
				...cluster.postgres.n8nEnv(),
				...cluster.redis.n8nEnv(),
				N8N_ENCRYPTION_KEY: cluster.encryptionKey,
				// Workflows of the test read PROCESS_NAME_VARIABLE with $env (n8n blocks $env by default).
				N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
			};
			const count = options.workers ?? 2;
			const created = await Promise.allSettled(
				Array.from(
					{ length: count + 1 },
					async (_, index) =>
						await N8nInstance.create({
							runtime: options.runtime,
							pkg: options.pkg,
							mode: 'community',
							log,
							env: {
								...shared,
								[PROCESS_NAME_VARIABLE]: QueueCluster.processName(index),
								...(index === 0 ? (options.mainEnv ?? {}) : {}),
							},
						}),
				),
			);
			const instances = created.flatMap((outcome) =>
				outcome.status === 'fulfilled' ? [outcome.value] : [],
			);
			[cluster.main, ...cluster.workers] = instances;
			const failed = created.find((outcome) => outcome.status === 'rejected');
			if (failed)
				throw new Error(
					`An n8n user folder could not be prepared: ${String((failed as PromiseRejectedResult).reason)}`,
				);
			ready = true;
			return cluster;
		} finally {
			if (!ready) await cluster.stop();
		}
	}

	/** Starts main (`n8n start`) and every worker (`n8n worker --concurrency=<n>`) at once; resolves when all are ready. */
	async start(): Promise<void> {
		await Promise.all([
			this.main.start(),
			...this.workers.map(
				async (worker) => await worker.startWorker({ concurrency: this.options.concurrency ?? 5 }),
			),
		]);
	}

	/** Stops main and starts it again on the same port, database and user folder; the workers run on. */
	async restartMain(): Promise<void> {
		const port = this.main.port;
		await this.main.stop({ removeFolder: false });
		await this.main.start(port);
	}

	/** What an n8n process of the cluster wrote (main: index 0), across restarts. */
	logOf(index: number): string {
		const instance = index === 0 ? this.main : this.workers[index - 1];
		const file = instance ? join(instance.userFolder, 'n8n.log') : '';
		return file && existsSync(file) ? readFileSync(file, 'utf8') : '';
	}

	/** Stops n8n (all processes at once), then Redis and PostgreSQL, and removes every folder. */
	async stop(): Promise<void> {
		const started = Date.now();
		const instances = [this.main, ...this.workers].filter(Boolean);
		await Promise.allSettled(instances.map(async (instance) => await instance.stop()));
		await this.redis?.stop().catch(() => undefined);
		await this.postgres?.stop().catch(() => undefined);
		rmSync(this.folder, { recursive: true, force: true });
		this.log(`  queue mode stopped and removed in ${seconds(Date.now() - started)}`);
	}
}
