/**
 * Once per e2e run: build and pack the package, and make sure the n8n runtimes are installed:
 * Node 24, then n8n 2.40.7 and n8n 1.123.81 together (cold: about 8 minutes for both; cached: a
 * marker check each). A failure is recorded, not thrown, so that every suite fails with its
 * reason and the closing "N passed, N failed" line counts them; a line that could not be
 * installed fails only the suites that run on it.
 */
import {
	buildAndPack,
	ensureNodeRuntime,
	ensureRuntime,
	lineVersion,
	N8N_LINES,
	say,
	type N8nLine,
} from '../n8n';
import { E2E_CACHE, phase, resetPhases } from './phases';
import { writeSetup, type LineOutcome } from './setup';

export default async function globalSetup(): Promise<void> {
	say('');
	resetPhases();
	try {
		const pkg = await phase(
			'setup: npm run build + npm pack',
			async () => await buildAndPack(E2E_CACHE, say),
		);
		await phase(
			'setup: Node 24 (install or cache check)',
			async () => await ensureNodeRuntime(say),
		);
		// Together: their npm installs take turns (side by side they took as long), the first line's
		// sqlite3 build runs during the second's npm install, and the second copies that binding.
		const outcomes = await Promise.all(
			N8N_LINES.map(async (line): Promise<[N8nLine, LineOutcome]> => {
				try {
					await phase(
						`setup: n8n ${lineVersion(line)} runtime (install or cache check)`,
						async () => await ensureRuntime((text) => say(`[${line}] ${text}`), line),
					);
					return [line, { ok: true }];
				} catch (error) {
					const message = (error as Error).message;
					say(
						`\n[e2e] SETUP FAILED for n8n ${lineVersion(line)}, its e2e suites will fail with this reason:\n${message}\n`,
					);
					return [line, { ok: false, error: message }];
				}
			}),
		);
		writeSetup({ ok: true, pkg, lines: Object.fromEntries(outcomes) });
	} catch (error) {
		const message = (error as Error).message;
		say(`\n[e2e] SETUP FAILED, every e2e suite will fail with this reason:\n${message}\n`);
		writeSetup({ ok: false, error: message });
	}
}
