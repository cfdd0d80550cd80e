import { clearNexthinkTokenCache, NexthinkApi } from '../credentials/NexthinkApi.credentials';
import { CredentialStore, testCredential } from './harness';
import { startSimulator, type NexthinkSimulator } from './simulator';

describe('Nexthink API credential', () => {
	let sim: NexthinkSimulator;
	let store: CredentialStore;

	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => {
		await sim.stop();
	});
	beforeEach(() => {
		sim.reset();
		clearNexthinkTokenCache();
		store = new CredentialStore([new NexthinkApi()]);
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
});
