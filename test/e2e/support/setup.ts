/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: passes the global setup's outcome to the e2e test files through a file, never runs inside n8n */
/**
 * What the e2e global setup prepared (the packed package and a runtime per n8n line), or why it
 * could not: every e2e test file starts with `await e2eSetup(line)`, which throws that reason, so
 * a missing runtime fails each suite of that line with the message instead of skipping it. A
 * line that could not be installed fails its own suites only.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	ensureRuntime,
	lineVersion,
	type N8nLine,
	type N8nRuntime,
	type PackedPackage,
} from '../n8n';
import { E2E_CACHE } from './phases';

const SETUP_FILE = join(E2E_CACHE, 'setup.json');

export type LineOutcome = { ok: true } | { ok: false; error: string };

export type SetupOutcome =
	| { ok: true; pkg: PackedPackage; lines: Partial<Record<N8nLine, LineOutcome>> }
	| { ok: false; error: string };

export function writeSetup(outcome: SetupOutcome): void {
	writeFileSync(SETUP_FILE, `${JSON.stringify(outcome, null, 2)}\n`);
}

export async function e2eSetup(
	line: N8nLine = '2.x',
): Promise<{ runtime: N8nRuntime; pkg: PackedPackage }> {
	if (!existsSync(SETUP_FILE))
		throw new Error(
			`The e2e global setup left no ${SETUP_FILE}: run the suite with npm run test:e2e.`,
		);
	const outcome = JSON.parse(readFileSync(SETUP_FILE, 'utf8')) as SetupOutcome;
	if (!outcome.ok) throw new Error(`The e2e suite cannot run: ${outcome.error}`);
	const prepared = outcome.lines?.[line];
	if (!prepared)
		throw new Error(
			`The e2e global setup did not prepare n8n ${lineVersion(line)} (${line}): run the suite with npm run test:e2e.`,
		);
	if (!prepared.ok)
		throw new Error(
			`The e2e suites on n8n ${lineVersion(line)} (${line}) cannot run: ${prepared.error}`,
		);
	// Installed by the global setup: this only checks the marker.
	const runtime = await ensureRuntime(() => undefined, line);
	return { runtime, pkg: outcome.pkg };
}
