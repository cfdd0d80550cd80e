/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark tooling: keeps results in .cache/ and writes BENCHMARKS.md, never runs inside n8n */
/**
 * The figures of `npm run bench`: one table for the terminal, BENCHMARKS.md for the repository.
 * Results are kept per job in .cache/bench/results.json, so that `--only=<job>` refreshes that
 * job's rows and leaves the others as last measured (each job says when).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { BASELINES, JOBS, type SideKey } from './jobs';

export interface Figures {
	wallMs: number;
	workflowMs: number;
	/** The job nodes' own time (baselines: none). */
	jobMs?: number;
	/** The download-and-parse part of an export. */
	partMs?: number;
	/** The export file's download requests as the files host timed them (arrival to last byte). */
	downloadMs?: number;
	rssBytes: number;
	tokens: number;
	apiRequests: number;
	maxInFlight: number;
}

export interface SideResult {
	key: SideKey;
	label: string;
	figures: Figures;
}

export interface JobResult {
	name: string;
	title: string;
	measuredAt: string;
	runs: number;
	sides: SideResult[];
	partLabel?: string;
	/**
	 * Plain fetch of the export file outside n8n: median ms and the bytes; `ms` as the fetching
	 * process timed it, `downloadMs` as the files host did (as for the sides). `heldHeap`: the
	 * same fetch in a process first holding a heap the size of n8n's (`heapMiB` as measured there).
	 */
	plainFetch?: {
		ms: number;
		bytes: number;
		downloadMs?: number;
		heldHeap?: { heapMiB: number; ms: number; downloadMs: number };
	};
}

export interface BaselineResult {
	name: string;
	title: string;
	measuredAt: string;
	runs: number;
	items?: number;
	figures: Figures;
}

export interface Machine {
	cores: number;
	cpu: string;
	ramBytes: number;
	os: string;
	nodeScript: string;
	nodeN8n: string;
	n8n: string;
	packageVersion: string;
}

export interface Results {
	machine: Machine;
	updatedAt: string;
	jobs: Record<string, JobResult>;
	baselines: Record<string, BaselineResult>;
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median of each figure over the runs (each figure on its own). */
export function medianFigures(runs: Figures[]): Figures {
	const of = (pick: (figures: Figures) => number | undefined) => {
		const values = runs.map(pick).filter((value): value is number => value !== undefined);
		return values.length ? median(values) : undefined;
	};
	return {
		wallMs: of((f) => f.wallMs) ?? 0,
		workflowMs: of((f) => f.workflowMs) ?? 0,
		jobMs: of((f) => f.jobMs),
		partMs: of((f) => f.partMs),
		downloadMs: of((f) => f.downloadMs),
		rssBytes: of((f) => f.rssBytes) ?? 0,
		tokens: of((f) => f.tokens) ?? 0,
		apiRequests: of((f) => f.apiRequests) ?? 0,
		maxInFlight: of((f) => f.maxInFlight) ?? 0,
	};
}

export const ms = (value: number | undefined): string =>
	value === undefined
		? '–'
		: value < 1000
			? `${Math.round(value)} ms`
			: `${(value / 1000).toFixed(2)} s`;
export const mib = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MiB`;
const count = (value: number) => Math.round(value).toLocaleString('en');
export const ratio = (a: number | undefined, b: number | undefined): string =>
	a === undefined || b === undefined
		? '–'
		: b === 0
			? a === 0
				? '1.00'
				: '–'
			: (a / b).toFixed(2);

const COLUMNS = [
	'wall (n8n execute)',
	'workflow',
	'job nodes',
	'part',
	'peak RSS',
	'token req.',
	'API req.',
	'max in flight',
];

function cells(figures: Figures): string[] {
	return [
		ms(figures.wallMs),
		ms(figures.workflowMs),
		ms(figures.jobMs),
		ms(figures.partMs),
		mib(figures.rssBytes),
		count(figures.tokens),
		count(figures.apiRequests),
		count(figures.maxInFlight),
	];
}

function ratioCells(a: Figures, b: Figures): string[] {
	return [
		ratio(a.wallMs, b.wallMs),
		ratio(a.workflowMs, b.workflowMs),
		ratio(a.jobMs, b.jobMs),
		ratio(a.partMs, b.partMs),
		ratio(a.rssBytes, b.rssBytes),
		ratio(a.tokens, b.tokens),
		ratio(a.apiRequests, b.apiRequests),
		ratio(a.maxInFlight, b.maxInFlight),
	];
}

/** Rows of [job, side, …figures] for one job: each side, then each package side / hand-built. */
function jobRows(job: JobResult): string[][] {
	const rows = job.sides.map((side) => [job.name, side.label, ...cells(side.figures)]);
	const handBuilt = job.sides.find((side) => side.key === 'hand-built');
	for (const side of job.sides) {
		if (side.key === 'hand-built' || !handBuilt) continue;
		rows.push([
			job.name,
			`${side.label} / hand-built`,
			...ratioCells(side.figures, handBuilt.figures),
		]);
	}
	return rows;
}

/** n8n alone: boot, and the input items of each job without the job. */
export function baselineLine(baseline: BaselineResult, prefix = 'n8n alone, '): string {
	const { figures } = baseline;
	// Per item only where there are many (the enrichment list is one item).
	const perItem =
		baseline.items && baseline.items > 1
			? ` (${((figures.workflowMs * 1000) / baseline.items).toFixed(1)} µs per item)`
			: '';
	return `${prefix}${baseline.title}: wall ${ms(figures.wallMs)}, workflow ${ms(figures.workflowMs)}${perItem}, peak RSS ${mib(figures.rssBytes)}`;
}

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export function plainFetchLine(job: JobResult): string | undefined {
	if (!job.plainFetch) return undefined;
	const { ms: took, bytes, downloadMs, heldHeap } = job.plainFetch;
	const fetched = `${job.name}: plain fetch of the same file (Node fetch, bytes discarded, own process): ${ms(took)} for ${mib(bytes)} (${(bytes / 1024 / 1024 / (took / 1000)).toFixed(0)} MiB/s)`;
	const held = heldHeap
		? `; the same fetch in a process holding n8n's live heap (${Math.round(heldHeap.heapMiB)} MiB, as --trace-gc shows in n8n during the download): ${ms(heldHeap.ms)}`
		: '';
	if (downloadMs === undefined) return fetched + held;
	// The same clock for every side: the files host, from the request's arrival to the last byte sent.
	const versus = (sideMs: number | undefined) =>
		`${ratio(sideMs, downloadMs)}× plain fetch` +
		(heldHeap ? `, ${ratio(sideMs, heldHeap.downloadMs)}× with n8n's heap` : '');
	const sides = job.sides
		.filter((side) => side.figures.downloadMs !== undefined)
		.map(
			(side) => `${side.label} ${ms(side.figures.downloadMs)} (${versus(side.figures.downloadMs)})`,
		);
	const heldHost = heldHeap ? `, plain fetch with n8n's heap ${ms(heldHeap.downloadMs)}` : '';
	return `${fetched}${held}; the download request as the files host timed it: plain fetch ${ms(downloadMs)}${heldHost}, ${sides.join(', ')}`;
}

function textTable(rows: string[][]): string {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	return rows
		.map((row) =>
			row
				.map((cell, column) => cell.padEnd(widths[column]))
				.join('  ')
				.trimEnd(),
		)
		.join('\n');
}

/** The terminal table of the jobs run now. */
export function terminalTable(jobs: JobResult[]): string {
	const rows = [['job', 'side', ...COLUMNS]];
	for (const job of jobs) rows.push(...jobRows(job));
	return textTable(rows);
}

/** Within this factor, neither side is called ahead: single runs on a shared machine vary that much. */
const EVEN_FACTOR = 1.1;

/** Which side is ahead, by the job nodes' own time (what differs between the sides), one clause per package side. */
export function aheadLine(job: JobResult): string {
	const handBuilt = job.sides.find((side) => side.key === 'hand-built');
	if (!handBuilt) return 'no hand-built side';
	const clauses = job.sides
		.filter((side) => side !== handBuilt)
		.map((side) => {
			const a = side.figures.jobMs ?? side.figures.workflowMs;
			const b = handBuilt.figures.jobMs ?? handBuilt.figures.workflowMs;
			const factor = Math.max(a, b) / Math.max(1, Math.min(a, b));
			const verdict =
				factor < EVEN_FACTOR
					? `about even (within ${Math.round((EVEN_FACTOR - 1) * 100)} %)`
					: `**${a < b ? side.label : handBuilt.label}** ahead, ${factor.toFixed(1)}× faster`;
			return (
				`${side.label} vs hand-built: ${verdict}: job nodes ${ms(a)} vs ${ms(b)}; ` +
				`peak RSS ${mib(side.figures.rssBytes)} vs ${mib(handBuilt.figures.rssBytes)}; ` +
				`API requests ${count(side.figures.apiRequests)} vs ${count(handBuilt.figures.apiRequests)}, ` +
				`token requests ${count(side.figures.tokens)} vs ${count(handBuilt.figures.tokens)}`
			);
		});
	return clauses.join('. ');
}

const WHY_PLACEHOLDER = '_(placeholder: the lead fills in why)_';

/** The "why" lines already written in BENCHMARKS.md (the lead's words survive a new run). */
function existingWhy(file: string): Map<string, string> {
	const why = new Map<string, string>();
	if (!existsSync(file)) return why;
	for (const match of readFileSync(file, 'utf8').matchAll(/^- Why <!-- why:([\w-]+) -->: (.*)$/gm))
		why.set(match[1], match[2]);
	return why;
}

/** A Markdown table padded as prettier pads it (the file stays prettier-clean): text left, figures right. */
function markdownTable(rows: string[][]): string {
	const width = (cell: string) => [...cell].length;
	const widths = rows[0].map((_, column) => Math.max(3, ...rows.map((row) => width(row[column]))));
	const pad = (cell: string, column: number) => {
		const fill = ' '.repeat(widths[column] - width(cell));
		return column < 2 ? cell + fill : fill + cell;
	};
	const line = (row: string[]) => `| ${row.map(pad).join(' | ')} |`;
	const rule = widths.map((w, column) => (column < 2 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`));
	return [line(rows[0]), `| ${rule.join(' | ')} |`, ...rows.slice(1).map(line)].join('\n');
}

export function writeBenchmarks(file: string, results: Results): void {
	const why = existingWhy(file);
	const { machine } = results;
	const jobs = JOBS.map((job) => results.jobs[job.name]).filter(Boolean);
	const baselines = BASELINES.map((b) => results.baselines[b.name]).filter(Boolean);
	const lines: string[] = [
		'# Benchmarks',
		'',
		'Written by `npm run bench` (test/bench/run.ts; workflows in bench/, see bench/README.md). Each side of each job',
		'runs in its own `n8n execute --id=<id>` process (one boot each, one after the other) in a real n8n, the package',
		'installed as a community package, against the Nexthink simulator started in-process; credentials are imported',
		'afresh before every run, so each run starts without a token. Figures are medians over the runs.',
		'',
		`- Machine: ${machine.cores} cores (${machine.cpu}), ${(machine.ramBytes / 1024 ** 3).toFixed(1)} GiB RAM, ${machine.os}`,
		`- n8n ${machine.n8n} on Node ${machine.nodeN8n}; the benchmark and the simulator on Node ${machine.nodeScript}`,
		`- Package: n8n-nodes-nexthink ${machine.packageVersion}`,
		`- Date: ${when(results.updatedAt)}; runs per side: ${Math.max(...jobs.map((job) => job.runs), 1)}`,
		'',
		'Columns: **wall** is the whole `n8n execute` process (boot, run, saving the execution, exit); **workflow** is',
		'first node start to last node end (from the run data); **job nodes** is the own time of the nodes that do the job',
		'(not the input), every run of them summed; **part** is the download (and parse) of an export; **peak RSS** sums',
		"the n8n process tree's resident memory, sampled every 50 ms; **token req.** and **API req.** are what the simulator",
		'received (API host, token and control calls excluded); **max in flight** is the most requests the simulator was',
		'answering at once. Ratio rows are package / hand-built: below 1 means the package needs less.',
		'',
		'## n8n alone',
		'',
		'The same input items without the job (so the package part of each job is clear), and n8n booting with nothing to do:',
		'',
		...baselines.map(
			(b) =>
				`- ${baselineLine(b, '')}${b.measuredAt !== results.updatedAt ? ` (measured ${when(b.measuredAt)}, before the latest run)` : ''}`,
		),
		'',
		'## Jobs',
		'',
		markdownTable([['job', 'side', ...COLUMNS], ...jobs.flatMap(jobRows)]),
		'',
	];
	for (const job of jobs) {
		lines.push(`### ${job.name}: ${job.title}`, '');
		if (job.measuredAt !== results.updatedAt)
			lines.push(
				`_Measured ${when(job.measuredAt)} (${job.runs} run(s)); the latest \`npm run bench\` did not run this job._`,
				'',
			);
		if (job.partLabel) lines.push(`- Part measured on its own: ${job.partLabel}.`);
		const fetchLine = plainFetchLine(job);
		if (fetchLine) lines.push(`- ${fetchLine}`);
		lines.push(`- Ahead: ${aheadLine(job)}.`);
		lines.push(`- Why <!-- why:${job.name} -->: ${why.get(job.name) ?? WHY_PLACEHOLDER}`, '');
	}
	mkdirSync(dirname(file), { recursive: true });
	writeFileSync(file, `${lines.join('\n').trimEnd()}\n`);
}

export function loadResults(file: string, machine: Machine): Results {
	if (existsSync(file)) {
		try {
			const stored = JSON.parse(readFileSync(file, 'utf8')) as Results;
			return { ...stored, machine };
		} catch {
			// Unreadable: start again.
		}
	}
	return { machine, updatedAt: new Date().toISOString(), jobs: {}, baselines: {} };
}

export function saveResults(file: string, results: Results): void {
	mkdirSync(dirname(file), { recursive: true });
	writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
