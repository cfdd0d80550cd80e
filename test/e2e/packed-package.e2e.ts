/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: unpacks the npm tarball into a temp folder, never runs inside n8n */
/**
 * The tarball `npm pack` makes is what users install: it holds only what n8n needs (compiled
 * nodes and credential, icons, codex files, index.js, licence, README), no runtime dependency,
 * and it passes `n8n-node lint` (strict) on its own.
 */
import {
	copyFileSync,
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { REPO_ROOT, run, tail, type PackedPackage } from './n8n';
import { e2eSetup } from './support/setup';

function filesUnder(folder: string, prefix = ''): string[] {
	return readdirSync(folder).flatMap((name) => {
		const path = join(folder, name);
		return statSync(path).isDirectory()
			? filesUnder(path, `${prefix}${name}/`)
			: [`${prefix}${name}`];
	});
}

describe('the packed package', () => {
	let pkg: PackedPackage;
	let folder: string;

	beforeAll(async () => {
		({ pkg } = await e2eSetup());
		folder = mkdtempSync(join(tmpdir(), 'nexthink-packed-'));
		const unpacked = await run('tar', ['-xzf', pkg.tarball, '-C', folder, '--strip-components=1']);
		if (unpacked.code !== 0) throw new Error(`tar failed: ${tail(unpacked.stderr)}`);
	});
	afterAll(() => {
		if (folder) rmSync(folder, { recursive: true, force: true });
	});

	it('holds only what n8n needs', () => {
		const files = filesUnder(folder);
		const unexpected = files.filter(
			(file) =>
				!/^dist\/(nodes|credentials)\/.+\.(js|d\.ts|json|svg)$/.test(file) &&
				!['index.js', 'package.json', 'README.md', 'LICENSE.md'].includes(file),
		);
		expect(unexpected).toEqual([]);
		for (const needed of [
			'dist/nodes/Nexthink/Nexthink.node.js',
			'dist/nodes/Nexthink/Nexthink.node.json',
			'dist/nodes/Nexthink/nexthink.svg',
			'dist/nodes/Nexthink/nexthink.dark.svg',
			'dist/nodes/NexthinkTrigger/NexthinkTrigger.node.js',
			'dist/nodes/NexthinkTrigger/NexthinkTrigger.node.json',
			'dist/credentials/NexthinkApi.credentials.js',
		])
			expect(files).toContain(needed);
		const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
			dependencies?: object;
			n8n: { nodes: string[]; credentials: string[] };
		};
		expect(manifest.dependencies ?? {}).toEqual({});
		for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials])
			expect(existsSync(join(folder, entry))).toBe(true);
	});

	it('passes n8n-node lint in strict mode on its own', async () => {
		// The tarball has no lint set-up: give it the template config and this repo's tools.
		copyFileSync(join(REPO_ROOT, 'eslint.config.mjs'), join(folder, 'eslint.config.mjs'));
		symlinkSync(join(REPO_ROOT, 'node_modules'), join(folder, 'node_modules'), 'dir');
		const lint = await run(join(REPO_ROOT, 'node_modules', '.bin', 'n8n-node'), ['lint'], {
			cwd: folder,
		});
		expect({ code: lint.code, output: tail(`${lint.stdout}\n${lint.stderr}`, 30) }).toMatchObject({
			code: 0,
		});
	});
});
