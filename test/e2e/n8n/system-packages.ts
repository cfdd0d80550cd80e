/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: installs Debian packages the end-to-end suite needs, never runs inside n8n */
/**
 * Programs the end-to-end suite needs from Debian's packages (Chromium for the editor test;
 * PostgreSQL and Redis for queue mode). A machine with Node alone has none of them: when the
 * suite runs as root where apt-get exists, it installs them itself (Debian's mirrors are
 * reachable here); otherwise it fails saying what to install. It never skips.
 */
import { existsSync } from 'node:fs';

import { run, tail, type Log } from './processes';

export interface SystemPackage {
	/** The program the suite runs, by absolute path. */
	binary: string;
	/** The Debian package(s) that provide it. */
	packages: string[];
	/** What it is for, in the failure message. */
	purpose: string;
}

export class SystemPackageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SystemPackageError';
	}
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Makes sure `binary` exists, installing its Debian packages when the suite may. */
export async function ensureSystemPackage(wanted: SystemPackage, log: Log): Promise<string> {
	if (existsSync(wanted.binary)) return wanted.binary;
	const install = `apt-get install -y ${wanted.packages.join(' ')}`;
	if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
		throw new SystemPackageError(
			`${wanted.binary} is missing: the end-to-end suite needs it for ${wanted.purpose}. Install it (Debian/Ubuntu: sudo ${install}), or run the suite as root where apt-get can install it.`,
		);
	}
	log(`  ${wanted.binary} is missing: ${install} (for ${wanted.purpose})`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	let result = await run(
		'apt-get',
		['install', '-y', '--no-install-recommends', ...wanted.packages],
		{
			env,
			timeoutMs: 15 * 60_000,
		},
	);
	if (result.code !== 0) {
		// A fresh machine has no package lists yet.
		await run('apt-get', ['update'], { env, timeoutMs: 10 * 60_000 });
		result = await run(
			'apt-get',
			['install', '-y', '--no-install-recommends', ...wanted.packages],
			{
				env,
				timeoutMs: 15 * 60_000,
			},
		);
	}
	if (result.code !== 0 || !existsSync(wanted.binary)) {
		throw new SystemPackageError(
			`Could not install ${wanted.packages.join(', ')} for ${wanted.purpose} (${install} exited ${String(result.code)}):\n${tail(result.stderr || result.stdout)}`,
		);
	}
	log(`  installed ${wanted.packages.join(', ')} in ${(result.ms / 1000).toFixed(1)} s`);
	return wanted.binary;
}
