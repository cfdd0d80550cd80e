/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: keeps the e2e phase timings in a file across jest's test files, never runs inside n8n */
/**
 * Phase timings of the e2e suite: each phase prints its duration when it ends and appends it to
 * .cache/e2e/phases.jsonl, and the global teardown prints them all as a table.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT, say, seconds } from '../n8n';

export const E2E_CACHE = join(REPO_ROOT, '.cache', 'e2e');
const PHASES_FILE = join(E2E_CACHE, 'phases.jsonl');
const STARTED_FILE = join(E2E_CACHE, 'started-at');

interface PhaseRecord {
	name: string;
	ms: number;
	ok: boolean;
}

export function resetPhases(): void {
	mkdirSync(E2E_CACHE, { recursive: true });
	writeFileSync(PHASES_FILE, '');
	writeFileSync(STARTED_FILE, String(Date.now()));
}

/** Runs `body` as a named phase: prints and records how long it took, whether it passed or threw. */
export async function phase<T>(name: string, body: () => Promise<T>): Promise<T> {
	const started = Date.now();
	let ok = false;
	try {
		const result = await body();
		ok = true;
		return result;
	} finally {
		const record: PhaseRecord = { name, ms: Date.now() - started, ok };
		mkdirSync(E2E_CACHE, { recursive: true });
		appendFileSync(PHASES_FILE, `${JSON.stringify(record)}\n`);
		say(`[e2e] ${name}: ${seconds(record.ms)}${ok ? '' : ' (failed)'}`);
	}
}

export function printPhases(): void {
	if (!existsSync(PHASES_FILE)) return;
	const totalMs = Date.now() - Number(readFileSync(STARTED_FILE, 'utf8'));
	const records = readFileSync(PHASES_FILE, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as PhaseRecord);
	const width = Math.max(20, ...records.map((record) => record.name.length));
	say('\ne2e phases:');
	for (const record of records)
		say(
			`  ${record.name.padEnd(width)}  ${seconds(record.ms).padStart(8)}${record.ok ? '' : '  FAILED'}`,
		);
	say(`  ${'total (global setup to teardown)'.padEnd(width)}  ${seconds(totalMs).padStart(8)}`);
}
