/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- load script: a stand-alone process that prints figures, never runs inside n8n */
/**
 * `npm run load`: 1,000 input items through one Nexthink node in one execution (n8n-core's real
 * ExecuteContext, the simulator over HTTP) while the simulator answers 5 % of the calls with 429,
 * 5 % with 503 and drops 1 % of the connections. Once for a read-only operation (Remote Action
 * Get), once for a triggering one (Remote Action Execute, one device per item), both with
 * Continue On Fail. Checks and prints: every input item ends as exactly one result or one error
 * item; no triggering request was processed twice; one token request. Not a test: the figures go
 * into docs/RELIABILITY.md.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

process.env.N8N_USER_FOLDER ??= path.join(os.tmpdir(), 'n8n-nodes-nexthink-test');
fs.mkdirSync(process.env.N8N_USER_FOLDER, { recursive: true });

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { EndpointKey } from '../simulator/types';
import { nexthinkTestbed, type NexthinkTestbed } from '../support/nexthink';

const ITEMS = Number(process.argv[2] ?? 1000);

const chaos = {
	rates: [
		{ fault: { type: 'rateLimit' as const, retryAfter: 0.2 }, rate: 0.05 },
		{ fault: { type: 'status' as const, status: 503 }, rate: 0.05 },
		{ fault: { type: 'drop' as const }, rate: 0.01 },
	],
};

interface Figures {
	job: string;
	items: number;
	outputs: number;
	results: number;
	errors: number;
	calls: number;
	byStatus: Record<string, number>;
	tokenRequests: number;
	seconds: number;
	problems: string[];
}

function pairedItemsOf(item: INodeExecutionData): number[] {
	const paired = item.pairedItem;
	const list = Array.isArray(paired) ? paired : paired === undefined ? [] : [paired];
	return list.map((entry) => (typeof entry === 'number' ? entry : entry.item));
}

async function run(
	bed: NexthinkTestbed,
	job: string,
	endpoint: EndpointKey,
	parameters: INodeParameters,
	input: INodeExecutionData[],
): Promise<{ figures: Figures; out: INodeExecutionData[] }> {
	bed.reset();
	bed.sim.chaos(endpoint, chaos, 20261201);
	const started = Date.now();
	const [out] = await bed.run(parameters, input, { onError: 'continueRegularOutput' });
	const seconds = (Date.now() - started) / 1000;
	const calls = bed.requests(endpoint);
	const byStatus: Record<string, number> = {};
	for (const call of calls)
		byStatus[call.status || 'dropped'] = (byStatus[call.status || 'dropped'] ?? 0) + 1;

	const problems: string[] = [];
	const seen = new Map<number, number>();
	for (const item of out) {
		const paired = pairedItemsOf(item);
		if (paired.length !== 1) problems.push(`an output item is paired with ${paired.length} items`);
		for (const index of paired) seen.set(index, (seen.get(index) ?? 0) + 1);
	}
	for (let index = 0; index < input.length; index++) {
		const times = seen.get(index) ?? 0;
		if (times !== 1) problems.push(`input item ${index} has ${times} output items`);
	}
	const errors = out.filter((item) => item.json.error !== undefined).length;
	return {
		out,
		figures: {
			job,
			items: input.length,
			outputs: out.length,
			results: out.length - errors,
			errors,
			calls: calls.length,
			byStatus,
			tokenRequests: bed.requests('token').length,
			seconds,
			problems,
		},
	};
}

function print(figures: Figures): void {
	const statuses = Object.entries(figures.byStatus)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([status, count]) => `${status}: ${count}`)
		.join(', ');
	process.stdout.write(
		`${figures.job}: ${figures.items} items -> ${figures.outputs} output items (${figures.results} results, ${figures.errors} errors) in ${figures.seconds.toFixed(1)} s; ${figures.calls} calls (${statuses}); ${figures.tokenRequests} token request(s); ${figures.problems.length ? `PROBLEMS: ${figures.problems.slice(0, 5).join('; ')}` : 'every item exactly once'}\n`,
	);
}

async function main(): Promise<void> {
	const bed = await nexthinkTestbed({ deviceCount: Math.max(2500, ITEMS) });
	const failures: string[] = [];
	try {
		const actions = [
			'#clear_browser_cache',
			'#restart_service',
			'#get_disk_space',
			'#flush_dns_cache',
		];
		const readOnly = await run(
			bed,
			'read-only (Remote Action Get, per item)',
			'remoteAction.details',
			{
				resource: 'remoteAction',
				operation: 'get',
				remoteActionId: { __rl: true, mode: 'id', value: '={{ $json.action }}' },
			},
			Array.from({ length: ITEMS }, (_, i) => ({ json: { action: actions[i % actions.length] } })),
		);
		print(readOnly.figures);
		failures.push(...readOnly.figures.problems);

		const devices = bed.sim.data.devices.slice(0, ITEMS).map((device) => device.collectorUid);
		const triggering = await run(
			bed,
			'triggering (Remote Action Execute, one request per item)',
			'remoteAction.execute',
			{
				resource: 'remoteAction',
				operation: 'execute',
				remoteActionId: { __rl: true, mode: 'id', value: '#flush_dns_cache' },
				devices: '={{ $json.device }}',
				options: { combineItems: false },
			},
			devices.map((device) => ({ json: { device } })),
		);
		// Processed twice = a device in two requests that Nexthink answered 200.
		const processed = new Map<string, number>();
		for (const call of bed.requests('remoteAction.execute'))
			if (call.status === 200)
				for (const device of (call.body as { devices: string[] }).devices)
					processed.set(device, (processed.get(device) ?? 0) + 1);
		const twice = [...processed.values()].filter((count) => count > 1).length;
		const executions = new Set(bed.sim.data.remoteActionExecutions.map((e) => e.deviceCollectorUid))
			.size;
		if (twice) triggering.figures.problems.push(`${twice} devices were processed twice`);
		if (executions !== triggering.figures.results)
			triggering.figures.problems.push(
				`${executions} devices ran in Nexthink, ${triggering.figures.results} results`,
			);
		print(triggering.figures);
		process.stdout.write(
			`  devices processed twice: ${twice}; devices that ran in Nexthink: ${executions}; error items: 503 ${triggering.out.filter((item) => /\(503\)/.test(String(item.json.error))).length}, dropped ${triggering.out.filter((item) => /connection reset|socket hang up|ECONNRESET|network/i.test(String(item.json.error))).length}\n`,
		);
		failures.push(...triggering.figures.problems);
		for (const figures of [readOnly.figures, triggering.figures])
			if (figures.tokenRequests !== 1)
				failures.push(`${figures.job}: ${figures.tokenRequests} token requests`);
	} finally {
		await bed.close();
	}
	if (failures.length) {
		process.stdout.write(`load run FAILED: ${failures.length} problems\n`);
		process.exitCode = 1;
	} else process.stdout.write('load run passed\n');
}

void main();
