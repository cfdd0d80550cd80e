/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: these tests drive the stand-alone simulator over HTTP, they never run inside n8n */
/**
 * The simulator invents nothing silently: what the sources leave open is answered in the
 * documented shape and marked as the simulator's own (codes `SIMULATOR_…`, NQL `source:
 * "simulator"`), and every request that breaks the contract is rejected and recorded (strict
 * mode adds the simulator's own readings: unknown fields, a JSON body without its Content-Type).
 * Each test that makes the simulator reject a request says so with expectSimulatorRejections().
 */
import { request } from 'undici';

import { startSimulator, type NexthinkSimulator, type SimulatorOptions } from '.';
import { expectSimulatorRejections } from '../support/strict';

interface Answer {
	status: number;
	text: string;
	contentType: string;
	json<T = Record<string, unknown>>(): T;
}

async function connect(sim: NexthinkSimulator) {
	const login = await request(sim.tokenUrl, {
		method: 'POST',
		headers: {
			authorization: `Basic ${Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64')}`,
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: 'grant_type=client_credentials&scope=service%3Aintegration',
	});
	const { access_token: token } = (await login.body.json()) as { access_token: string };
	return async (
		path: string,
		options: {
			method?: string;
			json?: unknown;
			body?: string;
			headers?: Record<string, string>;
		} = {},
	): Promise<Answer> => {
		const body = options.json === undefined ? options.body : JSON.stringify(options.json);
		const headers: Record<string, string> = {
			authorization: `Bearer ${token}`,
			...options.headers,
		};
		if (options.json !== undefined) headers['content-type'] ??= 'application/json';
		const res = await request(`${sim.apiBaseUrl}${path}`, {
			method: (options.method ?? (body === undefined ? 'GET' : 'POST')) as 'GET',
			headers,
			body,
		});
		const text = await res.body.text();
		return {
			status: res.statusCode,
			text,
			contentType: String(res.headers['content-type'] ?? ''),
			json: <T>() => JSON.parse(text) as T,
		};
	};
}

let sim: NexthinkSimulator;
let api: Awaited<ReturnType<typeof connect>>;

beforeAll(async () => {
	sim = await startSimulator({ exportTimings: { submittedMs: 0, inProgressMs: 0 } });
	api = await connect(sim);
});
afterAll(() => sim.stop());
beforeEach(() => sim.reset());

async function withSim(options: SimulatorOptions, run: (call: typeof api) => Promise<void>) {
	const other = await startSimulator(options);
	try {
		await run(await connect(other));
	} finally {
		await other.stop();
	}
}

const device = () => sim.data.devices[0].collectorUid;
const sid = () => sim.data.users[0].sid;

describe('NQL execute: Accept as documented (§2.2)', () => {
	it.each([['*/*'], ['application/*'], ['text/*'], ['application/xml']])(
		'answers 406 without body to Accept: %s alone, and records it',
		async (accept) => {
			expectSimulatorRejections();
			const res = await api('/api/v2/nql/execute', {
				json: { queryId: '#users' },
				headers: { accept },
			});

			expect([res.status, res.text]).toEqual([406, '']);
			expect(sim.rejections.at(-1)).toMatchObject({
				endpoint: 'nql.execute.v2',
				status: 406,
				reason: expect.stringContaining(accept),
			});
		},
	);

	it.each([
		['', 'application/json'],
		['application/json', 'application/json'],
		['application/json, text/plain, */*', 'application/json'],
		['text/csv', 'text/csv'],
		['*/*;q=0.1, text/csv', 'text/csv'],
	])('serves Accept: "%s" as %s', async (accept, type) => {
		const res = await api('/api/v1/nql/execute', {
			json: { queryId: '#users' },
			headers: accept ? { accept } : {},
		});

		expect(res.status).toBe(200);
		expect(res.contentType).toContain(type);
	});
});

describe('answers the sources leave open are marked as the simulator’s', () => {
	it('NQL: a 400 (no NQL endpoint declares one) has source "simulator"; the declared 403 has not', async () => {
		expectSimulatorRejections();
		const badId = await api('/api/v2/nql/execute', { json: { queryId: 'all_devices' } });
		expect([badId.status, badId.json()]).toEqual([
			400,
			{ message: expect.stringContaining("'all_devices'"), code: 400, source: 'simulator' },
		]);
		// A parameter the saved query declares but the request lacks: the simulator's reading
		// (400), not a contract rejection: no client can know a query's parameters.
		const before = sim.rejections.length;
		const missing = await api('/api/v2/nql/execute', { json: { queryId: '#devices_by_os' } });
		expect([missing.status, missing.json()]).toEqual([
			400,
			{ message: expect.stringContaining("'os'"), code: 400, source: 'simulator' },
		]);
		expect(sim.rejections).toHaveLength(before);

		sim.setPermissions([]);
		const forbidden = await api('/api/v2/nql/execute', { json: { queryId: '#users' } });
		expect(forbidden.json()).toMatchObject({ code: 403, source: 'nql-api' });
	});

	it('campaigns: only INVALID_CAMPAIGN_TRIGGER_TYPE is Nexthink’s code; the others are SIMULATOR_…', async () => {
		const trigger = (body: Record<string, unknown>) =>
			api('/api/v1/euf/campaign/trigger', {
				json: { campaignNqlId: '#general_survey', userSid: [sid()], expiresInMinutes: 60, ...body },
			}).then((res) => res.json<{ code: string }>().code);

		expect(await trigger({ campaignNqlId: '#quarterly_pulse' })).toBe(
			'INVALID_CAMPAIGN_TRIGGER_TYPE',
		);
		expect(await trigger({ campaignNqlId: '#nope' })).toBe('SIMULATOR_CAMPAIGN_NOT_FOUND');
		expect(await trigger({ campaignNqlId: '#old_feedback' })).toBe(
			'SIMULATOR_CAMPAIGN_NOT_PUBLISHED',
		);
		expect(
			await trigger({
				campaignNqlId: '#it_satisfaction_survey',
				parameters: { ticket_number: '1' },
			}),
		).toBe('SIMULATOR_INVALID_PARAMETERS');
		// Business answers, not contract rejections.
		expect(sim.rejections.filter((r) => r.endpoint === 'campaign.trigger')).toHaveLength(0);
	});

	it('remote actions: codes are SIMULATOR_…, and an execution without expiry is answered without one', async () => {
		const execute = (body: Record<string, unknown>) =>
			api('/api/v1/act/execute', {
				json: { remoteActionId: '#get_disk_space', devices: [device()], ...body },
			});

		const plain = await execute({});
		expect(plain.json()).toEqual({ requestId: expect.any(String) });
		expect((await execute({ expiresInMinutes: 10080 })).json()).toMatchObject({
			expiresInMinutes: 10080,
		});
		expect((await execute({ remoteActionId: '#nope' })).json()).toMatchObject({
			code: 'SIMULATOR_REMOTE_ACTION_NOT_FOUND',
		});
		expect(
			(
				await execute({ remoteActionId: '#clear_browser_cache', params: { browser: 'opera' } })
			).json(),
		).toMatchObject({ code: 'SIMULATOR_INVALID_PARAMETERS' });
		expect(sim.data.remoteActionExecutions[0].expiresInMinutes).toBeNull();
	});

	it('the default codes of string-code domains are SIMULATOR_… too (injected statuses, permissions)', async () => {
		sim.inject('remoteAction.list', { type: 'status', status: 500 });
		expect((await api('/api/v1/act/remote-action')).json()).toMatchObject({
			code: 'SIMULATOR_INTERNAL_ERROR',
		});
		sim.setPermissions(['nql']);
		expect((await api('/api/v1/act/remote-action')).json()).toMatchObject({
			code: 'SIMULATOR_FORBIDDEN',
		});
	});
});

describe('contract checks (always on)', () => {
	it('takes a null compression as none, as documented, and rejects an unknown one', async () => {
		const none = await api('/api/v1/nql/export', {
			json: { queryId: '#users', compression: null },
		});
		expect(none.status).toBe(200);
		expect(sim.data.exports.at(-1)?.compression).toBe('NONE');

		expectSimulatorRejections();
		const zip = await api('/api/v1/nql/export', {
			json: { queryId: '#users', compression: 'ZIP' },
		});
		expect([zip.status, zip.json()]).toEqual([
			400,
			{ message: expect.stringContaining("'ZIP'"), code: 400, source: 'simulator' },
		]);
	});

	it('records each rejection: endpoint, request, status, code and reason; reset() keeps them', async () => {
		expectSimulatorRejections();
		const before = sim.rejections.length;
		await api('/api/v1/euf/campaign/trigger', {
			json: { campaignNqlId: '#general_survey', userSid: ['not-a-sid'], expiresInMinutes: 60 },
		});
		await api('/api/v1/act/execute', {
			json: { remoteActionId: '#get_disk_space', devices: [device()], expiresInMinutes: 59 },
		});
		await api('/api/v1/workflow/execute', { json: {} });
		await api('/api/v1/nql/execute');
		sim.reset();

		expect(sim.rejections.slice(before)).toEqual([
			{
				at: expect.any(String),
				endpoint: 'campaign.trigger',
				method: 'POST',
				path: '/api/v1/euf/campaign/trigger',
				status: 400,
				code: 'SIMULATOR_INVALID_USER_SID',
				reason: "userSid 'not-a-sid' is not a valid SID.",
			},
			expect.objectContaining({
				endpoint: 'remoteAction.execute',
				status: 400,
				code: 'SIMULATOR_BAD_REQUEST',
				reason: expect.stringContaining('expiresInMinutes 59'),
			}),
			expect.objectContaining({
				endpoint: 'unknown',
				status: 404,
				path: '/api/v1/workflow/execute',
			}),
			expect.objectContaining({ endpoint: 'nql.execute.v1', status: 405 }),
		]);
	});

	it('marks the rejected request in the log and lists the rejections on the control API', async () => {
		expectSimulatorRejections();
		await api('/api/v2/nql/execute', { json: { queryId: '#users', parameters: { a: 1 } } });

		expect(sim.log.at(-1)?.rejected).toContain('parameters.a');
		const listed = await request(`${sim.apiBaseUrl}/_simulator/rejections`);
		const body = (await listed.body.json()) as { strict: boolean; rejections: unknown[] };
		expect(body.strict).toBe(true);
		expect(body.rejections.at(-1)).toMatchObject({ endpoint: 'nql.execute.v2', status: 400 });
	});

	it('does not count business answers (unknown IDs) or auth failures as rejections', async () => {
		const before = sim.rejections.length;
		await api('/api/v2/nql/execute', { json: { queryId: '#no_such_query' } });
		await api('/api/v1/act/remote-action/details?nql-id=%23nope');
		sim.expireAllTokens();
		await api('/api/v2/nql/execute', { json: { queryId: '#users' } });
		api = await connect(sim);

		expect(sim.rejections).toHaveLength(before);
	});
});

describe('data management and Spark hold requests to §7.1', () => {
	const deletions = '/api/v1/data-management/device/deletions';
	const entry = () => ({ uid: sim.data.devices[0].uid, name: sim.data.devices[0].name });

	it('deletions: records what breaks the contract with its documented code; a malformed UID is answered per device', async () => {
		expectSimulatorRejections();
		const requestId = '0a8f1c2e-5b7d-4e9a-8c3f-1d2e3f4a5b6c';
		const cases: Array<[unknown, string]> = [
			[{ devices: [] }, 'EMPTY_REQUEST'],
			[{ devices: Array.from({ length: 101 }, entry) }, 'BATCH_SIZE_EXCEEDED'],
			[{ devices: [{ uid: sim.data.devices[0].uid, name: ' ' }] }, 'INVALID_REQUEST'],
			[{ devices: [{ name: 'LAPTOP-00001' }] }, 'INVALID_REQUEST'],
		];
		for (const [json, code] of cases) {
			const before = sim.rejections.length;
			const res = await api(deletions, { json, headers: { 'x-request-id': requestId } });
			expect([res.status, res.json().code]).toEqual([400, code]);
			expect(sim.rejections.slice(before)).toEqual([
				expect.objectContaining({ endpoint: 'dataManagement.deletions', status: 400, code }),
			]);
		}

		const before = sim.rejections.length;
		const malformed = await api(deletions, {
			json: { devices: [{ uid: 'not-a-uuid', name: 'X' }] },
		});
		expect([malformed.status, malformed.json()]).toEqual([
			202,
			{
				scheduledCount: 0,
				status: 'ACCEPTED',
				devices: [{ uid: 'not-a-uuid', name: 'X', status: 'INVALID' }],
			},
		]);
		expect(sim.rejections).toHaveLength(before);
	});

	it('Spark: records a handoff without User-Principal-Name or with a part the schema has not (400, no body); an unknown user is a 404', async () => {
		expectSimulatorRejections();
		const upn = { 'user-principal-name': sim.data.users[0].upn };
		const text = { message: { parts: [{ type: 'TEXT', text: 'hi' }] } };
		const cases: Array<[Record<string, string>, unknown, string]> = [
			[{}, text, 'User-Principal-Name'],
			[upn, { message: { parts: [{ type: 'IMAGE', url: 'x' }] } }, "'IMAGE'"],
			[upn, { message: { parts: [{ type: 'FILE', fileContent: 'eA==' }] } }, 'mimeType'],
			[upn, { ...text, metadata: { ticket: 1 } }, 'metadata.ticket'],
		];
		for (const [headers, json, reason] of cases) {
			const res = await api('/api/v1/spark/handoff', { json, headers });
			expect([res.status, res.text]).toEqual([400, '']);
			expect(sim.rejections.at(-1)).toMatchObject({
				endpoint: 'spark.handoff',
				status: 400,
				reason: expect.stringContaining(reason),
			});
		}

		const before = sim.rejections.length;
		const unknown = await api('/api/v1/spark/handoff', {
			json: text,
			headers: { 'user-principal-name': 'ghost@example.com' },
		});
		expect(unknown.status).toBe(404);
		expect(sim.rejections).toHaveLength(before);
	});
});

describe('strict mode: the simulator’s own readings', () => {
	const cases: Array<[string, string, Record<string, unknown>, string]> = [
		['NQL execute', '/api/v2/nql/execute', { queryId: '#users', params: { a: 'b' } }, "'params'"],
		['NQL export', '/api/v1/nql/export', { queryId: '#users', format: 'csv' }, "'format'"],
		[
			'campaign trigger (params for parameters, as the PowerShell module sends)',
			'/api/v1/euf/campaign/trigger',
			{
				campaignNqlId: '#general_survey',
				userSid: ['S-1-5-21-1-2-3-1001'],
				expiresInMinutes: 60,
				params: {},
			},
			"'params'",
		],
		[
			'remote action execute',
			'/api/v1/act/execute',
			{
				remoteActionId: '#get_disk_space',
				devices: ['2bdb0941-2507-40de-854a-3efa1784b26b'],
				parameters: {},
			},
			"'parameters'",
		],
		[
			'remote action triggerInfo',
			'/api/v1/act/execute',
			{
				remoteActionId: '#get_disk_space',
				devices: ['2bdb0941-2507-40de-854a-3efa1784b26b'],
				triggerInfo: { source: 'n8n' },
			},
			"'source'",
		],
		[
			'device deletion entry',
			'/api/v1/data-management/device/deletions',
			{
				devices: [
					{
						uid: '2bdb0941-2507-40de-854a-3efa1784b26b',
						name: 'LAPTOP-00001',
						collectorUid: '2bdb0941-2507-40de-854a-3efa1784b26b',
					},
				],
			},
			"'collectorUid'",
		],
	];

	it.each(cases)(
		'rejects a field the %s schema does not declare; lenient mode ignores it',
		async (_name, path, json, field) => {
			expectSimulatorRejections();
			const strict = await api(path, { json });
			expect(strict.status).toBe(400);
			expect(strict.text).toContain(field);
			expect(sim.rejections.at(-1)?.reason).toContain('does not declare');

			await withSim({ strict: false }, async (call) => {
				expect((await call(path, { json })).status).not.toBe(400);
			});
		},
	);

	it('wants Content-Type: application/json on a JSON body (415); lenient mode guesses it', async () => {
		expectSimulatorRejections();
		const body = JSON.stringify({ queryId: '#users' });
		const strict = await api('/api/v2/nql/execute', { body });
		expect([strict.status, strict.json()]).toEqual([
			415,
			{ message: expect.stringContaining('no Content-Type'), code: 415, source: 'simulator' },
		]);

		await withSim({ strict: false }, async (call) => {
			expect((await call('/api/v2/nql/execute', { body })).status).toBe(200);
		});
	});
});
