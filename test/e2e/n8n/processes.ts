/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: spawns npm, tar and n8n as child processes and handles signals, never runs inside n8n */
/**
 * Child processes for the e2e tooling: every child runs in its own process group, is tracked
 * here, and is killed (the whole group: n8n starts a task-runner child) when the parent stops,
 * on Ctrl-C, SIGTERM or a normal exit.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';

import { spawnProcess } from './child-process';

export type Log = (line: string) => void;

/** Writes one line to stdout (tooling may not use console). */
export const say: Log = (line) => {
	process.stdout.write(`${line}\n`);
};

export function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Variables that `npm run` or jest set and that would mislead a child npm or n8n: this
 * repository's `ignore-scripts`, `nodedir` and prefixes would leak into the runtime's own installs,
 * npm_node_execpath names Node 20, and with NODE_ENV=test n8n's logger stays silent. The user's
 * own npm settings (registry, proxy, cafile) pass through.
 */
const DROPPED = new Set([
	'INIT_CWD',
	'NODE_OPTIONS',
	'NODE_ENV',
	'JEST_WORKER_ID',
	'npm_command',
	'npm_execpath',
	'npm_node_execpath',
	'npm_config_local_prefix',
	'npm_config_prefix',
	'npm_config_global_prefix',
	'npm_config_ignore_scripts',
	'npm_config_nodedir',
	'npm_config_node_gyp',
	'npm_config_user_agent',
	'npm_config_npm_version',
]);

/** The environment for a child npm or n8n: without DROPPED and npm's package and lifecycle variables, `prependPath` first on PATH. */
export function cleanEnv(
	extra: Record<string, string> = {},
	prependPath: string[] = [],
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^npm_(package|lifecycle)_/i.test(key) || DROPPED.has(key)) continue;
		env[key] = value;
	}
	if (prependPath.length) env.PATH = [...prependPath, env.PATH ?? ''].join(':');
	return { ...env, ...extra };
}

const running = new Set<ChildProcess>();
let handlersInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The group is already gone.
	}
}

/** Kills every tracked process group at once (SIGKILL): for exit paths that cannot wait. */
export function killAllNow(): void {
	for (const child of running) killGroup(child, 'SIGKILL');
	running.clear();
}

function installHandlers(): void {
	if (handlersInstalled) return;
	handlersInstalled = true;
	process.once('exit', killAllNow);
}

function track(child: ChildProcess): void {
	installHandlers();
	running.add(child);
	child.once('exit', () => running.delete(child));
}

/** Stops a child's process group: SIGTERM, then SIGKILL after `graceMs`. Resolves once it exited. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	killGroup(child, 'SIGTERM');
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	running.delete(child);
}

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Kill the command's group after this long (default 15 minutes). */
	timeoutMs?: number;
	/** Also copy the output here as it comes (for long installs). */
	echo?: Log;
}

/** Runs a command to its end in its own process group and collects its output. */
export async function run(
	command: string,
	args: string[],
	options: RunOptions = {},
): Promise<RunResult> {
	const started = Date.now();
	const child = spawnProcess(command, args, {
		cwd: options.cwd,
		env: options.env ?? cleanEnv(),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	track(child);
	let stdout = '';
	let stderr = '';
	const forward = (chunk: Buffer, sink: 'out' | 'err') => {
		const text = chunk.toString('utf8');
		if (sink === 'out') stdout += text;
		else stderr += text;
		if (options.echo)
			for (const line of text.split('\n')) if (line.trim()) options.echo(`    ${line}`);
	};
	child.stdout?.on('data', (chunk: Buffer) => forward(chunk, 'out'));
	child.stderr?.on('data', (chunk: Buffer) => forward(chunk, 'err'));
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), options.timeoutMs ?? 15 * 60_000);
	return await new Promise<RunResult>((resolve, reject) => {
		child.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			running.delete(child);
			resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
		});
	});
}

/** The last `count` non-empty lines of some output, for error messages. */
export function tail(text: string, count = 15): string {
	return text
		.split('\n')
		.filter((line) => line.trim())
		.slice(-count)
		.join('\n');
}

export interface BackgroundProcess {
	child: ChildProcess;
	logFile: string;
	stop(): Promise<void>;
}

/** Starts a long-running command (n8n start) in its own group, its output going to `logFile`. */
export function startBackground(
	command: string,
	args: string[],
	options: { cwd?: string; env: NodeJS.ProcessEnv; logFile: string },
): BackgroundProcess {
	const log: WriteStream = createWriteStream(options.logFile, { flags: 'a' });
	const spawnOptions: SpawnOptions = {
		cwd: options.cwd,
		env: options.env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	};
	const child = spawnProcess(command, args, spawnOptions);
	track(child);
	child.stdout?.pipe(log, { end: false });
	child.stderr?.pipe(log, { end: false });
	child.once('close', () => log.end());
	return {
		child,
		logFile: options.logFile,
		stop: async () => await stopProcess(child),
	};
}

async function portIsFree(port: number, host: string): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = createServer();
		// In use: not free. Any other error (no IPv6 on this machine): nothing can listen there either.
		server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'EADDRINUSE'));
		server.listen({ port, host, exclusive: true }, () => {
			server.close(() => resolve(true));
		});
	});
}

/** `preferred` if nothing listens there (on 127.0.0.1 and ::), else the next free one; a port chosen by the OS without `preferred`. */
export async function freePort(preferred?: number): Promise<number> {
	if (preferred === undefined) {
		return await new Promise((resolve, reject) => {
			const server = createServer();
			server.once('error', reject);
			server.listen({ port: 0, host: '127.0.0.1' }, () => {
				const address = server.address();
				const port = typeof address === 'object' && address ? address.port : 0;
				server.close(() => resolve(port));
			});
		});
	}
	for (let port = preferred; port < preferred + 100; port++) {
		if ((await portIsFree(port, '127.0.0.1')) && (await portIsFree(port, '::'))) return port;
	}
	throw new Error(`No free port in ${preferred}–${preferred + 99}`);
}

/** Runs `onSignal` once on the first Ctrl-C or SIGTERM; a second signal kills every child at once and exits. */
export function onStopSignal(onSignal: (signal: NodeJS.Signals) => Promise<void>): void {
	let stopping = false;
	const handler = (signal: NodeJS.Signals) => {
		if (stopping) {
			killAllNow();
			process.exit(130);
		}
		stopping = true;
		void onSignal(signal).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
	};
	process.on('SIGINT', handler);
	process.on('SIGTERM', handler);
}

/** Polls `probe` every 500 ms until it gives a value; fails saying what it waited for. */
export async function waitFor<T>(
	what: string,
	timeoutMs: number,
	probe: () => Promise<T | undefined>,
): Promise<T> {
	const started = Date.now();
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() - started > timeoutMs)
			throw new Error(`Gave up after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((done) => setTimeout(done, 500));
	}
}
