/**
 * The benchmark's jobs: which workflows of bench/ run, which of their nodes do the job, what the
 * simulator must receive, and what it must have recorded, identical on every side.
 */
import { createHash } from 'node:crypto';

import type { EndpointKey, NexthinkSimulator } from '../simulator';

export type SideKey = 'package' | 'package-per-request' | 'package-bulk' | 'hand-built';

export interface Side {
	/** The workflow is bench/<job>.<key>.json */
	key: SideKey;
	label: string;
	/** The nodes that do the job (not the input): their own time, every run summed. */
	jobNodes: string[];
	/** The download-and-parse part of an export, reported on its own. */
	partNodes?: string[];
	/** The node whose last run must give `items` items (output 0). */
	output?: { node: string; items: number; binary?: boolean };
}

export interface Job {
	name: string;
	title: string;
	/** The baseline workflow that only builds the same input items (bench/<input>.json). */
	input?: string;
	sides: Side[];
	/** Requests each side must send, per endpoint (others are counted, not checked). */
	requests: Partial<Record<EndpointKey, number>>;
	/** What the part in `partNodes` is, for the report. */
	partLabel?: string;
	/** Also time a plain fetch of the export file, outside n8n. */
	plainFetch?: boolean;
	/** Fetch the export file once before the sides run, so that the simulator has it in memory. */
	warmExportFile?: boolean;
	/** After sim.reset(), before the run. */
	prepare?(sim: NexthinkSimulator): void;
	/**
	 * What the simulator recorded, reduced to a digest: every side must leave the same one (the
	 * same devices, users and values reached Nexthink). A problem instead of a digest fails the run.
	 */
	recorded(sim: NexthinkSimulator): { digest: string } | { problem: string };
}

export interface Baseline {
	name: string;
	title: string;
	/** The node that outputs the input items, and how many. */
	output?: { node: string; items: number };
}

/**
 * The simulator every job runs against: 50,000 devices and users, exports ready at once, export
 * files generated once and then served from memory (generating a million rows takes the simulator
 * about 6 s, more than a client needs to read them: the download would measure the simulator).
 */
export const SIMULATOR_OPTIONS = {
	deviceCount: 50_000,
	exportTimings: { submittedMs: 0, inProgressMs: 0 },
	cacheExportFiles: true,
};

export const EXPORT_ROWS = 1_000_000;
export const NQL_LATENCY_MS = 100;

const digestOf = (lines: string[]) =>
	createHash('sha256').update(lines.sort().join('\n')).digest('hex').slice(0, 16);

/** `expected` records, each reduced to a line, as a digest; else what is wrong. */
function recordsDigest<T>(
	what: string,
	records: T[],
	expected: number,
	line: (record: T) => string,
): { digest: string } | { problem: string } {
	if (records.length !== expected)
		return { problem: `the simulator recorded ${records.length} ${what}, expected ${expected}` };
	return { digest: digestOf(records.map(line)) };
}

/** The 50,000 enrichments both enrichment jobs must leave in the simulator, whatever the side. */
const enrichmentsRecorded = (sim: NexthinkSimulator) =>
	recordsDigest(
		'enrichments',
		sim.data.enrichments,
		50_000,
		(r) =>
			`${r.domain} ${r.identification.name}=${String(r.identification.value)} ${JSON.stringify(r.fields)}`,
	);

const packageSide = (jobNode: string, extra: Partial<Side> = {}): Side => ({
	key: 'package',
	label: 'package',
	jobNodes: [jobNode],
	...extra,
});

const loopSide = (aggregate: string, post: string): Side => ({
	key: 'hand-built',
	label: 'hand-built',
	jobNodes: ['Loop Over Items', aggregate, post],
});

export const BASELINES: Baseline[] = [
	{ name: 'boot-only', title: 'n8n boot (a manual trigger alone)' },
	{
		name: 'input-25k-devices',
		title: 'input of 25,000 devices',
		output: { node: 'One item per device', items: 25_000 },
	},
	{
		name: 'input-25k-users',
		title: 'input of 25,000 users',
		output: { node: 'One item per user', items: 25_000 },
	},
	{
		name: 'input-50k-devices',
		title: 'input of 50,000 devices',
		output: { node: 'One item per device', items: 50_000 },
	},
	{
		name: 'input-50k-enrichment-list',
		title: 'input of 50,000 enrichments in one item',
		output: { node: 'Get 50,000 enrichments', items: 1 },
	},
	{
		name: 'input-1k-devices',
		title: 'input of 1,000 devices',
		output: { node: 'One item per device', items: 1_000 },
	},
];

export const JOBS: Job[] = [
	{
		name: 'remote-action-25k',
		title: 'Remote action on 25,000 devices',
		input: 'input-25k-devices',
		sides: [
			packageSide('Clear browser cache'),
			loopSide('Collect collector IDs', 'Execute remote action'),
		],
		requests: { 'remoteAction.execute': 3 },
		recorded: (sim) =>
			recordsDigest(
				'remote action executions',
				sim.data.remoteActionExecutions,
				25_000,
				(r) =>
					`${r.remoteActionId} ${r.deviceCollectorUid} ${JSON.stringify(r.params)} ${r.expiresInMinutes}`,
			),
	},
	{
		name: 'workflow-trigger-25k',
		title: 'Workflow trigger on 25,000 devices',
		input: 'input-25k-devices',
		sides: [
			packageSide('Restart print spooler'),
			loopSide('Collect collector IDs', 'Trigger workflow'),
		],
		requests: { 'workflow.execute.v1': 3 },
		recorded: (sim) =>
			recordsDigest(
				'workflow executions',
				sim.data.workflowExecutions,
				25_000,
				(r) => `${r.workflowId} ${r.deviceCollectorUid} ${JSON.stringify(r.params)}`,
			),
	},
	{
		name: 'campaign-trigger-25k',
		title: 'Campaign trigger on 25,000 users',
		input: 'input-25k-users',
		sides: [packageSide('Send survey'), loopSide('Collect user SIDs', 'Trigger campaign')],
		requests: { 'campaign.trigger': 3 },
		recorded: (sim) =>
			recordsDigest(
				'campaign requests',
				sim.data.campaignRequests,
				25_000,
				(r) =>
					`${r.campaignNqlId} ${r.userSid} ${JSON.stringify(r.parameters)} ${r.expiresInMinutes}`,
			),
	},
	{
		name: 'enrichment-50k',
		title: 'Enrichment of 50,000 devices',
		input: 'input-50k-devices',
		sides: [
			packageSide('Set asset tags'),
			{
				key: 'package-per-request',
				label: 'package (per request)',
				jobNodes: ['Set asset tags'],
			},
			{
				key: 'package-bulk',
				label: 'package (bulk)',
				jobNodes: ['Collect devices', 'Set asset tags'],
			},
			loopSide('Collect devices', 'Enrich fields'),
		],
		requests: { 'enrichment.fields': 10 },
		recorded: enrichmentsRecorded,
	},
	{
		// Bulk mode's own case: the list arrives in Nexthink's format (a CMDB export), in one item.
		name: 'enrichment-list-50k',
		title: "50,000 enrichments from one item, in Nexthink's format",
		input: 'input-50k-enrichment-list',
		sides: [
			{ key: 'package-bulk', label: 'package (bulk)', jobNodes: ['Set asset tags'] },
			{
				key: 'hand-built',
				label: 'hand-built',
				jobNodes: [
					'One item per enrichment',
					'Loop Over Items',
					'Collect enrichments',
					'Enrich fields',
				],
			},
		],
		requests: { 'enrichment.fields': 10 },
		recorded: enrichmentsRecorded,
	},
	{
		name: 'nql-execute-1k',
		title: `1,000 NQL executes, one per item, the API answering in ${NQL_LATENCY_MS} ms`,
		input: 'input-1k-devices',
		sides: [
			packageSide('Look up devices by OS'),
			{ key: 'hand-built', label: 'hand-built', jobNodes: ['Look up devices by OS'] },
		],
		requests: { 'nql.execute.v2': 1000 },
		prepare: (sim) => {
			sim.setLatency(NQL_LATENCY_MS);
			sim.setQueryRows('#devices_by_os', 1); // one row per lookup
		},
		recorded: (sim) => {
			const bodies = sim.log
				.filter((entry) => entry.endpoint === 'nql.execute.v2')
				.map((entry) => JSON.stringify(entry.body));
			return recordsDigest('NQL executes', bodies, 1000, (body) => body);
		},
	},
	{
		name: 'export-1m-rows',
		title: 'Export of 1,000,000 rows, as items',
		sides: [
			packageSide('Export all devices', {
				partNodes: ['Export all devices'],
				output: { node: 'Export all devices', items: EXPORT_ROWS },
			}),
			{
				key: 'hand-built',
				label: 'hand-built',
				jobNodes: [
					'Start export',
					'Get export status',
					'Completed?',
					'Wait 1 s',
					'Download export',
					'Extract rows',
				],
				partNodes: ['Download export', 'Extract rows'],
				output: { node: 'Extract rows', items: EXPORT_ROWS },
			},
		],
		partLabel: 'download and parse',
		warmExportFile: true,
		requests: { 'nql.export': 1, 'nql.download': 1 },
		prepare: (sim) => sim.setQueryRows('#all_devices', EXPORT_ROWS),
		recorded: exportRecorded,
	},
	{
		name: 'export-1m-file',
		title: 'Export of 1,000,000 rows, as a file',
		sides: [
			packageSide('Export all devices', {
				partNodes: ['Export all devices'],
				output: { node: 'Export all devices', items: 1, binary: true },
			}),
			{
				key: 'hand-built',
				label: 'hand-built',
				jobNodes: [
					'Start export',
					'Get export status',
					'Completed?',
					'Wait 1 s',
					'Download export',
				],
				partNodes: ['Download export'],
				output: { node: 'Download export', items: 1, binary: true },
			},
		],
		partLabel: 'download',
		plainFetch: true,
		warmExportFile: true,
		requests: { 'nql.export': 1, 'nql.download': 1 },
		prepare: (sim) => sim.setQueryRows('#all_devices', EXPORT_ROWS),
		recorded: exportRecorded,
	},
];

function exportRecorded(sim: NexthinkSimulator): { digest: string } | { problem: string } {
	return recordsDigest(
		'exports',
		sim.data.exports,
		1,
		(r) => `${r.queryId} ${r.compression} ${r.rowCount} ${JSON.stringify(r.parameters)}`,
	);
}
