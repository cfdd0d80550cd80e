/**
 * Once per e2e run: build and pack the package, and make sure the n8n runtime is installed
 * (cold: about 5 minutes; cached: a marker check). A failure is recorded, not thrown, so that
 * every suite fails with its reason and the closing "N passed, N failed" line counts them.
 */
import { buildAndPack, ensureRuntime, say } from '../n8n';
import { E2E_CACHE, phase, resetPhases } from './phases';
import { writeSetup } from './setup';

export default async function globalSetup(): Promise<void> {
	say('');
	resetPhases();
	try {
		const pkg = await phase(
			'setup: npm run build + npm pack',
			async () => await buildAndPack(E2E_CACHE, say),
		);
		await phase(
			'setup: n8n runtime (install or cache check)',
			async () => await ensureRuntime(say),
		);
		writeSetup({ ok: true, pkg });
	} catch (error) {
		const message = (error as Error).message;
		say(`\n[e2e] SETUP FAILED, every e2e suite will fail with this reason:\n${message}\n`);
		writeSetup({ ok: false, error: message });
	}
}
