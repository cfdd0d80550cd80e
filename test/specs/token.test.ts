/**
 * The credential's token handling as the node lives it, over real HTTP against the simulator:
 * which token goes to which host after the user edits the credential, retries of the token
 * request, and how many token requests a run with a refused client makes.
 */
import { sleep, type INodeExecutionData } from 'n8n-workflow';

import { clearNexthinkTokenCache, tokenRequestSettings } from '../../credentials/nexthinkToken';
import { startSimulator, type NexthinkSimulator } from '../simulator';
import { nexthinkTestbed, type NexthinkTestbed } from '../support/nexthink';

const defaultTokenSettings = { ...tokenRequestSettings };

const execute = (queryId = '#all_devices') => ({ resource: 'nql', operation: 'execute', queryId });
const items = (count: number): INodeExecutionData[] =>
	Array.from({ length: count }, (_, i) => ({ json: { i } }));
const bearerOf = (authorization: string | undefined) =>
	/^Bearer (\S+)$/.exec(authorization ?? '')?.[1];

describe('Nexthink token handling', () => {
	let bed: NexthinkTestbed;
	/** A second tenant: another API host and login host. */
	let other: NexthinkSimulator;

	beforeAll(async () => {
		bed = await nexthinkTestbed();
		other = await startSimulator({ clientSecret: 'other-tenant-secret' });
	});
	afterAll(async () => {
		Object.assign(tokenRequestSettings, defaultTokenSettings);
		await bed.close();
		await other.stop();
	});
	beforeEach(() => {
		Object.assign(tokenRequestSettings, defaultTokenSettings, {
			baseBackoffMs: 20,
			maxBackoffMs: 50,
		});
		bed.reset();
		other.reset();
	});

	const stored = () => bed.store.get(bed.credentialId);
	const edit = (changes: Record<string, string>) =>
		bed.store.set(bed.credentialId, { ...stored(), ...changes });
	/** Every token sim A handed out that reached its API, and the one stored now. */
	const tokensOf = (sim: NexthinkSimulator) =>
		new Set(
			sim.log
				.filter((entry) => entry.host === 'api')
				.map((entry) => bearerOf(entry.headers.authorization))
				.filter((token): token is string => token !== undefined),
		);
	const apiCalls = (sim: NexthinkSimulator) =>
		sim.log.filter((entry) => entry.endpoint === 'nql.execute.v2');
	const failures = async (run: Promise<unknown>) => (await run.catch((e: unknown) => e)) as Error;

	describe('a stored token is only sent while the credential is the one it was issued for', () => {
		it('stores the fingerprint of what the token was issued for, and sends the token only to the API host', async () => {
			await bed.run(execute());

			const data = stored();
			expect(data.accessToken).toMatch(/\S{20,}/);
			expect(data.accessTokenFingerprint).toMatch(/^[0-9a-f]{64}$/);
			expect(String(data.accessTokenFingerprint)).not.toContain(bed.sim.clientSecret);
			expect(bearerOf(apiCalls(bed.sim)[0].headers.authorization)).toBe(data.accessToken);
			for (const entry of bed.sim.log.filter((e) => e.host !== 'api')) {
				expect(entry.headers.authorization ?? '').not.toMatch(/Bearer/i);
			}
		});

		it('never sends the old token to the new host after API Base URL and Token URL change', async () => {
			await bed.run(execute());
			const tokensOfA = tokensOf(bed.sim);
			tokensOfA.add(String(stored().accessToken));
			expect(tokensOfA.size).toBeGreaterThan(0);

			edit({
				apiBaseUrl: other.apiBaseUrl,
				tokenUrl: other.tokenUrl,
				clientSecret: other.clientSecret,
			});
			const [rows] = await bed.run(execute());

			expect(rows.length).toBeGreaterThan(0);
			const seenByB = other.log.map((entry) => entry.headers.authorization ?? '');
			for (const token of tokensOfA) {
				for (const header of seenByB) expect(header).not.toContain(token);
			}
			// the first call went without a token; B's 401 made n8n fetch one from B
			expect(apiCalls(other).map((c) => [c.status, bearerOf(c.headers.authorization)])).toEqual([
				[401, undefined],
				[200, stored().accessToken],
			]);
			expect(other.tokensIssued).toBe(1);
			expect(bed.sim.count('token')).toBe(1);
		});

		it('never sends the old token to the new API host when only the API Base URL changes', async () => {
			await bed.run(execute());
			const tokensOfA = tokensOf(bed.sim);
			tokensOfA.add(String(stored().accessToken));

			edit({ apiBaseUrl: other.apiBaseUrl });
			// B does not know tokens of A's login host: the run fails with the API's 401
			const error = await failures(bed.run(execute()));

			expect(error.message).toMatch(/did not accept the credential's token/);
			expect(other.log.length).toBeGreaterThan(0);
			for (const entry of other.log) {
				const token = bearerOf(entry.headers.authorization);
				if (token !== undefined) expect(tokensOfA.has(token)).toBe(false);
			}
		});

		it('after a secret change, asks the token endpoint with the new secret and sends the old token nowhere', async () => {
			await bed.run(execute());
			const oldToken = String(stored().accessToken);
			bed.sim.reset();

			edit({ clientSecret: 'a-wrong-new-secret' });
			const error = await failures(bed.run(execute()));

			expect(error.message).toMatch(/rejected the client ID or secret/);
			expect(error.message).not.toContain('a-wrong-new-secret');
			for (const entry of bed.sim.log) {
				expect(entry.headers.authorization ?? '').not.toContain(oldToken);
			}
			const tokenCalls = bed.requests('token');
			expect(tokenCalls).toHaveLength(1);
			expect(tokenCalls[0].headers.authorization).toBe(
				`Basic ${Buffer.from(`${bed.sim.clientId}:a-wrong-new-secret`).toString('base64')}`,
			);
		});

		it.each([
			['a token stored by an older version, without fingerprint', { accessTokenFingerprint: '' }],
			['a token of another client authentication', { clientAuthentication: 'body' }],
		])('does not send %s: fetches a new one', async (_case, changes) => {
			await bed.run(execute());
			const oldToken = String(stored().accessToken);
			clearNexthinkTokenCache(); // a restart, or another worker
			bed.sim.reset();

			edit(changes);
			const [rows] = await bed.run(execute());

			expect(rows.length).toBeGreaterThan(0);
			const calls = apiCalls(bed.sim).map((c) => bearerOf(c.headers.authorization));
			expect(calls).toHaveLength(2);
			expect(calls[0]).toBeUndefined();
			expect(calls[1]).toBeDefined();
			expect(calls[1]).not.toBe(oldToken);
			expect(bed.sim.count('token')).toBe(1);
			if ((changes as Record<string, string>).clientAuthentication === 'body') {
				expect(bed.requests('token')[0].headers.authorization).toBeUndefined();
				expect(bed.requests('token')[0].body).toHaveProperty('client_secret', bed.sim.clientSecret);
			}
		});

		it('still makes one token request for 100 parallel items after the hosts changed', async () => {
			await bed.run(execute());
			edit({
				apiBaseUrl: other.apiBaseUrl,
				tokenUrl: other.tokenUrl,
				clientSecret: other.clientSecret,
			});

			const [rows] = await bed.run({ ...execute(), options: { concurrency: 20 } }, items(100));

			expect(new Set(rows.map((row) => (row.pairedItem as { item: number }).item)).size).toBe(100);
			expect(other.count('token')).toBe(1);
			expect(apiCalls(other).filter((c) => c.status === 200)).toHaveLength(100);
		});
	});

	describe('retries of the token request', () => {
		it('retries after a 503, a 429 (waiting its Retry-After) and a dropped connection', async () => {
			bed.sim.inject('token', { type: 'status', status: 503 });
			bed.sim.inject('token', { type: 'rateLimit', retryAfter: 1 });
			bed.sim.inject('token', { type: 'drop' });
			const started = Date.now();

			const [rows] = await bed.run(execute());

			expect(rows.length).toBeGreaterThan(0);
			expect(bed.requests('token').map((call) => call.status)).toEqual([503, 429, 0, 200]);
			expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		});

		it('gives up after 3 retries and says how often it tried', async () => {
			bed.sim.inject('token', { type: 'status', status: 500 }, 5);

			const error = await failures(bed.run(execute()));

			expect(error.message).toMatch(/token endpoint .* answered HTTP 500 \(tried 4 times\)/);
			expect(bed.requests('token')).toHaveLength(4);
			expect(apiCalls(bed.sim)).toHaveLength(0);
		});

		it('does not wait for a Retry-After longer than the cap', async () => {
			bed.sim.inject('token', { type: 'rateLimit', retryAfter: 120 });
			const started = Date.now();

			const error = await failures(bed.run(execute()));

			expect(error.message).toMatch(/throttling token requests \(429\) and asks to wait 120 s/);
			expect(bed.requests('token')).toHaveLength(1);
			expect(Date.now() - started).toBeLessThan(5000);
		});

		it('does not retry a refused client (401)', async () => {
			bed.resetCredential({ clientSecret: 'not-the-secret' });

			await failures(bed.run(execute()));

			expect(bed.requests('token').map((call) => call.status)).toEqual([401]);
		});
	});

	describe('a fleet against a refused client', () => {
		it('500 items with a wrong secret make at most 3 token requests, and every item says why', async () => {
			bed.resetCredential({ clientSecret: 'not-the-secret' });

			const [out] = await bed.run(execute(), items(500), { onError: 'continueRegularOutput' });

			expect(out).toHaveLength(500);
			for (const item of out) {
				expect(item.json.error).toMatch(
					/Nexthink rejected the client ID or secret \(invalid_client\)/,
				);
				expect(JSON.stringify(item.json)).not.toContain('not-the-secret');
			}
			expect(bed.requests('token').length).toBeGreaterThanOrEqual(1);
			expect(bed.requests('token').length).toBeLessThanOrEqual(3);
			expect(apiCalls(bed.sim)).toHaveLength(0);
		});

		it('remembers a failure only briefly, and never for other settings', async () => {
			tokenRequestSettings.failureMemoryMs = 300;
			bed.resetCredential({ clientSecret: 'not-the-secret' });
			await failures(bed.run(execute()));
			await failures(bed.run(execute()));
			expect(bed.requests('token')).toHaveLength(1);

			await sleep(400);
			await failures(bed.run(execute()));
			expect(bed.requests('token')).toHaveLength(2);

			// the user fixes the secret: a new fingerprint, nothing remembered
			edit({ clientSecret: bed.sim.clientSecret });
			const [rows] = await bed.run(execute());
			expect(rows.length).toBeGreaterThan(0);
			expect(bed.requests('token').map((call) => call.status)).toEqual([401, 401, 200]);
		});

		it('an API host that refuses brand-new tokens gets at most one refetch, and every item fails with its 401', async () => {
			// token from A's login host, API of another tenant: an instance or region mismatch
			bed.resetCredential({ apiBaseUrl: other.apiBaseUrl });

			const [out] = await bed.run({ ...execute(), options: { concurrency: 20 } }, items(200), {
				onError: 'continueRegularOutput',
			});

			expect(out).toHaveLength(200);
			for (const item of out) {
				expect(item.json.error).toMatch(
					/did not accept the credential's token for NQL Execute \(401\)/,
				);
			}
			expect(bed.sim.count('token')).toBeGreaterThanOrEqual(1);
			expect(bed.sim.count('token')).toBeLessThanOrEqual(2);
			expect(other.count('token')).toBe(0);
		});
	});
});
