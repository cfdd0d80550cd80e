/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- benchmark tooling: reads /proc and runs the n8n CLI, never runs inside n8n */
/**
 * One measured `n8n execute --id=<id>`: its wall time, the peak RSS of its process tree (sampled
 * from /proc), and the run as n8n saw it (read by the external hook n8n-run-summary-hook.js).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { freePort, run, tail, type N8nInstance } from '../e2e/n8n';

export const HOOK_FILE = join(__dirname, 'n8n-run-summary-hook.js');

/** One run of one node, as the hook wrote it. */
export interface NodeRunSummary {
	startTime: number;
	executionTime: number;
	status?: string;
	error?: string;
	/** Items per output. */
	items: number[];
	binary: boolean;
	first?: Record<string, unknown>;
}

export interface RunSummary {
	executionId: string;
	status: string;
	error?: string;
	lastNodeExecuted?: string;
	nodes: Record<string, NodeRunSummary[]>;
}

export interface Measured {
	wallMs: number;
	peakRssBytes: number;
	summary?: RunSummary;
	/** Why the run could not be read (n8n crashed, the hook wrote nothing). */
	failure?: string;
}

/** pid → parent pid, for every process /proc lists now. */
function parents(): Map<number, number> {
	const map = new Map<number, number>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			// The command name (2nd field) may hold spaces and parentheses: fields resume after the last ')'.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			map.set(Number(entry), Number(fields[1]));
		} catch {
			// Gone meanwhile.
		}
	}
	return map;
}

function rssBytes(pid: number): number {
	try {
		const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

function isGuard(pid: number): boolean {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('child-process.js');
	} catch {
		return false;
	}
}

/**
 * Samples, every `intervalMs`, the summed VmRSS of every process below this one (n8n and its task
 * runner), leaving out the e2e tooling's small guard process that starts each command. Only one
 * n8n runs at a time, so everything below this process is the n8n being measured.
 */
export class RssSampler {
	private timer?: ReturnType<typeof setInterval>;
	private readonly guards = new Set<number>();
	peakBytes = 0;

	constructor(private readonly intervalMs = 50) {}

	start(): void {
		this.peakBytes = 0;
		this.guards.clear();
		this.timer = setInterval(() => this.sample(), this.intervalMs);
	}

	sample(): void {
		const byParent = new Map<number, number[]>();
		for (const [pid, parent] of parents()) {
			const list = byParent.get(parent) ?? [];
			list.push(pid);
			byParent.set(parent, list);
		}
		let total = 0;
		const queue = [...(byParent.get(process.pid) ?? [])];
		while (queue.length) {
			const pid = queue.shift() as number;
			queue.push(...(byParent.get(pid) ?? []));
			if (this.guards.has(pid)) continue;
			if (isGuard(pid)) {
				this.guards.add(pid);
				continue;
			}
			total += rssBytes(pid);
		}
		if (total > this.peakBytes) this.peakBytes = total;
	}

	stop(): number {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		return this.peakBytes;
	}
}

/** `n8n execute --id=<id> --rawOutput` with the summary hook, measured. */
export async function executeMeasured(
	instance: N8nInstance,
	workflowId: string,
): Promise<Measured> {
	const summaryFile = join(instance.userFolder, 'work', `bench-summary-${workflowId}.json`);
	rmSync(summaryFile, { force: true });
	const env = instance.env(await freePort(), {
		EXTERNAL_HOOK_FILES: HOOK_FILE,
		NEXTHINK_BENCH_SUMMARY: summaryFile,
	});
	// Profiling a job in n8n itself: BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -- --only=…
	const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
	const sampler = new RssSampler();
	sampler.start();
	const result = await run(
		instance.runtime.nodeBin,
		[...nodeArgs, instance.runtime.n8nBin, 'execute', `--id=${workflowId}`, '--rawOutput'],
		{ cwd: join(instance.userFolder, 'work'), env, timeoutMs: 30 * 60_000 },
	).finally(() => sampler.stop());
	const measured: Measured = { wallMs: result.ms, peakRssBytes: sampler.peakBytes };
	if (!existsSync(summaryFile)) {
		measured.failure = `n8n execute --id=${workflowId} ended with ${result.code ?? result.signal} and wrote no run summary:\n${tail(`${result.stdout}\n${result.stderr}`, 25)}`;
		return measured;
	}
	measured.summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as RunSummary;
	// n8n 2.40.7 sometimes dies of SIGSEGV while it exits, after the run was saved (its isolated-vm
	// expression engine is not disposed: test/e2e/README.md); the run itself is complete then.
	const crashedOnExit = result.signal === 'SIGSEGV' && measured.summary.status === 'success';
	if (result.code !== 0 && !crashedOnExit)
		measured.failure = `n8n execute --id=${workflowId} ended with ${result.code ?? result.signal}:\n${tail(`${result.stdout}\n${result.stderr}`, 25)}`;
	return measured;
}

/** First node start to last node end, from the run data (ms). */
export function workflowMs(summary: RunSummary): number {
	const runs = Object.values(summary.nodes).flat();
	if (!runs.length) return 0;
	const start = Math.min(...runs.map((node) => node.startTime));
	const end = Math.max(...runs.map((node) => node.startTime + node.executionTime));
	return end - start;
}

/** The summed own time of every run of these nodes (a loop runs its nodes many times). */
export function nodesMs(summary: RunSummary, names: string[]): number {
	return names
		.flatMap((name) => summary.nodes[name] ?? [])
		.reduce((sum, node) => sum + node.executionTime, 0);
}

/** Items the node's last run gave on `output`. */
export function itemsOut(summary: RunSummary, name: string, output = 0): number {
	const runs = summary.nodes[name] ?? [];
	return runs.length ? (runs[runs.length - 1].items[output] ?? 0) : 0;
}
