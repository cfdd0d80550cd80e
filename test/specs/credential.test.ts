import { NexthinkApi } from '../../credentials/NexthinkApi.credentials';
import { clearNexthinkTokenCache, tokenRequestSettings } from '../../credentials/nexthinkToken';
import { CredentialStore, testCredential } from '../harness';
import { startSimulator, type NexthinkSimulator } from '../simulator';

const defaultTokenSettings = { ...tokenRequestSettings };

describe('Nexthink API credential', () => {
	let sim: NexthinkSimulator;
	/** Where a redirect points: it must never receive anything. */
	let elsewhere: NexthinkSimulator;
	let store: CredentialStore;

	beforeAll(async () => {
		sim = await startSimulator();
		elsewhere = await startSimulator();
	});
	afterAll(async () => {
		await sim.stop();
		await elsewhere.stop();
	});
	beforeEach(() => {
		sim.reset();
		elsewhere.reset();
		clearNexthinkTokenCache();
		Object.assign(tokenRequestSettings, defaultTokenSettings);
		store = new CredentialStore([new NexthinkApi()]);
	});
	afterAll(() => {
		Object.assign(tokenRequestSettings, defaultTokenSettings);
	});

	const test = async (data: Record<string, string>) => {
		const { id } = store.add('nexthinkApi', { ...sim.credentials(), accessToken: '', ...data });
		return await testCredential({ store, type: 'nexthinkApi', id });
	};

	it('passes the test with the right client ID and secret, asking the token endpoint with Basic auth', async () => {
		const result = await test({});

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const tokenCalls = sim.log.filter((entry) => entry.endpoint === 'token');
		expect(tokenCalls.length).toBeGreaterThanOrEqual(1);
		for (const call of tokenCalls) {
			expect(call.headers.authorization).toMatch(/^Basic /);
			expect(call.body).toEqual({ grant_type: 'client_credentials', scope: 'service:integration' });
		}
	});

	it('fails with a message that names the client ID or secret when the secret is wrong', async () => {
		const result = await test({ clientSecret: 'not-the-secret' });

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/rejected the client ID or secret/);
		expect(result.message).not.toContain('not-the-secret');
	});

	it('still catches a wrong secret when a valid token from before is stored', async () => {
		const { id } = store.add('nexthinkApi', { ...sim.credentials(), accessToken: '' });
		expect((await testCredential({ store, type: 'nexthinkApi', id })).status).toBe('OK');
		expect(store.get(id).accessToken).not.toBe('');

		store.set(id, { ...store.get(id), clientSecret: 'rotated-away' });
		const result = await testCredential({ store, type: 'nexthinkApi', id });

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/rejected the client ID or secret/);
	});

	it('refuses an instance name that could point elsewhere, before any request', async () => {
		const result = await test({ region: 'eu', instance: 'evil.example/x?' });

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/not a valid instance name/);
		expect(sim.log).toHaveLength(0);
	});

	it('says the token endpoint cannot be reached when the token URL is wrong', async () => {
		const result = await test({ tokenUrl: 'http://127.0.0.1:9/oauth2/default/v1/token' });

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/Could not reach the Nexthink token endpoint 127\.0\.0\.1:9 \(connection refused\)/,
		);
	});

	it('refuses a token answer that is not a Bearer token', async () => {
		sim.inject('token', {
			type: 'status',
			status: 200,
			body: { token_type: 'mac', access_token: 'x', expires_in: 900 },
		});
		const result = await test({});

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/not Bearer/);
	});

	const tokenCalls = () => sim.log.filter((entry) => entry.endpoint === 'token');
	const basicOf = (id: string, secret: string) =>
		`Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

	describe('client authentication', () => {
		it('sends the client ID and secret in the form body, with no Authorization header, when asked', async () => {
			const result = await test({ clientAuthentication: 'body' });

			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
			// preAuthentication's request and the test request itself
			expect(tokenCalls().length).toBeGreaterThanOrEqual(2);
			for (const call of tokenCalls()) {
				expect(call.status).toBe(200);
				expect(call.headers.authorization).toBeUndefined();
				expect(call.body).toEqual({
					grant_type: 'client_credentials',
					scope: 'service:integration',
					client_id: sim.clientId,
					client_secret: sim.clientSecret,
				});
			}
		});

		it('sends HTTP Basic and no client_secret in the body by default', async () => {
			const result = await test({});

			expect(result.status).toBe('OK');
			expect(tokenCalls().length).toBeGreaterThanOrEqual(2);
			for (const call of tokenCalls()) {
				expect(call.headers.authorization).toBe(basicOf(sim.clientId, sim.clientSecret));
				expect(call.body).not.toHaveProperty('client_secret');
				expect(call.body).not.toHaveProperty('client_id');
			}
		});

		it('says the secret is wrong in body mode too, without the secret, and suggests HTTP Basic', async () => {
			const result = await test({
				clientAuthentication: 'body',
				clientSecret: 'wrong-body-secret',
			});

			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/rejected the client ID or secret \(invalid_client\)/);
			expect(result.message).toMatch(/try HTTP Basic/);
			expect(result.message).not.toContain('wrong-body-secret');
			expect(tokenCalls()).toHaveLength(1);
		});

		it('does not talk about instance and region for a wrong secret in Custom URLs mode', async () => {
			const result = await test({ clientSecret: 'not-the-secret' });

			expect(result.message).toMatch(/rejected the client ID or secret/);
			expect(result.message).toMatch(/Token URL/);
			expect(result.message).not.toMatch(/instance|region/i);
		});
	});

	describe('scope', () => {
		it('sends the configured scope URL-encoded in both modes', async () => {
			for (const clientAuthentication of ['basic', 'body']) {
				sim.reset();
				clearNexthinkTokenCache();
				const result = await test({ clientAuthentication, scope: ' service:integration ' });
				expect(result.status).toBe('OK');
				for (const call of tokenCalls())
					expect(call.body).toHaveProperty('scope', 'service:integration');
			}
		});

		it.each(['basic', 'body'])(
			'fails with invalid_scope (400) and names the scope to use when the scope is wrong (%s)',
			async (clientAuthentication) => {
				const result = await test({ clientAuthentication, scope: 'nql:read workflows' });

				expect(result.status).toBe('Error');
				expect(result.message).toMatch(
					/refused the scope "nql:read workflows" \(invalid_scope: One or more scopes are not configured/,
				);
				expect(result.message).toMatch(/Set Scope to service:integration/);
				expect(tokenCalls().map((call) => [call.status, call.body])).toEqual([
					[400, expect.objectContaining({ scope: 'nql:read workflows' })],
				]);
			},
		);

		it('sends no scope when the field is empty', async () => {
			const result = await test({ scope: '' });

			expect(result.status).toBe('OK');
			for (const call of tokenCalls())
				expect(call.body).toEqual({ grant_type: 'client_credentials' });
		});
	});

	describe('redirects', () => {
		it.each([302, 307, 308])(
			'never follows a %s of the token endpoint and names the host it points to',
			async (status) => {
				const target = new URL(elsewhere.tokenUrl);
				sim.inject('token', {
					type: 'status',
					status,
					headers: { Location: `${elsewhere.tokenUrl}?client_secret=${sim.clientSecret}&x=1` },
				});

				const result = await test({});

				expect(result).toEqual({
					status: 'Error',
					message: `The Nexthink token endpoint redirects to ${target.host}: use that address as the Token URL`,
				});
				expect(elsewhere.log).toHaveLength(0);
				expect(tokenCalls().map((call) => call.status)).toEqual([status]);
			},
		);

		it('resolves a relative Location against the Token URL and names only its host', async () => {
			sim.inject('token', {
				type: 'status',
				status: 307,
				headers: { Location: '/v2/token?sig=abc' },
			});

			const result = await test({});

			expect(result.message).toBe(
				`The Nexthink token endpoint redirects to ${new URL(sim.tokenUrl).host}: use that address as the Token URL`,
			);
			expect(tokenCalls()).toHaveLength(1);
		});

		it('the test request itself does not follow a redirect either', async () => {
			// preAuthentication gets its token; the test's own request is redirected
			sim.inject('token', { type: 'slow', delayMs: 0 });
			sim.inject('token', {
				type: 'status',
				status: 307,
				headers: { Location: elsewhere.tokenUrl },
			});

			const result = await test({});

			expect(result.status).toBe('Error');
			expect(tokenCalls().map((call) => call.status)).toEqual([200, 307]);
			expect(elsewhere.log).toHaveLength(0);
		});
	});

	it("names the token host to allow when the credential's Allowed Domains block it", async () => {
		const host = new URL(sim.tokenUrl);
		const result = await test({
			allowedHttpRequestDomains: 'domains',
			allowedDomains: 'acme.api.eu.nexthink.cloud',
		});

		expect(result.status).toBe('Error');
		expect(result.message).toContain(`n8n did not send the token request to ${host.host}`);
		expect(result.message).toContain(`Add ${host.hostname} to Allowed Domains`);
		expect(result.message).not.toMatch(/network error/);
		expect(sim.log).toHaveLength(0);
	});

	it('says the token endpoint did not answer in time, and does not try again', async () => {
		tokenRequestSettings.timeoutMs = 300;
		sim.inject('token', { type: 'slow', delayMs: 2000 });

		const result = await test({});

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			new RegExp(
				`^The Nexthink token endpoint ${new URL(sim.tokenUrl).host.replace(/\./g, '\\.')} did not answer within 0\\.3 s`,
			),
		);
		expect(tokenCalls()).toHaveLength(1);
	});

	it('never shows the secret or the Basic header that a token endpoint echoes back', async () => {
		const basic = basicOf(sim.clientId, sim.clientSecret).slice('Basic '.length);
		sim.inject('token', {
			type: 'status',
			status: 400,
			body: {
				error: 'invalid_request',
				error_description: `bad client_secret=${sim.clientSecret} in Basic ${basic}`,
			},
		});

		const result = await test({});

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/refused the request \(invalid_request: bad client_secret=\*\*\*/,
		);
		expect(result.message).not.toContain(sim.clientSecret);
		expect(result.message).not.toContain(basic);
	});

	it('has the region labels and required fields the editor shows', () => {
		const type = new NexthinkApi();
		const field = (name: string) => type.properties.find((property) => property.name === name);
		expect(field('region')?.options?.map((option) => (option as { name: string }).name)).toEqual([
			'Asia-Pacific (PAC)',
			'Custom URLs',
			'European Union (EU)',
			'Middle East, Turkey and Africa (META)',
			'United States (US)',
		]);
		for (const name of ['instance', 'apiBaseUrl', 'tokenUrl', 'clientId', 'clientSecret']) {
			expect(field(name)?.required).toBe(true);
		}
		expect(field('clientAuthentication')).toMatchObject({ default: 'basic' });
		expect(field('scope')).toMatchObject({ default: 'service:integration' });
	});
});
