/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: installs Debian packages the end-to-end suite needs, never runs inside n8n */
/**
 * Programs the end-to-end suite needs from Debian's packages (Chromium for the editor test;
 * PostgreSQL and Redis for queue mode). A machine with Node alone has none of them: when the
 * suite runs as root where apt-get exists, it installs them itself (Debian's mirrors are
 * reachable here); otherwise it fails saying what to install. It never skips.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { run, tail, type Log } from './processes';

export interface SystemPackage {
	/** The program the suite runs, by absolute path (for a program found by `locate`: where to look, in the failure message). */
	binary: string;
	/** The Debian package(s) that provide it. */
	packages: string[];
	/** What it is for, in the failure message. */
	purpose: string;
	/** For a program whose path is not fixed (PostgreSQL's holds its major version): its path, or undefined while it is not installed. */
	locate?: () => string | undefined;
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
	const installed = () =>
		wanted.locate ? wanted.locate() : existsSync(wanted.binary) ? wanted.binary : undefined;
	const found = installed();
	if (found) return found;
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
	const binary = installed();
	if (result.code !== 0 || !binary) {
		throw new SystemPackageError(
			`Could not install ${wanted.packages.join(', ')} for ${wanted.purpose} (${install} exited ${String(result.code)}${result.code === 0 ? `, but ${wanted.binary} is still missing` : ''}):\n${tail(result.stderr || result.stdout)}`,
		);
	}
	log(`  installed ${wanted.packages.join(', ')} in ${(result.ms / 1000).toFixed(1)} s`);
	return binary;
}

const POSTGRESQL_ROOT = '/usr/lib/postgresql';

/** Debian's PostgreSQL server: `/usr/lib/postgresql/<major>/bin/postgres`, the newest major installed. */
function locatePostgres(): string | undefined {
	if (!existsSync(POSTGRESQL_ROOT)) return undefined;
	return readdirSync(POSTGRESQL_ROOT)
		.filter((name) => /^\d+$/.test(name))
		.sort((a, b) => Number(b) - Number(a))
		.map((major) => join(POSTGRESQL_ROOT, major, 'bin'))
		.filter((bin) => ['postgres', 'initdb', 'psql'].every((tool) => existsSync(join(bin, tool))))
		.map((bin) => join(bin, 'postgres'))[0];
}

/**
 * PostgreSQL's server programs for the queue-mode test (n8n's database): Debian's `postgresql`
 * package (the distribution's major version) puts `postgres`, `initdb` and `psql` in
 * `/usr/lib/postgresql/<major>/bin/`. The test starts its own server; where Debian's package
 * starts a cluster of its own (a machine with systemd, no policy-rc.d), that one is left alone.
 */
export const POSTGRESQL_SERVER: SystemPackage = {
	binary: `${POSTGRESQL_ROOT}/<major>/bin/postgres`,
	packages: ['postgresql'],
	purpose: "the queue-mode test (n8n's database)",
	locate: locatePostgres,
};

/** Redis for the queue-mode test (n8n's job queue): Debian's `redis-server`. */
export const REDIS_SERVER: SystemPackage = {
	binary: '/usr/bin/redis-server',
	packages: ['redis-server'],
	purpose: "the queue-mode test (n8n's job queue)",
};
