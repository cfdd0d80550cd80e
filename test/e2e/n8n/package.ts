/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: builds and packs this repository and lays it out where n8n loads it, never runs inside n8n */
/**
 * This package as n8n gets it: `npm run build`, `npm pack`, then either
 *  - a community package: unpacked into `<user folder>/.n8n/nodes/node_modules/n8n-nodes-nexthink`
 *    with the `nodes/package.json` n8n's CommunityPackagesService writes (types `n8n-nodes-nexthink.*`), or
 *  - a custom extension: unpacked into a folder given to n8n as N8N_CUSTOM_EXTENSIONS (types `CUSTOM.*`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { cleanEnv, run, seconds, tail, type Log } from './processes';
import { REPO_ROOT } from './runtime';

export const PACKAGE_NAME = 'n8n-nodes-nexthink';

export interface PackedPackage {
	tarball: string;
	name: string;
	version: string;
}

/** Builds the package and packs it into `destination`, as `npm publish` would ship it. */
export async function buildAndPack(destination: string, log: Log): Promise<PackedPackage> {
	mkdirSync(destination, { recursive: true });
	const build = await run('npm', ['run', 'build'], { cwd: REPO_ROOT, env: cleanEnv() });
	if (build.code !== 0)
		throw new Error(`npm run build failed:\n${tail(`${build.stdout}\n${build.stderr}`)}`);
	log(`  npm run build: ${seconds(build.ms)}`);
	const pack = await run('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: REPO_ROOT,
		env: cleanEnv(),
	});
	if (pack.code !== 0)
		throw new Error(`npm pack failed:\n${tail(`${pack.stdout}\n${pack.stderr}`)}`);
	const [packed] = JSON.parse(pack.stdout) as Array<{
		filename: string;
		name: string;
		version: string;
	}>;
	log(`  npm pack: ${packed.filename} (${seconds(pack.ms)})`);
	return {
		tarball: join(destination, packed.filename),
		name: packed.name,
		version: packed.version,
	};
}

async function unpack(tarball: string, folder: string): Promise<void> {
	mkdirSync(folder, { recursive: true });
	const result = await run('tar', ['-xzf', tarball, '-C', folder, '--strip-components=1']);
	if (result.code !== 0) throw new Error(`tar could not unpack ${tarball}: ${tail(result.stderr)}`);
}

/**
 * Lays the package out as n8n's community package installer does: the tarball unpacked into
 * `nodes/node_modules/<name>/`, its package.json without dev, peer and optional dependencies,
 * and `nodes/package.json` listing it. n8n would then run `npm install` inside it; this package
 * has no dependencies, so there is nothing to install (checked here).
 */
export async function installAsCommunityPackage(
	pkg: PackedPackage,
	n8nFolder: string,
): Promise<string> {
	const nodesFolder = join(n8nFolder, 'nodes');
	const target = join(nodesFolder, 'node_modules', pkg.name);
	await unpack(pkg.tarball, target);
	const manifestFile = join(target, 'package.json');
	const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
	if (manifest.dependencies && Object.keys(manifest.dependencies as object).length)
		throw new Error(`${pkg.name} declares dependencies; a community package must have none`);
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	delete manifest.optionalDependencies;
	writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
	writeFileSync(
		join(nodesFolder, 'package.json'),
		`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [pkg.name]: pkg.version } }, null, 2)}\n`,
	);
	return target;
}

/** Unpacks the package into `<folder>/<name>`; pass `folder` to n8n as N8N_CUSTOM_EXTENSIONS. */
export async function installAsCustomExtension(
	pkg: PackedPackage,
	folder: string,
): Promise<string> {
	const target = join(folder, pkg.name);
	await unpack(pkg.tarball, target);
	return target;
}
