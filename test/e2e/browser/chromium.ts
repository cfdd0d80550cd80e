/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: starts Debian's Chromium for the editor test (profile in a temp folder, screenshots and the browser's console written to test-artifacts/), never runs inside n8n */
/**
 * Headless Chromium for the editor test: Debian's `chromium` (/usr/bin/chromium) driven by
 * playwright-core. Playwright cannot download its own browsers on this kind of machine, so the
 * system browser is used with the launch arguments that keep it off the network (only loopback
 * is reachable here) and a fresh profile folder for every run.
 *
 * A missing or broken Chromium is an error that says so (BrowserUnavailableError): the editor
 * test fails with it, it never skips.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

import { ensureSystemPackage, REPO_ROOT, say } from '../n8n';

/** Debian's Chromium; CHROMIUM_PATH points elsewhere (another system's Chromium or Chrome). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Headless, no sandbox (CI runs as root), no GPU, and none of Chromium's own connections
 * (QUIC, first-run, background networking, component updates, sync): on this machine only
 * loopback answers and each of them would fail, many at a time.
 */
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** The only hosts the page may reach: n8n and the simulator listen on 127.0.0.1. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export class BrowserUnavailableError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BrowserUnavailableError';
	}
}

export interface HeadlessChromium {
	context: BrowserContext;
	page: Page;
	/** The browser's console errors, page errors and blocked requests, in order. */
	problems: string[];
	close(): Promise<void>;
}

/** Playwright's launch error, without its long call log. */
function launchReason(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.split('\n').slice(0, 12).join('\n').slice(0, 2_000);
}

/**
 * Starts headless Chromium with a fresh profile (`--user-data-dir` in a temp folder, removed on
 * close) and one page. n8n marks its elements with `data-test-id`: `page.getByTestId()` looks
 * for that attribute.
 */
export async function launchChromium(
	options: { viewport?: { width: number; height: number } } = {},
): Promise<HeadlessChromium> {
	if (!process.env.CHROMIUM_PATH) {
		// Debian's package, installed by the suite itself when it runs as root (a fresh machine).
		const problem = await ensureSystemPackage(
			{
				binary: CHROMIUM_PATH,
				packages: ['chromium'],
				purpose: 'the editor test (playwright cannot download its own browsers here)',
			},
			say,
		).then(
			() => undefined,
			(error: Error) => error,
		);
		if (problem)
			throw new BrowserUnavailableError(
				`${problem.message} Or set CHROMIUM_PATH to another Chromium.`,
			);
	}
	if (!existsSync(CHROMIUM_PATH))
		throw new BrowserUnavailableError(
			`Chromium is not installed: ${CHROMIUM_PATH} (CHROMIUM_PATH) does not exist. The editor test drives Chromium ` +
				`with playwright-core (playwright cannot download its own browsers here).`,
		);
	selectors.setTestIdAttribute('data-test-id');
	const userDataDir = mkdtempSync(join(tmpdir(), 'n8n-nexthink-chromium-'));
	let context: BrowserContext | undefined;
	let failure: unknown;
	try {
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM_PATH,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: options.viewport ?? { width: 1440, height: 900 },
			timeout: 60_000,
		});
	} catch (error) {
		failure = error;
	}
	if (!context) {
		rmSync(userDataDir, { recursive: true, force: true });
		throw new BrowserUnavailableError(
			`Chromium at ${CHROMIUM_PATH} could not start (arguments: ${CHROMIUM_ARGS.join(' ')}):\n${launchReason(failure)}`,
		);
	}
	// Narrowed once for the closures below.
	const launched: BrowserContext = context;
	const page = launched.pages()[0] ?? (await launched.newPage());
	const problems: string[] = [];
	page.on('console', (message) => {
		if (message.type() !== 'error') return;
		const where = message.location().url;
		problems.push(`console.error: ${message.text()}${where ? ` (${where})` : ''}`);
	});
	page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
	// Only loopback: the editor also asks outside hosts (the npm registry about a community
	// package, n8n's own services); those requests are stopped here and noted.
	await launched.route(
		(url) => !LOOPBACK_HOSTS.has(url.hostname) && /^(https?|wss?):$/.test(url.protocol),
		async (route) => {
			problems.push(`blocked (not loopback): ${route.request().method()} ${route.request().url()}`);
			await route.abort('blockedbyclient');
		},
	);
	return {
		context: launched,
		page,
		problems,
		close: async () => {
			await launched.close().catch(() => undefined);
			rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

/** Numbered screenshots and notes of one test, in test-artifacts/<name>/ (emptied first; ignored by git). */
export class Artifacts {
	private count = 0;
	readonly folder: string;

	constructor(name: string) {
		const folder = join(REPO_ROOT, 'test-artifacts', name);
		this.folder = folder;
		rmSync(folder, { recursive: true, force: true });
		mkdirSync(folder, { recursive: true });
	}

	/** Saves the page as `NN-name.png` and returns its path. */
	async screenshot(page: Page, name: string): Promise<string> {
		this.count += 1;
		const file = join(this.folder, `${String(this.count).padStart(2, '0')}-${name}.png`);
		// Animations (dropdowns fading in) are run to their end first: the picture shows the settled page.
		await page.screenshot({ path: file, animations: 'disabled' });
		return file;
	}

	/** Writes (or appends to) a text file beside the screenshots. */
	note(name: string, text: string, options: { append?: boolean } = {}): void {
		const file = join(this.folder, name);
		if (options.append) appendFileSync(file, text);
		else writeFileSync(file, text);
	}
}
