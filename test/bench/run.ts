/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- benchmark tooling: a stand-alone process that runs n8n and writes BENCHMARKS.md, never runs inside n8n */
/**
 * `npm run bench [-- --only=<job>[,<job>…]] [--runs=N]`: the package's workflows against the same
 * jobs built from n8n's own nodes, in a real n8n 2.40.7 (the package installed as a community
 * package) and the Nexthink simulator started here. Each side of each job runs in its own
 * `n8n execute` process, one after the other; the script prints one line per job and side, the
 * ratios, n8n's own cost for the same input, and writes BENCHMARKS.md. Not part of `npm test`:
 * figures depend on the machine. Exits 1 when a run fails or does not do the job.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';

import { startSimulator, type EndpointKey, type NexthinkSimulator } from '../simulator';
import {
	buildAndPack,
	CREDENTIAL_ID,
	CREDENTIAL_NAME,
	COMMUNITY_PREFIX,
	ensureRuntime,
	N8nInstance,
	onStopSignal,
	REPO_ROOT,
	run,
	say,
	seconds,
	tail,
	type N8nRuntime,
	type Workflow,
} from '../e2e/n8n';
import {
	BASELINES,
	EXPORT_ROWS,
	JOBS,
	SIMULATOR_OPTIONS,
	type Baseline,
	type Job,
	type Side,
} from './jobs';
import { executeMeasured, itemsOut, nodesMs, workflowMs, type Measured } from './measure';
import {
	baselineLine,
	loadResults,
	median,
	medianFigures,
	plainFetchLine,
	saveResults,
	terminalTable,
	writeBenchmarks,
	type Figures,
	type JobResult,
	type Machine,
} from './report';

const BENCH_DIR = join(REPO_ROOT, 'bench');
const CACHE_DIR = join(REPO_ROOT, '.cache', 'bench');
const RESULTS_FILE = join(CACHE_DIR, 'results.json');
const BENCHMARKS_FILE = join(REPO_ROOT, 'BENCHMARKS.md');
/** The simulator address the workflow files carry (npm run simulator / npm run dev): replaced by this run's. */
const FILE_API_BASE = 'http://127.0.0.1:8901';
const OAUTH_CREDENTIAL_ID = 'nexthinkSimulatorOAuth';
const OAUTH_CREDENTIAL_NAME = 'Nexthink simulator (OAuth2)';

const USAGE = `Usage: npm run bench [-- --only=<job>[,<job>…]] [--runs=N]
  --only=<job>   run these jobs only (their rows in BENCHMARKS.md are replaced, the others kept)
  --runs=N       runs per side (default 1); figures are medians
Jobs: ${JOBS.map((job) => job.name).join(', ')}`;

interface Options {
	jobs: Job[];
	runs: number;
}

function parseArgs(argv: string[]): Options {
	let jobs = JOBS;
	let runs = 1;
	for (const arg of argv) {
		const [flag, value] = arg.split(/=(.*)/s, 2);
		if (flag === '--only' && value) {
			const keys = value.split(',').map((key) => key.trim());
			const unknown = keys.filter((key) => !JOBS.some((job) => job.name === key));
			if (unknown.length) throw new Error(`Unknown job(s) ${unknown.join(', ')}\n\n${USAGE}`);
			jobs = JOBS.filter((job) => keys.includes(job.name));
		} else if (flag === '--runs' && /^[1-9]\d*$/.test(value ?? '')) {
			runs = Number(value);
		} else {
			throw new Error(`${arg === '--help' ? '' : `Unknown option ${arg}\n\n`}${USAGE}`);
		}
	}
	return { jobs, runs };
}

/** bench/<key>.json, pointed at this run's simulator. */
function loadWorkflow(key: string, sim: NexthinkSimulator): Workflow {
	const text = readFileSync(join(BENCH_DIR, `${key}.json`), 'utf8');
	const workflow = JSON.parse(text.split(FILE_API_BASE).join(sim.apiBaseUrl)) as Workflow;
	if (!workflow.id) throw new Error(`bench/${key}.json has no id`);
	const foreign = workflow.nodes.find(
		(node) => node.type.includes('nexthink') && !node.type.startsWith(COMMUNITY_PREFIX),
	);
	if (foreign)
		throw new Error(`bench/${key}.json: node "${foreign.name}" is not ${COMMUNITY_PREFIX}*`);
	return workflow;
}

/** Both credentials, re-imported before every run so that each run starts without a stored token. */
async function importCredentials(instance: N8nInstance, sim: NexthinkSimulator): Promise<void> {
	const file = join(instance.userFolder, 'work', 'bench-credentials.json');
	const oauth2 = {
		grantType: 'clientCredentials',
		accessTokenUrl: sim.tokenUrl,
		clientId: sim.clientId,
		clientSecret: sim.clientSecret,
		scope: 'service:integration',
		authentication: 'header',
	};
	writeFileSync(
		file,
		JSON.stringify([
			{ id: CREDENTIAL_ID, name: CREDENTIAL_NAME, type: 'nexthinkApi', data: sim.credentials() },
			{ id: OAUTH_CREDENTIAL_ID, name: OAUTH_CREDENTIAL_NAME, type: 'oAuth2Api', data: oauth2 },
		]),
	);
	await instance.cli(['import:credentials', `--input=${file}`]);
}

interface RunOutcome {
	figures: Figures;
	problems: string[];
	digest?: string;
}

function countBy(sim: NexthinkSimulator): Map<EndpointKey | 'unknown', number> {
	const counts = new Map<EndpointKey | 'unknown', number>();
	for (const entry of sim.log) counts.set(entry.endpoint, (counts.get(entry.endpoint) ?? 0) + 1);
	return counts;
}

/** One measured run of one workflow, from a reset simulator; what went wrong, if anything. */
async function measureRun(
	instance: N8nInstance,
	sim: NexthinkSimulator,
	workflow: Workflow,
	check: { job?: Job; side?: Side; baseline?: Baseline },
): Promise<RunOutcome> {
	await importCredentials(instance, sim);
	sim.reset(); // log, counters, tokens issued, in-flight peak, latency, query rows
	check.job?.prepare?.(sim);
	const rejectionsBefore = sim.rejections.length;
	const measured: Measured = await executeMeasured(instance, workflow.id as string);
	const problems: string[] = [];
	const { summary } = measured;
	if (measured.failure) problems.push(measured.failure);
	const api = sim.log.filter((entry) => entry.host === 'api' && entry.endpoint !== 'legacyToken');
	const figures: Figures = {
		wallMs: measured.wallMs,
		workflowMs: summary ? workflowMs(summary) : 0,
		rssBytes: measured.peakRssBytes,
		tokens: sim.tokensIssued,
		apiRequests: api.length,
		maxInFlight: sim.maxInFlight,
		downloadMs: downloadMs(sim),
	};
	if (!summary) return { figures, problems };
	if (summary.status !== 'success')
		problems.push(
			`execution ${summary.executionId} ended ${summary.status}: ${summary.error ?? 'no error given'}`,
		);
	for (const [name, runs] of Object.entries(summary.nodes))
		for (const nodeRun of runs)
			if (nodeRun.error) problems.push(`node "${name}" failed: ${nodeRun.error}`);
	const failedAnswer = sim.log.find((entry) => entry.status < 200 || entry.status >= 300);
	if (failedAnswer)
		problems.push(
			`the simulator answered ${failedAnswer.status} to ${failedAnswer.method} ${failedAnswer.path}${failedAnswer.rejected ? ` (${failedAnswer.rejected})` : ''}`,
		);
	if (sim.rejections.length > rejectionsBefore)
		problems.push(
			`the simulator rejected ${sim.rejections.length - rejectionsBefore} request(s) as breaking the contract: ${sim.rejections[rejectionsBefore].reason}`,
		);
	const { job, side, baseline } = check;
	const output = side?.output ?? baseline?.output;
	if (output) {
		const got = itemsOut(summary, output.node);
		if (got !== output.items)
			problems.push(`"${output.node}" gave ${got} item(s), expected ${output.items}`);
		const binary = 'binary' in output && output.binary;
		if (binary && !summary.nodes[output.node]?.some((nodeRun) => nodeRun.binary))
			problems.push(`"${output.node}" gave no binary data`);
	}
	let digest: string | undefined;
	if (job && side) {
		figures.jobMs = nodesMs(summary, side.jobNodes);
		if (side.partNodes) figures.partMs = nodesMs(summary, side.partNodes);
		const missing = side.jobNodes.filter((name) => name !== 'Wait 1 s' && !summary.nodes[name]);
		if (missing.length) problems.push(`node(s) ${missing.join(', ')} did not run`);
		const counts = countBy(sim);
		for (const [endpoint, expected] of Object.entries(job.requests)) {
			const got = counts.get(endpoint as EndpointKey) ?? 0;
			if (got !== expected) problems.push(`${got} ${endpoint} request(s), expected ${expected}`);
		}
		const recorded = job.recorded(sim);
		if ('problem' in recorded) problems.push(recorded.problem);
		else digest = recorded.digest;
	}
	return { figures, problems, digest };
}

/** The export downloads' time as the files host saw it; undefined when there was none. */
function downloadMs(sim: NexthinkSimulator): number | undefined {
	const downloads = sim.log.filter((entry) => entry.endpoint === 'nql.download');
	return downloads.length ? downloads.reduce((sum, entry) => sum + (entry.ms ?? 0), 0) : undefined;
}

/**
 * The live heap of the n8n process while it downloads the export file: `BENCH_NODE_ARGS=--trace-gc`
 * on the export-1m-file job (2026-12-03) showed 160–180 MB live (~300 MB committed) and a
 * Mark-Compact about every 250 ms of the download. A plain fetch in a process holding as much
 * shows what n8n's heap alone costs any download, before any node or binary data store runs.
 */
const N8N_LIVE_HEAP_MIB = 170;

/**
 * Node's fetch of the export file, bytes read and dropped, in its own Node 24 process (as n8n
 * is): what downloading these bytes costs without n8n. Times from the request to the last byte.
 * With `heldHeapMiB`, the process first retains that much of small objects (not timed), so that
 * the garbage collector works as it does in n8n.
 */
async function plainFetch(
	runtime: N8nRuntime,
	sim: NexthinkSimulator,
	heldHeapMiB = 0,
): Promise<{ ms: number; bytes: number; downloadMs?: number; heapMiB: number }> {
	sim.reset();
	sim.setQueryRows('#all_devices', EXPORT_ROWS);
	const basic = Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64');
	const tokenAnswer = await fetch(sim.tokenUrl, {
		method: 'POST',
		headers: {
			authorization: `Basic ${basic}`,
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: 'grant_type=client_credentials&scope=service%3Aintegration',
	});
	const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
	const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
	const started = (await (
		await fetch(`${sim.apiBaseUrl}/api/v1/nql/export`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ queryId: '#all_devices' }),
		})
	).json()) as { exportId: string };
	const status = (await (
		await fetch(`${sim.apiBaseUrl}/api/v1/nql/status/${encodeURIComponent(started.exportId)}`, {
			headers,
		})
	).json()) as { status: string; resultsFileUrl: string };
	if (status.status !== 'COMPLETED') throw new Error(`plain fetch: the export is ${status.status}`);
	// A heap of many small objects, ~1.2 KiB per array of 16: what the collector marks in full.
	const script = `(async () => {
		const held = [];
		for (let i = 0; i < Number(process.argv[2]) * 1024 / 1.2; i++) {
			const group = [];
			for (let j = 0; j < 16; j++) group.push({ a: j, b: 'x' + j });
			held.push(group);
		}
		globalThis.held = held;
		const heapMiB = process.memoryUsage().heapUsed / 1024 / 1024;
		const started = performance.now();
		const response = await fetch(process.argv[1]);
		let bytes = 0;
		for await (const chunk of response.body) bytes += chunk.length;
		process.stdout.write(JSON.stringify({ status: response.status, bytes, ms: performance.now() - started, heapMiB }));
	})();`;
	const result = await run(
		runtime.nodeBin,
		['-e', script, status.resultsFileUrl, String(heldHeapMiB)],
		{
			env: runtime.env(),
		},
	);
	const answer = JSON.parse(result.stdout || '{}') as {
		status?: number;
		bytes?: number;
		ms?: number;
		heapMiB?: number;
	};
	if (result.code !== 0 || answer.status !== 200 || !answer.bytes || answer.ms === undefined)
		throw new Error(
			`plain fetch failed (${result.code}): ${tail(`${result.stdout}\n${result.stderr}`)}`,
		);
	return {
		ms: answer.ms,
		bytes: answer.bytes,
		downloadMs: downloadMs(sim),
		heapMiB: answer.heapMiB ?? 0,
	};
}

function figuresLine(label: string, figures: Figures): string {
	const parts = [
		`wall ${seconds(figures.wallMs)}`,
		`workflow ${seconds(figures.workflowMs)}`,
		...(figures.jobMs !== undefined ? [`job nodes ${seconds(figures.jobMs)}`] : []),
		...(figures.partMs !== undefined ? [`part ${seconds(figures.partMs)}`] : []),
		`peak RSS ${Math.round(figures.rssBytes / 1024 / 1024)} MiB`,
		`tokens ${figures.tokens}`,
		`API ${figures.apiRequests}`,
		`in flight ${figures.maxInFlight}`,
	];
	return `    ${label}: ${parts.join(', ')}`;
}

function machine(runtime: N8nRuntime, packageVersion: string): Machine {
	const cpuList = cpus();
	return {
		cores: cpuList.length,
		cpu: cpuList[0]?.model.trim() ?? 'unknown',
		ramBytes: totalmem(),
		os: `${osType()} ${release()}`,
		nodeScript: process.versions.node,
		nodeN8n: runtime.nodeVersion,
		n8n: runtime.n8nVersion,
		packageVersion,
	};
}

async function main(): Promise<number> {
	let options: Options;
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (error) {
		say((error as Error).message);
		return 2;
	}
	const started = Date.now();
	say(
		`npm run bench: ${options.jobs.map((job) => job.name).join(', ')}; ${options.runs} run(s) per side\n`,
	);
	say('Building and packing the package');
	const pkg = await buildAndPack(CACHE_DIR, say);
	const runtime = await ensureRuntime(say);
	const sim = await startSimulator(SIMULATOR_OPTIONS);
	say(
		`Simulator: ${sim.apiBaseUrl} (${SIMULATOR_OPTIONS.deviceCount.toLocaleString('en')} devices and users)`,
	);
	const instance = await N8nInstance.create({ runtime, pkg, mode: 'community' });
	onStopSignal(async () => {
		await sim.stop();
		await instance.stop();
	});
	const failures: string[] = [];
	try {
		const baselines = BASELINES.filter(
			(baseline) =>
				baseline.name === 'boot-only' || options.jobs.some((job) => job.input === baseline.name),
		);
		const workflows = new Map<string, Workflow>();
		for (const key of [
			...baselines.map((baseline) => baseline.name),
			...options.jobs.flatMap((job) => job.sides.map((side) => `${job.name}.${side.key}`)),
		])
			workflows.set(key, loadWorkflow(key, sim));
		await instance.importWorkflows([...workflows.values()]);

		const at = new Date().toISOString();
		const results = loadResults(RESULTS_FILE, machine(runtime, pkg.version));
		results.updatedAt = at;

		say('\nn8n alone (the input items without the job)');
		for (const baseline of baselines) {
			const runs: Figures[] = [];
			let baselineFailed = false;
			for (let i = 0; i < options.runs; i++) {
				const outcome = await measureRun(instance, sim, workflows.get(baseline.name) as Workflow, {
					baseline,
				});
				say(figuresLine(`${baseline.name} run ${i + 1}`, outcome.figures));
				for (const problem of outcome.problems) failures.push(`${baseline.name}: ${problem}`);
				if (outcome.problems.length) baselineFailed = true;
				runs.push(outcome.figures);
			}
			// As for jobs: a failed run measures nothing, the previous figures stay.
			if (baselineFailed) continue;
			results.baselines[baseline.name] = {
				name: baseline.name,
				title: baseline.title,
				measuredAt: at,
				runs: options.runs,
				items: baseline.output?.items,
				figures: medianFigures(runs),
			};
		}

		const measuredJobs: JobResult[] = [];
		for (const job of options.jobs) {
			say(`\n${job.name}: ${job.title}`);
			const perSide = new Map<string, Figures[]>(job.sides.map((side) => [side.key, []]));
			let jobFailed = false;
			if (job.warmExportFile) {
				const warm = await plainFetch(runtime, sim);
				say(
					`    (the simulator generated the export file once: ${Math.round(warm.bytes / 1024 / 1024)} MiB)`,
				);
			}
			for (let i = 0; i < options.runs; i++) {
				const digests = new Map<string, string>();
				for (const side of job.sides) {
					const workflow = workflows.get(`${job.name}.${side.key}`) as Workflow;
					const outcome = await measureRun(instance, sim, workflow, { job, side });
					say(figuresLine(`${side.label} run ${i + 1}`, outcome.figures));
					for (const problem of outcome.problems) {
						failures.push(`${job.name} / ${side.label}: ${problem}`);
						say(`      FAILED: ${problem}`);
					}
					if (outcome.problems.length) jobFailed = true;
					if (outcome.digest) digests.set(side.label, outcome.digest);
					perSide.get(side.key)?.push(outcome.figures);
				}
				if (new Set(digests.values()).size > 1) {
					jobFailed = true;
					const problem = `the sides did not leave the same records in the simulator (${[...digests].map(([label, digest]) => `${label} ${digest}`).join(', ')})`;
					failures.push(`${job.name}: ${problem}`);
					say(`      FAILED: ${problem}`);
				}
			}
			const result: JobResult = {
				name: job.name,
				title: job.title,
				measuredAt: at,
				runs: options.runs,
				partLabel: job.partLabel,
				sides: job.sides.map((side) => ({
					key: side.key,
					label: side.label,
					figures: medianFigures(perSide.get(side.key) ?? []),
				})),
			};
			if (job.plainFetch) {
				const fetches: Array<Awaited<ReturnType<typeof plainFetch>>> = [];
				const heldFetches: typeof fetches = [];
				for (let i = 0; i < options.runs; i++) {
					fetches.push(await plainFetch(runtime, sim));
					heldFetches.push(await plainFetch(runtime, sim, N8N_LIVE_HEAP_MIB));
				}
				result.plainFetch = {
					ms: median(fetches.map((f) => f.ms)),
					bytes: fetches[0].bytes,
					downloadMs: median(fetches.map((f) => f.downloadMs ?? f.ms)),
					heldHeap: {
						heapMiB: median(heldFetches.map((f) => f.heapMiB)),
						ms: median(heldFetches.map((f) => f.ms)),
						downloadMs: median(heldFetches.map((f) => f.downloadMs ?? f.ms)),
					},
				};
				say(`    ${plainFetchLine(result)}`);
			}
			measuredJobs.push(result);
			// A failed job keeps its previous figures in BENCHMARKS.md: a broken run measures nothing.
			if (!jobFailed) results.jobs[job.name] = result;
		}

		say(
			'\nResults (medians; ratio rows: package / hand-built, below 1 = the package needs less)\n',
		);
		for (const baseline of baselines) say(baselineLine(results.baselines[baseline.name]));
		say('');
		say(terminalTable(measuredJobs));
		for (const job of measuredJobs) {
			const line = plainFetchLine(job);
			if (line) say(line);
		}
		saveResults(RESULTS_FILE, results);
		writeBenchmarks(BENCHMARKS_FILE, results);
		say(`\nBENCHMARKS.md written (${seconds(Date.now() - started)} in all)`);
	} finally {
		await instance.stop();
		await sim.stop();
	}
	if (failures.length) {
		say(
			`\n${failures.length} problem(s): the figures of a failed job are not written to BENCHMARKS.md`,
		);
		for (const failure of failures) say(`  - ${failure}`);
		return 1;
	}
	return 0;
}

main().then(
	(code) => process.exit(code),
	(error: Error) => {
		say(`npm run bench failed: ${error.stack ?? error.message}`);
		process.exit(1);
	},
);
