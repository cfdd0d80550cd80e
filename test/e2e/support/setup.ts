/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: passes the global setup's outcome to the e2e test files through a file, never runs inside n8n */
/**
 * What the e2e global setup prepared (the packed package and the runtime), or why it could not:
 * every e2e test file starts with `await e2eSetup()`, which throws that reason, so a missing
 * runtime fails each suite with the message instead of skipping it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ensureRuntime, type N8nRuntime, type PackedPackage } from '../n8n';
import { E2E_CACHE } from './phases';

const SETUP_FILE = join(E2E_CACHE, 'setup.json');

type SetupOutcome = { ok: true; pkg: PackedPackage } | { ok: false; error: string };

export function writeSetup(outcome: SetupOutcome): void {
	writeFileSync(SETUP_FILE, `${JSON.stringify(outcome, null, 2)}\n`);
}

export async function e2eSetup(): Promise<{ runtime: N8nRuntime; pkg: PackedPackage }> {
	if (!existsSync(SETUP_FILE))
		throw new Error(
			`The e2e global setup left no ${SETUP_FILE}: run the suite with npm run test:e2e.`,
		);
	const outcome = JSON.parse(readFileSync(SETUP_FILE, 'utf8')) as SetupOutcome;
	if (!outcome.ok) throw new Error(`The e2e suite cannot run: ${outcome.error}`);
	// Installed by the global setup: this only checks the marker.
	const runtime = await ensureRuntime(() => undefined);
	return { runtime, pkg: outcome.pkg };
}
