/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: these tests drive the stand-alone simulator over HTTP, they never run inside n8n */
/**
 * The Nexthink simulator over real HTTP (undici), on 127.0.0.1 with ports chosen by the OS.
 */
import { setTimeout as wait } from 'node:timers/promises';
import * as zlib from 'node:zlib';
import { request } from 'undici';

import {
	startSimulator,
	USER_NOT_FOUND,
	ZSTD_MAGIC,
	type NexthinkSimulator,
	type SimulatorOptions,
} from '.';
import { allowSimulatorRejections } from '../support/strict';

// The simulator's own tests send bad requests on purpose: the suite's contract check is off here.
allowSimulatorRejections('this file holds the simulator to the contract with bad requests');

interface Res {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	raw: Buffer;
	text: string;
	json<T = Record<string, unknown>>(): T;
}

interface Opts {
	method?: string;
	headers?: Record<string, string>;
	body?: string | Buffer;
	json?: unknown;
	form?: Record<string, string>;
}

async function http(url: string, opts: Opts = {}): Promise<Res> {
	const headers: Record<string, string> = { ...opts.headers };
	let body = opts.body;
	if (opts.json !== undefined) {
		body = JSON.stringify(opts.json);
		headers['content-type'] ??= 'application/json';
	}
	if (opts.form) {
		body = new URLSearchParams(opts.form).toString();
		headers['content-type'] ??= 'application/x-www-form-urlencoded';
	}
	const res = await request(url, {
		method: (opts.method ?? (body === undefined ? 'GET' : 'POST')) as 'GET',
		headers,
		body,
	});
	const raw = Buffer.from(await res.body.arrayBuffer());
	const text = raw.toString('utf8');
	return {
		status: res.statusCode,
		headers: res.headers,
		raw,
		text,
		json: <T>() => JSON.parse(text) as T,
	};
}

const basic = (id: string, secret: string) =>
	`Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function tokenFor(sim: NexthinkSimulator): Promise<string> {
	const res = await http(sim.tokenUrl, {
		headers: { authorization: basic(sim.clientId, sim.clientSecret) },
		form: { grant_type: 'client_credentials', scope: 'service:integration' },
	});
	expect(res.status).toBe(200);
	return res.json<{ access_token: string }>().access_token;
}

/** A client bound to one simulator and its token. */
async function client(sim: NexthinkSimulator) {
	let token = await tokenFor(sim);
	const api = (path: string, opts: Opts = {}) =>
		http(`${sim.apiBaseUrl}${path}`, {
			...opts,
			headers: { authorization: `Bearer ${token}`, ...opts.headers },
		});
	return { api, refresh: async () => (token = await tokenFor(sim)), token: () => token };
}

async function withSim<T>(
	options: SimulatorOptions,
	run: (sim: NexthinkSimulator) => Promise<T>,
): Promise<T> {
	const sim = await startSimulator(options);
	try {
		return await run(sim);
	} finally {
		await sim.stop();
	}
}

/** RFC 4180 parser (CRLF records, quoted fields). */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c !== '"') field += c;
			else if (text[i + 1] === '"') field += text[++i];
			else quoted = false;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\r' && text[i + 1] === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			i++;
		} else field += c;
	}
	if (field !== '' || row.length > 0) rows.push([...row, field]);
	return rows;
}

/** Decodes a zstd frame made of raw/RLE blocks (what the simulator writes on Node without zstd). */
function decodeStoredZstd(buf: Buffer): Buffer {
	expect(buf.readUInt32LE(0)).toBe(ZSTD_MAGIC);
	const fhd = buf[4];
	const single = (fhd >> 5) & 1;
	let pos = 5 + (single ? 0 : 1) + [0, 1, 2, 4][fhd & 3];
	const fcsSize = [single ? 1 : 0, 2, 4, 8][fhd >> 6];
	const contentSize = fcsSize === 8 ? Number(buf.readBigUInt64LE(pos)) : undefined;
	pos += fcsSize;
	const parts: Buffer[] = [];
	for (;;) {
		const h = buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16);
		pos += 3;
		const type = (h >> 1) & 3;
		const size = h >>> 3;
		expect(size).toBeLessThanOrEqual(128 * 1024);
		expect([0, 1]).toContain(type);
		parts.push(type === 0 ? buf.subarray(pos, pos + size) : Buffer.alloc(size, buf[pos]));
		pos += type === 0 ? size : 1;
		if (h & 1) break;
	}
	expect(pos).toBe(buf.length);
	const out = Buffer.concat(parts);
	if (contentSize !== undefined) expect(out.length).toBe(contentSize);
	return out;
}

const nativeZstd = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer })
	.zstdDecompressSync;

let sim: NexthinkSimulator;
let api: Awaited<ReturnType<typeof client>>['api'];

beforeAll(async () => {
	sim = await startSimulator({ exportTimings: { submittedMs: 0, inProgressMs: 0 } });
	({ api } = await client(sim));
});
afterAll(() => sim.stop());
beforeEach(() => sim.reset());

describe('token endpoints', () => {
	it('issues a token with client_secret_basic and with client_secret_post', async () => {
		const viaBasic = await http(sim.tokenUrl, {
			headers: { authorization: basic('sim-client-id', 'sim-client-secret') },
			form: { grant_type: 'client_credentials', scope: 'service:integration' },
		});
		expect(viaBasic.status).toBe(200);
		expect(viaBasic.json()).toMatchObject({
			token_type: 'Bearer',
			expires_in: 900,
			scope: 'service:integration',
		});
		expect(viaBasic.json<{ access_token: string }>().access_token.split('.')).toHaveLength(3);
		expect(viaBasic.headers['cache-control']).toBe('no-store');
		const viaPost = await http(sim.tokenUrl, {
			form: {
				grant_type: 'client_credentials',
				client_id: sim.clientId,
				client_secret: sim.clientSecret,
			},
		});
		expect(viaPost.status).toBe(200);
		expect(sim.tokensIssued).toBe(2);
		expect(sim.count('token')).toBe(2);
	});

	it('rejects a wrong secret, a wrong grant, a wrong scope and two credentials at once, Okta style', async () => {
		const wrongSecret = await http(sim.tokenUrl, {
			headers: { authorization: basic(sim.clientId, 'nope') },
			form: { grant_type: 'client_credentials' },
		});
		expect(wrongSecret.status).toBe(401);
		expect(wrongSecret.json()).toEqual({
			error: 'invalid_client',
			error_description: "Invalid value for 'client_id' parameter.",
		});
		const wrongGrant = await http(sim.tokenUrl, {
			headers: { authorization: basic(sim.clientId, sim.clientSecret) },
			form: { grant_type: 'password' },
		});
		expect(wrongGrant.status).toBe(400);
		expect(wrongGrant.json()).toMatchObject({ error: 'unsupported_grant_type' });
		const wrongScope = await http(sim.tokenUrl, {
			headers: { authorization: basic(sim.clientId, sim.clientSecret) },
			form: { grant_type: 'client_credentials', scope: 'nql' },
		});
		expect(wrongScope.status).toBe(400);
		expect(wrongScope.json()).toMatchObject({ error: 'invalid_scope' });
		const both = await http(sim.tokenUrl, {
			headers: { authorization: basic(sim.clientId, sim.clientSecret) },
			form: {
				grant_type: 'client_credentials',
				client_id: sim.clientId,
				client_secret: sim.clientSecret,
			},
		});
		expect(both.status).toBe(400);
		expect(both.json()).toMatchObject({ error: 'invalid_request' });
		const none = await http(sim.tokenUrl, { form: { grant_type: 'client_credentials' } });
		expect(none.status).toBe(401);
		expect(sim.tokensIssued).toBe(0);
	});

	it('serves the legacy token call with Basic and any body (none, JSON, form)', async () => {
		const auth = { authorization: basic(sim.clientId, sim.clientSecret) };
		for (const opts of [
			{ method: 'POST' },
			{ json: { grant_type: 'client_credentials', scope: 'service:integration' } },
			{ form: { grant_type: 'client_credentials' } },
		]) {
			const res = await http(sim.legacyTokenUrl, { ...opts, headers: auth });
			expect(res.status).toBe(200);
			const { access_token } = res.json<{ access_token: string }>();
			const use = await http(`${sim.apiBaseUrl}/api/v1/act/remote-action`, {
				headers: { authorization: `Bearer ${access_token}` },
			});
			expect(use.status).toBe(200);
		}
		const bad = await http(sim.legacyTokenUrl, {
			method: 'POST',
			headers: { authorization: basic(sim.clientId, 'x') },
		});
		expect(bad.status).toBe(401);
		expect(bad.text).toBe('');
		expect(sim.count('legacyToken')).toBe(4);
	});
});

describe('Bearer auth and permissions', () => {
	it('answers 401 with an empty body without a valid token (Campaigns: {code, message})', async () => {
		const none = await http(`${sim.apiBaseUrl}/api/v1/workflows`);
		expect(none.status).toBe(401);
		expect(none.text).toBe('');
		const unknown = await http(`${sim.apiBaseUrl}/api/v2/nql/execute`, {
			headers: { authorization: 'Bearer forged' },
			json: { queryId: '#all_devices' },
		});
		expect(unknown.status).toBe(401);
		const campaign = await http(`${sim.apiBaseUrl}/api/v1/euf/campaign/trigger`, { json: {} });
		expect(campaign.status).toBe(401);
		expect(campaign.json()).toMatchObject({
			code: 'SIMULATOR_UNAUTHORIZED',
			message: expect.any(String),
		});
		expect(sim.log.map((e) => e.status)).toEqual([401, 401, 401]);
	});

	it('expires tokens after tokenTtlSeconds', async () => {
		await withSim({ tokenTtlSeconds: 1 }, async (short) => {
			const { api: shortApi } = await client(short);
			expect((await shortApi('/api/v1/workflows?dependency=DEVICE&triggerMethod=API')).status).toBe(
				200,
			);
			await wait(1100);
			expect((await shortApi('/api/v1/workflows')).status).toBe(401);
		});
	});

	it('expireAllTokens() invalidates every issued token at once', async () => {
		const c = await client(sim);
		expect((await c.api('/api/v1/workflows?dependency=DEVICE&triggerMethod=API')).status).toBe(200);
		sim.expireAllTokens();
		expect((await c.api('/api/v1/workflows')).status).toBe(401);
		expect((await api('/api/v1/workflows')).status).toBe(401);
		await c.refresh();
		expect((await c.api('/api/v1/workflows?dependency=DEVICE&triggerMethod=API')).status).toBe(200);
		api = c.api;
	});

	it('answers 403 with each domain’s body when the credential lacks the permission', async () => {
		await withSim({ permissions: ['nql'] }, async (limited) => {
			const { api: call } = await client(limited);
			expect((await call('/api/v2/nql/execute', { json: { queryId: '#users' } })).status).toBe(200);
			const wf = await call('/api/v1/workflows');
			expect(wf.status).toBe(403);
			expect(wf.json()).toEqual({
				code: 'SIMULATOR_FORBIDDEN',
				details: expect.stringContaining('Workflows API'),
			});
			const ra = await call('/api/v1/act/remote-action');
			expect(ra.json()).toEqual({
				code: 'SIMULATOR_FORBIDDEN',
				message: expect.stringContaining('Remote Actions API'),
			});
			const enrich = await call('/api/v1/enrichment/data/fields', { json: {} });
			expect([enrich.status, enrich.json()]).toEqual([403, { message: 'Forbidden' }]);
			const spark = await call('/api/v1/spark/handoff', { json: {} });
			expect([spark.status, spark.json()]).toEqual([403, { message: expect.any(String) }]);
			limited.setPermissions([]);
			const nql = await call('/api/v1/nql/execute', { json: { queryId: '#users' } });
			expect(nql.status).toBe(403);
			expect(nql.json()).toEqual({
				message: 'No permission - Not authorized to execute queries.',
				code: 403,
				source: expect.any(String),
			});
		});
	});
});

describe('NQL execute', () => {
	it('v1 answers headers, data arrays and an executionDateTime object', async () => {
		const res = await api('/api/v1/nql/execute', { json: { queryId: '#all_devices' } });
		expect(res.status).toBe(200);
		const body = res.json<{
			queryId: string;
			rows: number;
			headers: string[];
			data: unknown[][];
			executionDateTime: Record<string, number>;
			executedQuery: string;
		}>();
		expect(body.queryId).toBe('#all_devices');
		expect(body.headers).toEqual(sim.data.queries.find((q) => q.id === '#all_devices')?.columns);
		expect(body.rows).toBe(1000);
		expect(body.data).toHaveLength(1000);
		expect(body.data[41][0]).toMatch(/^(LAPTOP|DESKTOP|MACBOOK|LINUX)-00042$/);
		expect(body.data[41][0]).toBe(sim.data.devices[41].name);
		expect(body.data[41][2]).toBe(sim.data.devices[41].collectorUid);
		expect(Object.keys(body.executionDateTime)).toEqual([
			'year',
			'month',
			'day',
			'hour',
			'minute',
			'second',
		]);
		expect(body.executedQuery).toMatch(/^devices \| list/);
	});

	it('v2 answers data objects and an ISO executionDateTime without offset', async () => {
		const res = await api('/api/v2/nql/execute', {
			json: { queryId: '#devices_by_os', parameters: { os: 'macOS' } },
		});
		expect(res.status).toBe(200);
		const body = res.json<{
			rows: number;
			data: Array<Record<string, string>>;
			executionDateTime: string;
			executedQuery: string;
		}>();
		const macs = sim.data.devices.filter((d) => d.osPlatform === 'macOS');
		expect(body.rows).toBe(Math.min(1000, macs.length));
		expect(body.data[0]['device.name']).toBe(macs[0].name);
		expect(body.data.every((r) => r['device.operating_system.platform'] === 'macOS')).toBe(true);
		expect(body.executionDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
		expect(body.executedQuery).toContain('"macOS"');
	});

	it('honours x-utc-times for datetime values', async () => {
		const query = { json: { queryId: '#all_devices' } };
		const regional = (await api('/api/v2/nql/execute', query)).json<{
			data: Array<Record<string, string>>;
		}>();
		const utc = (
			await api('/api/v2/nql/execute', { ...query, headers: { 'x-utc-times': 'true' } })
		).json<{ data: Array<Record<string, string>> }>();
		expect(utc.data[0]['device.last_seen']).toMatch(/Z$/);
		expect(regional.data[0]['device.last_seen']).toMatch(/\+01:00$/);
		expect(Date.parse(utc.data[0]['device.last_seen'])).toBe(
			Date.parse(regional.data[0]['device.last_seen']),
		);
		expect(Date.parse(utc.data[0]['device.last_seen'])).toBe(sim.data.devices[0].lastSeen);
	});

	it('answers CSV for Accept: text/csv, JSON for wildcards, 406 otherwise', async () => {
		const csv = await api('/api/v2/nql/execute', {
			json: { queryId: '#csv_edge_cases' },
			headers: { accept: 'text/csv' },
		});
		expect(csv.status).toBe(200);
		expect(csv.headers['content-type']).toMatch(/^text\/csv/);
		const json = (await api('/api/v1/nql/execute', { json: { queryId: '#csv_edge_cases' } })).json<{
			headers: string[];
			data: unknown[][];
		}>();
		const expected = [
			json.headers,
			...json.data.map((r) => r.map((v) => (v === null ? '' : String(v)))),
		];
		expect(parseCsv(csv.text)).toEqual(expected);
		expect(csv.text).toContain('"He said ""hello"""');
		expect(csv.text).toContain('Zürich');
		expect(csv.text).toContain('日本');
		expect(csv.text).toContain('"line one\nline two"');
		const wildcard = await api('/api/v2/nql/execute', {
			json: { queryId: '#users' },
			headers: { accept: 'application/json, text/plain, */*' },
		});
		expect(wildcard.headers['content-type']).toBe('application/json');
		const xml = await api('/api/v2/nql/execute', {
			json: { queryId: '#users' },
			headers: { accept: 'application/xml' },
		});
		expect([xml.status, xml.text]).toEqual([406, '']);
	});

	it('validates the query ID and parameters (400 NQL body) and answers 404 for an unknown query', async () => {
		const missing = await api('/api/v2/nql/execute', { json: { queryId: '#devices_by_os' } });
		expect(missing.status).toBe(400);
		expect(missing.json()).toEqual({
			message: expect.stringContaining("'os'"),
			code: 400,
			source: expect.any(String),
		});
		const badId = await api('/api/v2/nql/execute', { json: { queryId: 'all_devices' } });
		expect(badId.status).toBe(400);
		expect(badId.json<{ message: string }>().message).toContain("'all_devices'");
		const badParam = await api('/api/v2/nql/execute', {
			json: { queryId: '#devices_by_os', parameters: { os: 1 } },
		});
		expect(badParam.json<{ message: string }>().message).toContain('parameters.os');
		const unknown = await api('/api/v2/nql/execute', { json: { queryId: '#no_such_query' } });
		expect([unknown.status, unknown.text]).toEqual([404, '']);
		const form = await api('/api/v2/nql/execute', { form: { queryId: '#users' } });
		expect(form.status).toBe(415);
		expect(form.json<{ message: string }>().message).toContain('application/x-www-form-urlencoded');
		const notFoundPath = await api('/api/v1/workflow/execute', { json: {} });
		expect(notFoundPath.status).toBe(404);
		expect(sim.log[sim.log.length - 1].endpoint).toBe('unknown');
	});
});

async function exportAndWait(
	call: typeof api,
	body: Record<string, unknown>,
	headers: Record<string, string> = {},
) {
	const started = await call('/api/v1/nql/export', { json: body, headers });
	expect(started.status).toBe(200);
	const { exportId } = started.json<{ exportId: string }>();
	const status = await call(`/api/v1/nql/status/${encodeURIComponent(exportId)}`);
	return {
		exportId,
		status,
		body: status.json<{
			status: string;
			resultsFileUrl: string | null;
			errorDescription: string | null;
		}>(),
	};
}

describe('NQL export and download', () => {
	it('runs an export to COMPLETED and serves the CSV on the files host', async () => {
		const { exportId, status, body } = await exportAndWait(api, { queryId: '#all_devices' });
		expect(exportId).toMatch(/=$/);
		expect(exportId).toMatch(/[/+]/);
		expect(status.status).toBe(200);
		expect(body).toEqual({
			status: 'COMPLETED',
			resultsFileUrl: expect.stringMatching(
				/^http:\/\/127\.0\.0\.1:\d+\/exports\/.+X-Amz-Algorithm=AWS4-HMAC-SHA256.*X-Amz-Signature=/,
			),
			errorDescription: null,
		});
		expect(body.resultsFileUrl?.startsWith(sim.filesBaseUrl)).toBe(true);
		expect((await api(`/api/v1/nql/status/${exportId}`)).status).toBe(404); // not path-escaped
		expect((await api('/api/v1/nql/status/bm9uZQ%3D%3D')).status).toBe(404);
		const file = await http(body.resultsFileUrl as string);
		expect(file.status).toBe(200);
		expect(file.headers['content-type']).toBe('text/csv');
		expect(file.headers['content-encoding']).toBeUndefined();
		expect(Number(file.headers['content-length'])).toBe(file.raw.length);
		const rows = parseCsv(file.text);
		expect(rows[0]).toEqual(sim.data.queries[0].columns);
		expect(rows).toHaveLength(2501);
		expect(rows[2500][0]).toBe(sim.data.devices[2499].name);
		expect(rows[2500][6]).toBe(
			new Date(sim.data.devices[2499].lastSeen + 3600_000)
				.toISOString()
				.replace(/\.000Z$/, '+01:00'),
		);
		expect(sim.count('nql.download')).toBe(1);
	});

	it('cacheExportFiles: serves the same bytes as a fresh generation, gzip too, once generated', async () => {
		const download = async (target: NexthinkSimulator, body: Record<string, unknown>) => {
			const { api: call } = await client(target);
			const { body: status } = await exportAndWait(call, body);
			return (await http(status.resultsFileUrl as string)).raw;
		};
		await withSim(
			{ cacheExportFiles: true, exportTimings: { submittedMs: 0, inProgressMs: 0 } },
			async (cached) => {
				cached.setQueryRows('#all_devices', 20_000); // several 64 KiB chunks
				const first = await download(cached, { queryId: '#all_devices' });
				const second = await download(cached, { queryId: '#all_devices' });
				sim.setQueryRows('#all_devices', 20_000);
				const fresh = await download(sim, { queryId: '#all_devices' });
				expect(first.length).toBeGreaterThan(1024 * 1024);
				expect(second.equals(first)).toBe(true);
				expect(fresh.equals(first)).toBe(true);
				const gzip = await download(cached, { queryId: '#all_devices', compression: 'GZIP' });
				expect(zlib.gunzipSync(gzip).equals(first)).toBe(true);
				cached.setQueryRows('#all_devices', 3); // another row count: another file
				expect(
					parseCsv((await download(cached, { queryId: '#all_devices' })).toString()),
				).toHaveLength(4);
			},
		);
	});

	it('moves SUBMITTED → IN_PROGRESS → COMPLETED by time', async () => {
		await withSim({ exportTimings: { submittedMs: 400, inProgressMs: 400 } }, async (timed) => {
			const { api: call } = await client(timed);
			const started = Date.now();
			const { exportId } = (
				await call('/api/v1/nql/export', { json: { queryId: '#users' } })
			).json<{ exportId: string }>();
			const statusAt = async (ms: number) => {
				await wait(Math.max(0, started + ms - Date.now()));
				return (await call(`/api/v1/nql/status/${encodeURIComponent(exportId)}`)).json<{
					status: string;
					resultsFileUrl: string | null;
				}>();
			};
			expect(await statusAt(0)).toMatchObject({ status: 'SUBMITTED', resultsFileUrl: null });
			expect((await statusAt(600)).status).toBe('IN_PROGRESS');
			const done = await statusAt(950);
			expect(done.status).toBe('COMPLETED');
			expect(done.resultsFileUrl).toContain(timed.filesBaseUrl);
		});
	});

	it('accepts the GET form with parameters as query keys', async () => {
		const res = await api('/api/v1/nql/export?queryId=%23devices_by_os&os=Linux&compression=NONE');
		expect(res.status).toBe(200);
		const { exportId } = res.json<{ exportId: string }>();
		const url = (await api(`/api/v1/nql/status/${encodeURIComponent(exportId)}`)).json<{
			resultsFileUrl: string;
		}>().resultsFileUrl;
		const rows = parseCsv((await http(url)).text).slice(1);
		expect(rows.length).toBe(sim.data.devices.filter((d) => d.osPlatform === 'Linux').length);
		expect(rows.every((r) => r[2] === 'Linux')).toBe(true);
		const missing = await api('/api/v1/nql/export?queryId=%23devices_by_os');
		expect(missing.status).toBe(400);
		const badCompression = await api('/api/v1/nql/export', {
			json: { queryId: '#users', compression: 'BROTLI' },
		});
		expect(badCompression.json<{ message: string }>().message).toContain("'BROTLI'");
	});

	it('refuses an Authorization header, a bad signature and an unknown file, like S3', async () => {
		const { body } = await exportAndWait(api, { queryId: '#users' });
		const url = body.resultsFileUrl as string;
		const withAuth = await http(url, { headers: { authorization: 'Bearer abc' } });
		expect(withAuth.status).toBe(400);
		expect(withAuth.headers['content-type']).toBe('application/xml');
		expect(withAuth.text).toContain('<Code>InvalidArgument</Code>');
		expect(withAuth.text).toContain('Only one auth mechanism allowed');
		const tampered = await http(url.replace(/X-Amz-Signature=[0-9a-f]/, 'X-Amz-Signature=Z'));
		expect(tampered.status).toBe(403);
		expect(tampered.text).toContain('<Code>SignatureDoesNotMatch</Code>');
		const unsigned = await http(url.split('?')[0]);
		expect(unsigned.status).toBe(403);
		const otherFile = await http(url.replace(/exports\/[^?]+/, 'exports/other.csv'));
		expect(otherFile.text).toContain('SignatureDoesNotMatch');
		expect(sim.log.filter((e) => e.endpoint === 'nql.download').map((e) => e.status)).toEqual([
			400, 403, 403, 403,
		]);
	});

	it('expires presigned links after presignedTtlSeconds', async () => {
		await withSim(
			{ presignedTtlSeconds: 1, exportTimings: { submittedMs: 0, inProgressMs: 0 } },
			async (shortLinks) => {
				const { api: call } = await client(shortLinks);
				const { body } = await exportAndWait(call, { queryId: '#csv_edge_cases' });
				expect(body.resultsFileUrl).toContain('X-Amz-Expires=1&');
				await wait(1100);
				const expired = await http(body.resultsFileUrl as string);
				expect(expired.status).toBe(403);
				expect(expired.text).toContain(
					'<Code>AccessDenied</Code><Message>Request has expired</Message>',
				);
			},
		);
	});

	it('writes GZIP and ZSTD files that decode to the same CSV', async () => {
		sim.setQueryRows('#all_devices', 8000);
		const plain = await http(
			(await exportAndWait(api, { queryId: '#all_devices' })).body.resultsFileUrl as string,
		);
		expect(plain.text.split('\r\n')).toHaveLength(8002);
		const gz = await http(
			(await exportAndWait(api, { queryId: '#all_devices', compression: 'GZIP' })).body
				.resultsFileUrl as string,
		);
		expect(gz.headers['content-type']).toBe('application/gzip');
		expect(gz.headers['content-encoding']).toBeUndefined();
		expect(zlib.gunzipSync(gz.raw).equals(plain.raw)).toBe(true);
		const zst = await http(
			(await exportAndWait(api, { queryId: '#all_devices', compression: 'ZSTD' })).body
				.resultsFileUrl as string,
		);
		expect(zst.headers['content-type']).toBe('application/zstd');
		expect(zst.raw.readUInt32LE(0)).toBe(0xfd2fb528);
		if (nativeZstd) expect(nativeZstd(zst.raw).equals(plain.raw)).toBe(true);
		else expect(decodeStoredZstd(zst.raw).equals(plain.raw)).toBe(true);
	});

	it('truncates at the licence cap with status 206, caps at exportRowLimit, and adds a BOM on request', async () => {
		await withSim(
			{ licenseRowCap: 100, csvBom: true, exportTimings: { submittedMs: 0, inProgressMs: 0 } },
			async (capped) => {
				const { api: call } = await client(capped);
				const { status, body } = await exportAndWait(call, { queryId: '#all_devices' });
				expect(status.status).toBe(206);
				expect(body.status).toBe('COMPLETED');
				const file = await http(body.resultsFileUrl as string);
				expect([...file.raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
				expect(parseCsv(file.text.slice(1))).toHaveLength(101);
				expect((await exportAndWait(call, { queryId: '#csv_edge_cases' })).status.status).toBe(200);
			},
		);
		await withSim(
			{ exportRowLimit: 10, exportTimings: { submittedMs: 0, inProgressMs: 0 } },
			async (limited) => {
				const { api: call } = await client(limited);
				const { status, body } = await exportAndWait(call, { queryId: '#all_devices' });
				expect(status.status).toBe(200);
				expect(parseCsv((await http(body.resultsFileUrl as string)).text)).toHaveLength(11);
			},
		);
	});
});

describe('fault injection', () => {
	it('rate-limits with Retry-After in seconds or as an HTTP date, for `times` requests', async () => {
		sim.inject('workflow.list', { type: 'rateLimit', retryAfter: 7 }, 2);
		const first = await api('/api/v1/workflows');
		expect([first.status, first.headers['retry-after']]).toEqual([429, '7']);
		expect((await api('/api/v1/workflows')).status).toBe(429);
		expect((await api('/api/v1/workflows?dependency=DEVICE&triggerMethod=API')).status).toBe(200);
		sim.inject('nql.status', { type: 'rateLimit', retryAfterDate: true, seconds: 30 });
		const dated = await api('/api/v1/nql/status/abc');
		expect(dated.status).toBe(429);
		const until = Date.parse(dated.headers['retry-after'] as string) - Date.now();
		expect(until).toBeGreaterThan(25_000);
		expect(until).toBeLessThanOrEqual(31_000);
		expect(sim.log.map((e) => e.fault ?? null)).toEqual([
			'rateLimit',
			'rateLimit',
			null,
			'rateLimit',
		]);
	});

	it('drops the connection, answers slowly, or sends malformed JSON', async () => {
		sim.inject('remoteAction.list', { type: 'drop' });
		await expect(api('/api/v1/act/remote-action')).rejects.toThrow();
		expect(sim.log[0].status).toBe(0);
		sim.inject('remoteAction.list', { type: 'slow', delayMs: 300 });
		const started = Date.now();
		const slow = await api('/api/v1/act/remote-action');
		expect(Date.now() - started).toBeGreaterThanOrEqual(280);
		expect(slow.status).toBe(200);
		expect(slow.json<unknown[]>().length).toBe(sim.data.remoteActions.length);
		sim.inject('nql.execute.v2', { type: 'malformed' });
		const malformed = await api('/api/v2/nql/execute', { json: { queryId: '#users' } });
		expect(malformed.status).toBe(200);
		expect(() => malformed.json()).toThrow();
	});

	it('answers injected statuses with the documented body, before auth', async () => {
		sim.inject('nql.execute.v2', { type: 'status', status: 500 });
		const nql = await http(`${sim.apiBaseUrl}/api/v2/nql/execute`, { json: { queryId: '#users' } });
		expect(nql.status).toBe(500);
		expect(nql.json()).toEqual({
			message: expect.any(String),
			code: 500,
			source: expect.any(String),
		});
		sim.inject('workflow.list', { type: 'status', status: 503 });
		const wf = await api('/api/v1/workflows');
		expect([wf.status, wf.text]).toEqual([503, '']);
		sim.inject('remoteAction.execute', { type: 'status', status: 403 });
		expect((await api('/api/v1/act/execute', { json: {} })).json()).toEqual({
			code: 'SIMULATOR_FORBIDDEN',
			message: expect.any(String),
		});
		sim.inject('campaign.trigger', {
			type: 'status',
			status: 400,
			body: { code: 'CUSTOM', message: 'custom body' },
		});
		expect((await api('/api/v1/euf/campaign/trigger', { json: {} })).json()).toEqual({
			code: 'CUSTOM',
			message: 'custom body',
		});
		sim.inject('token', { type: 'status', status: 503 });
		await expect(tokenFor(sim)).rejects.toThrow();
		sim.inject('token', { type: 'rateLimit', retryAfter: 2 });
		const limited = await http(sim.tokenUrl, { form: { grant_type: 'client_credentials' } });
		expect([
			limited.status,
			limited.headers['retry-after'],
			limited.headers['x-rate-limit-remaining'],
		]).toEqual([429, '2', '0']);
		expect(limited.json()).toMatchObject({ errorCode: 'E0000047' });
	});

	it('ends an export in ERROR, answers 206 on status, fails enrichment objects, and breaks downloads', async () => {
		sim.inject('nql.export', { type: 'exportError', description: 'query timed out' });
		const failed = await exportAndWait(api, { queryId: '#users' });
		expect(failed.body).toEqual({
			status: 'ERROR',
			resultsFileUrl: null,
			errorDescription: 'query timed out',
		});
		sim.inject('nql.status', { type: 'truncated' });
		const { exportId } = (await api('/api/v1/nql/export', { json: { queryId: '#users' } })).json<{
			exportId: string;
		}>();
		const truncated = await api(`/api/v1/nql/status/${encodeURIComponent(exportId)}`);
		expect(truncated.status).toBe(206);
		sim.inject('enrichment.fields', { type: 'partial' });
		const partial = await api('/api/v1/enrichment/data/fields', {
			json: enrichmentBody(['LAPTOP-00001', 'LAPTOP-00002']),
		});
		expect(partial.status).toBe(207);
		expect(partial.json()).toMatchObject({
			status: 'partial_success',
			errors: [{ identification: [{ value: 'LAPTOP-00001' }], errors: [{ code: 'ENRICH_011' }] }],
		});
		expect(sim.data.enrichments.map((e) => e.identification.value)).toEqual(['LAPTOP-00002']);
		sim.inject('nql.download', { type: 'status', status: 503 });
		const download = await http(truncated.json<{ resultsFileUrl: string }>().resultsFileUrl);
		expect(download.status).toBe(503);
		expect(download.text).toContain('<Code>SlowDown</Code>');
		expect(() => sim.inject('nql.execute.v1', { type: 'partial' })).toThrow(/enrichment\.fields/);
		expect(() => sim.inject('nope' as 'token', { type: 'drop' })).toThrow(/Unknown endpoint/);
	});
});

function enrichmentBody(
	names: string[],
	field: { name: string; value: unknown } = { name: 'device/device/#site', value: 'Geneva' },
) {
	return {
		domain: 'simulator_tests',
		enrichments: names.map((value) => ({
			identification: [{ name: 'device/device/name', value }],
			fields: [field],
		})),
	};
}

describe('enrichment', () => {
	it('accepts valid objects (200) and records them', async () => {
		const res = await api('/api/v1/enrichment/data/fields', {
			json: {
				domain: 'virtualization_and_custom_fields',
				enrichments: [
					{
						identification: [{ name: 'device/device/name', value: 'LAPTOP-00001' }],
						fields: [
							{ name: 'device/device/virtualization/desktop_pool', value: 'Pool DC2' },
							{ name: 'device/device/virtualization/type', value: 2 },
							{
								name: 'device/device/virtualization/last_update',
								value: '2023-10-03T15:00:00.000Z',
							},
						],
					},
					{
						identification: [{ name: 'user/user/sid', value: sim.data.users[0].sid }],
						fields: [
							{ name: 'user/user/organization/#cost_center', value: 'CC-42' },
							{ name: 'user/user/ad/city', value: '' },
						],
					},
				],
			},
		});
		expect([res.status, res.json()]).toEqual([200, { status: 'success' }]);
		expect(sim.data.enrichments).toHaveLength(2);
		expect(sim.data.enrichments[1]).toMatchObject({
			domain: 'virtualization_and_custom_fields',
			identification: { name: 'user/user/sid' },
		});
	});

	it('reports per-object errors: 207 when some fail, 400 when all fail', async () => {
		const partial = await api('/api/v1/enrichment/data/fields', {
			json: {
				domain: 'd',
				enrichments: [
					enrichmentBody(['LAPTOP-00001']).enrichments[0],
					...enrichmentBody(['LAPTOP-00002'], {
						name: 'device/device/virtualization/desktop_pool',
						value: 5,
					}).enrichments,
				],
			},
		});
		expect(partial.status).toBe(207);
		expect(partial.json()).toEqual({
			status: 'partial_success',
			errors: [
				{
					identification: [{ name: 'device/device/name', value: 'LAPTOP-00002' }],
					errors: [
						{
							message: "Wrong type for field 'device/device/virtualization/desktop_pool'",
							code: 'ENRICH_011',
						},
					],
				},
			],
		});
		const allBad = await api('/api/v1/enrichment/data/fields', {
			json: enrichmentBody(['A', 'B'], { name: 'device/device/no_such_field', value: 'x' }),
		});
		expect(allBad.status).toBe(400);
		expect(allBad.json()).toMatchObject({
			status: 'error',
			errors: [{ errors: [{ message: expect.stringContaining('no_such_field') }] }, {}],
		});
		const wrongObject = await api('/api/v1/enrichment/data/fields', {
			json: enrichmentBody(['A'], { name: 'user/user/ad/city', value: 'Bern' }),
		});
		expect(wrongObject.status).toBe(400);
	});

	it('enforces the object limit (ENRICH_042) and the request shape (ENRICH_001)', async () => {
		const names = Array.from({ length: 5001 }, (_, i) => `DEVICE-${i}`);
		const tooMany = await api('/api/v1/enrichment/data/fields', { json: enrichmentBody(names) });
		expect(tooMany.status).toBe(400);
		expect(tooMany.json()).toEqual({
			message:
				'Reached maximum objects per request. The limit is 5000 and the request has 5001 objects.',
			code: 'ENRICH_042',
		});
		const noDomain = await api('/api/v1/enrichment/data/fields', {
			json: { enrichments: enrichmentBody(['A']).enrichments },
		});
		expect(noDomain.json()).toEqual({
			message: 'Missing required field(s) [domain: must not be blank]',
			code: 'ENRICH_001',
		});
		const twoIds = enrichmentBody(['A']);
		twoIds.enrichments[0].identification.push({ name: 'device/device/name', value: 'B' });
		const multi = await api('/api/v1/enrichment/data/fields', { json: twoIds });
		expect(multi.status).toBe(400);
		expect(multi.json<{ message: string }>().message).toContain('enrichments[0].identification');
		expect(sim.data.enrichments).toHaveLength(0);
	});

	it("takes user SIDs as documented: S- in upper case, and not the Workflows API's 0", async () => {
		const { sid } = sim.data.users[0];
		const bySid = (value: string) =>
			api('/api/v1/enrichment/data/fields', {
				json: {
					domain: 'd',
					enrichments: [
						{
							identification: [{ name: 'user/user/sid', value }],
							fields: [{ name: 'user/user/ad/department', value: 'IT' }],
						},
					],
				},
			}).then((r) => [r.status, r.json()] as const);
		expect(await bySid(sid)).toEqual([200, { status: 'success' }]);
		for (const value of ['0', sid.toLowerCase()]) {
			expect(await bySid(value)).toEqual([
				400,
				{
					status: 'error',
					errors: [
						{
							identification: [{ name: 'user/user/sid', value }],
							errors: [{ code: 'ENRICH_010', message: expect.stringContaining(`'${value}'`) }],
						},
					],
				},
			]);
		}
	});
});

describe('campaigns', () => {
	it('deduplicates SIDs and reports unknown users with a message (HTTP 200)', async () => {
		const [a, b] = sim.data.users;
		const unknown = 'S-1-5-21-1-2-3-999999';
		const res = await api('/api/v1/euf/campaign/trigger', {
			json: {
				campaignNqlId: '#general_survey',
				userSid: [a.sid, b.sid, a.sid, unknown],
				expiresInMinutes: 1440,
			},
		});
		expect(res.status).toBe(200);
		const { requests } = res.json<{
			requests: Array<{ userSid: string; requestId?: string; message?: string }>;
		}>();
		expect(requests.map((r) => r.userSid)).toEqual([a.sid, b.sid, unknown]);
		expect(requests[0].requestId).toMatch(/^[0-9a-f-]{36}$/);
		expect(requests[2]).toEqual({ userSid: unknown, message: USER_NOT_FOUND });
		expect(sim.data.campaignRequests).toHaveLength(2);
	});

	it('validates the trigger with {code, message} bodies naming the field', async () => {
		const sid = sim.data.users[0].sid;
		const trigger = (body: Record<string, unknown>) =>
			api('/api/v1/euf/campaign/trigger', {
				json: { campaignNqlId: '#general_survey', userSid: [sid], expiresInMinutes: 60, ...body },
			});
		const expiry = await trigger({ expiresInMinutes: 0 });
		expect(expiry.status).toBe(400);
		expect(expiry.json<{ message: string }>().message).toContain('expiresInMinutes');
		expect((await trigger({ userSid: ['not-a-sid'] })).json()).toEqual({
			code: 'SIMULATOR_INVALID_USER_SID',
			message: expect.stringContaining("'not-a-sid'"),
		});
		expect(
			(
				await trigger({
					campaignNqlId: '#it_satisfaction_survey',
					parameters: { ticket_number: 'INC1' },
				})
			).json(),
		).toMatchObject({
			code: 'SIMULATOR_INVALID_PARAMETERS',
			message: expect.stringContaining("missing 'agent_name'"),
		});
		expect(
			(
				await trigger({
					campaignNqlId: '#it_satisfaction_survey',
					parameters: { ticket_number: 'INC1', agent_name: 'Bo' },
				})
			).status,
		).toBe(200);
		expect((await trigger({ campaignNqlId: '#quarterly_pulse' })).json()).toEqual({
			code: 'INVALID_CAMPAIGN_TRIGGER_TYPE',
			message: 'Invalid campaign trigger type',
		});
		expect((await trigger({ campaignNqlId: '#nope' })).json()).toMatchObject({
			code: 'SIMULATOR_CAMPAIGN_NOT_FOUND',
		});
		const params = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`p${i}`, 'v']));
		expect((await trigger({ parameters: params })).json<{ message: string }>().message).toContain(
			'maximum is 30',
		);
	});
});

describe('campaigns, by exactly the NQL ID given', () => {
	const trigger = (body: Record<string, unknown>) =>
		api('/api/v1/euf/campaign/trigger', {
			json: {
				campaignNqlId: '#general_survey',
				userSid: [sim.data.users[0].sid],
				expiresInMinutes: 60,
				...body,
			},
		}).then((r) => [r.status, r.json()] as const);

	it('knows #general_survey, not general_survey: no # is added', async () => {
		expect((await trigger({}))[0]).toBe(200);
		expect(await trigger({ campaignNqlId: 'general_survey' })).toEqual([
			400,
			{
				code: 'SIMULATOR_CAMPAIGN_NOT_FOUND',
				message: expect.stringContaining("'general_survey'"),
			},
		]);
		expect(await trigger({ campaignNqlId: '' })).toEqual([
			400,
			{ code: 'SIMULATOR_BAD_REQUEST', message: 'campaignNqlId is required.' },
		]);
	});

	it("takes SIDs as documented: S- in upper case, and not the Workflows API's 0", async () => {
		for (const sid of ['0', sim.data.users[0].sid.toLowerCase()]) {
			expect(await trigger({ userSid: [sid] })).toEqual([
				400,
				{ code: 'SIMULATOR_INVALID_USER_SID', message: expect.stringContaining(`'${sid}'`) },
			]);
		}
		expect(sim.data.campaignRequests).toHaveLength(0);
	});
});

describe('remote actions', () => {
	it('lists with optional script filters and returns details by nql-id', async () => {
		const all = (await api('/api/v1/act/remote-action')).json<
			Array<{ id: string; targeting: { sparkEnabled: boolean }; targetingEntity: object }>
		>();
		expect(all.map((r) => r.id)).toEqual(sim.data.remoteActions.map((r) => r.id));
		expect(all[0]).toHaveProperty('targeting.sparkEnabled');
		expect(all[0]).toHaveProperty('targetingEntity.deviceEnabled');
		const mac = (
			await api('/api/v1/act/remote-action?hasScriptMacOs=true&hasScriptWindows=false')
		).json<Array<{ id: string }>>();
		expect(mac.map((r) => r.id)).toEqual(['#collect_logs']);
		expect((await api('/api/v1/act/remote-action?hasScriptWindows=yes')).status).toBe(400);
		const details = await api('/api/v1/act/remote-action/details?nql-id=%23clear_browser_cache');
		expect(details.json()).toMatchObject({
			id: '#clear_browser_cache',
			scriptInfo: { inputs: [{ id: 'browser', options: ['chrome', 'firefox', 'edge'] }] },
		});
		const missing = await api('/api/v1/act/remote-action/details?nql-id=%23nope');
		expect([missing.status, missing.json()]).toEqual([
			404,
			{ code: 'SIMULATOR_NOT_FOUND', message: expect.stringContaining("'#nope'") },
		]);
	});

	it('executes, records one execution per device, and answers #remote_action_executions', async () => {
		const [d1, d2] = sim.data.devices;
		const res = await api('/api/v1/act/execute', {
			json: {
				remoteActionId: '#get_disk_space',
				devices: [d1.collectorUid, d2.collectorUid],
				triggerInfo: { externalSource: 'jest', reason: 'disk check', externalReference: 'T-1' },
			},
		});
		expect(res.status).toBe(200);
		const answer = res.json<{ requestId: string; expiresInMinutes?: number }>();
		const { requestId } = answer;
		// No expiry asked, none documented: the answer names none (no invented default).
		expect(answer).not.toHaveProperty('expiresInMinutes');
		const rows = (
			await api('/api/v2/nql/execute', {
				json: { queryId: '#remote_action_executions', parameters: { request_id: requestId } },
			})
		).json<{ data: Array<Record<string, string>> }>().data;
		expect(rows.map((r) => r['device.name'])).toEqual([d1.name, d2.name]);
		expect(rows[0]['remote_action.executions.status']).toBe('success');
		expect(JSON.parse(rows[0]['remote_action.executions.outputs'])).toHaveProperty('FreeSpaceGB');
	});

	it('shows executions pending, then in progress, then final, at the pace set (option executionTimings)', async () => {
		const [windows] = sim.data.devices.filter((d) => d.osPlatform === 'Windows');
		const [workflowDevice] = sim.data.devices;
		const pace = await http(`${sim.apiBaseUrl}/_simulator/execution-timings`, {
			method: 'PUT',
			json: { pendingMs: 300, inProgressMs: 300 },
		});
		expect(pace.json()).toEqual({ pendingMs: 300, inProgressMs: 300 });
		const { requestId } = (
			await api('/api/v1/act/execute', {
				json: { remoteActionId: '#get_disk_space', devices: [windows.collectorUid] },
			})
		).json<{ requestId: string }>();
		const { requestUuid } = (
			await api('/api/v1/workflows/execute', {
				json: { workflowId: '#restart_service', devices: [workflowDevice.collectorUid], users: [] },
			})
		).json<{ requestUuid: string }>();
		const look = async () => {
			const [action] = (
				await api('/api/v2/nql/execute', {
					json: { queryId: '#remote_action_executions', parameters: { request_id: requestId } },
				})
			).json<{ data: Array<Record<string, string>> }>().data;
			const [execution] = (
				await api('/api/v2/nql/execute', {
					json: { queryId: '#workflow_executions', parameters: { request_id: requestUuid } },
				})
			).json<{ data: Array<Record<string, string>> }>().data;
			return [
				action['remote_action.executions.status'],
				action['remote_action.executions.outputs'],
				execution['workflow.executions.status'],
			];
		};

		expect(await look()).toEqual(['pending', '{}', 'pending']);
		await wait(350);
		expect(await look()).toEqual(['in_progress', '{}', 'in_progress']);
		await wait(350);
		const [status, outputs, workflowStatus] = await look();
		expect([status, workflowStatus]).toEqual(['success', 'success']);
		expect(JSON.parse(outputs)).toHaveProperty('FreeSpaceGB');
		// The recordings keep the status each execution settles on; reset() restores the start pace.
		expect(sim.data.remoteActionExecutions[0].status).toBe('success');
		sim.reset();
		await api('/api/v1/act/execute', {
			json: { remoteActionId: '#get_disk_space', devices: [windows.collectorUid] },
		});
		const fresh = sim.data.remoteActionExecutions[0];
		expect(fresh.runningUntil).toBe(fresh.pendingUntil);
	});

	it('validates executions and names the offending value', async () => {
		const device = sim.data.devices[0].collectorUid;
		const run = (body: Record<string, unknown>) =>
			api('/api/v1/act/execute', {
				json: { remoteActionId: '#clear_browser_cache', devices: [device], ...body },
			}).then((r) => [r.status, r.json<{ code: string; message: string }>()] as const);
		expect(await run({ params: { browser: 'chrome' }, expiresInMinutes: 120 })).toEqual([
			200,
			{ requestId: expect.any(String), expiresInMinutes: 120 },
		]);
		expect((await run({ remoteActionId: '#restart_device_prompt' }))[1]).toEqual({
			code: 'SIMULATOR_REMOTE_ACTION_NOT_API_ENABLED',
			message: expect.stringContaining('#restart_device_prompt'),
		});
		expect((await run({ devices: ['LAPTOP-00001'] }))[1].message).toContain("'LAPTOP-00001'");
		expect((await run({ expiresInMinutes: 59 }))[1].message).toContain('expiresInMinutes');
		expect((await run({ triggerInfo: { reason: 'x'.repeat(501) } }))[1].message).toContain(
			'triggerInfo.reason',
		);
		expect((await run({ params: { browser: 1 } }))[1].message).toContain('params.browser');
		expect((await run({ params: { browser: 'opera' } }))[1].message).toContain("'opera'");
		expect((await run({ remoteActionId: '#nope' }))[0]).toBe(400);
		expect((await run({ devices: [] }))[0]).toBe(400);
	});
});

describe('remote actions, by exactly the NQL ID given', () => {
	it('knows #clear_browser_cache, not clear_browser_cache: no # is added', async () => {
		const details = async (id: string) => {
			const res = await api(`/api/v1/act/remote-action/details?nql-id=${encodeURIComponent(id)}`);
			return [res.status, res.json<{ code?: string; id?: string }>()] as const;
		};
		expect(await details('#clear_browser_cache')).toEqual([
			200,
			expect.objectContaining({ id: '#clear_browser_cache' }),
		]);
		expect(await details('clear_browser_cache')).toEqual([
			404,
			{ code: 'SIMULATOR_NOT_FOUND', message: expect.stringContaining("'clear_browser_cache'") },
		]);
		expect(await details('ExampleRA')).toEqual([
			404,
			expect.objectContaining({ code: 'SIMULATOR_NOT_FOUND' }),
		]);

		const execute = await api('/api/v1/act/execute', {
			json: { remoteActionId: 'clear_browser_cache', devices: [sim.data.devices[0].collectorUid] },
		});
		expect([execute.status, execute.json()]).toEqual([
			400,
			{
				code: 'SIMULATOR_REMOTE_ACTION_NOT_FOUND',
				message: expect.stringContaining("'clear_browser_cache'"),
			},
		]);
		expect(sim.data.remoteActionExecutions).toHaveLength(0);
	});
});

describe('workflows', () => {
	it('executes v1 and v2, one execution per target, answered by #workflow_executions', async () => {
		const [d1, d2, d3] = sim.data.devices;
		const u5 = sim.data.users[5];
		const v1 = await api('/api/v1/workflows/execute', {
			json: {
				workflowId: '#restart_service',
				devices: [d1.collectorUid, d2.collectorUid],
				users: [u5.sid],
				params: { service_name: 'Spooler' },
			},
			headers: { source: 'jest' },
		});
		expect(v1.status).toBe(200);
		const { requestUuid, executionsUuids } = v1.json<{
			requestUuid: string;
			executionsUuids: string[];
		}>();
		expect(executionsUuids).toHaveLength(3);
		const rows = (
			await api('/api/v2/nql/execute', {
				json: { queryId: '#workflow_executions', parameters: { request_id: requestUuid } },
			})
		).json<{ data: Array<Record<string, string>> }>().data;
		expect(rows.map((r) => r['workflow.executions.execution_id'])).toEqual(executionsUuids);
		expect(rows.map((r) => r['device.name'])).toEqual([d1.name, d2.name, sim.data.devices[5].name]);
		expect(rows[2]['user.sid']).toBe(u5.sid);
		expect(rows[0]).toMatchObject({
			'workflow.executions.request_id': requestUuid,
			'workflow.executions.status': 'success',
			'workflow.name': 'Restart service',
		});
		expect(sim.data.workflowExecutions[0].source).toBe('jest');
		const v2 = await api('/api/v2/workflows/execute', {
			json: {
				workflowId: '#device_diagnostics',
				devices: [{ name: d3.name }, { uid: d1.uid }],
				users: [{ upn: u5.upn }],
				params: { mode: 'full' },
			},
		});
		expect(v2.json<{ executionsUuids: string[] }>().executionsUuids).toHaveLength(3);
		expect(sim.data.workflowExecutions.slice(3).map((e) => e.deviceName)).toEqual([
			d3.name,
			d1.name,
			sim.data.devices[5].name,
		]);
	});

	it('validates executions with {code, details}', async () => {
		const device = sim.data.devices[0].collectorUid;
		const run = (path: string, body: Record<string, unknown>) =>
			api(path, {
				json: { workflowId: '#restart_service', devices: [], users: [], ...body },
			}).then((r) => [r.status, r.json<{ code: string; details: string }>()] as const);
		expect(await run('/api/v1/workflows/execute', {})).toEqual([
			400,
			{ code: 'SIMULATOR_BAD_REQUEST', details: 'At least one device or user target is required.' },
		]);
		expect((await run('/api/v1/workflows/execute', { users: ['bob'] }))[1].details).toContain(
			"'bob'",
		);
		expect(
			(
				await run('/api/v1/workflows/execute', {
					workflowId: '#legacy_vpn_reset',
					devices: [device],
				})
			)[1].code,
		).toBe('SIMULATOR_WORKFLOW_NOT_ACTIVE');
		expect(
			(
				await run('/api/v1/workflows/execute', {
					workflowId: '#disk_cleanup_scheduled',
					devices: [device],
				})
			)[1].code,
		).toBe('SIMULATOR_WORKFLOW_NOT_API_ENABLED');
		expect(
			(await run('/api/v1/workflows/execute', { devices: [device], params: { service: 'x' } }))[1]
				.details,
		).toContain("'service'");
		expect(
			(await run('/api/v2/workflows/execute', { devices: [{ hostname: 'x' }] }))[1].details,
		).toContain('devices[0]');
		expect(
			(await run('/api/v2/workflows/execute', { users: [{ upn: 'not an upn' }] }))[1].details,
		).toContain('users[0].upn');
		expect(
			(await run('/api/v2/workflows/execute', { devices: [{ name: 'NO-SUCH-DEVICE' }] }))[1].code,
		).toBe('SIMULATOR_TARGETS_NOT_FOUND');
		expect(sim.data.workflowExecutions).toHaveLength(0);
	});

	it('takes the SID 0, which the Workflows API documents, and SIDs with an upper-case S only', async () => {
		const device = sim.data.devices[0].collectorUid;
		const { sid } = sim.data.users[0];
		const v1 = (user: string) =>
			api('/api/v1/workflows/execute', {
				json: { workflowId: '#restart_service', devices: [device], users: [user] },
			}).then((r) => [r.status, r.json<{ code?: string; details?: string }>()] as const);
		const v2 = (user: string) =>
			api('/api/v2/workflows/execute', {
				json: {
					workflowId: '#restart_service',
					devices: [{ collectorUid: device }],
					users: [{ sid: user }],
				},
			}).then((r) => [r.status, r.json<{ code?: string; details?: string }>()] as const);
		expect((await v1('0'))[0]).toBe(200);
		expect((await v2('0'))[0]).toBe(200);
		expect(await v1(sid.toLowerCase())).toEqual([
			400,
			{ code: 'SIMULATOR_BAD_REQUEST', details: expect.stringContaining('is not a SID') },
		]);
		expect(await v2(sid.toLowerCase())).toEqual([
			400,
			{ code: 'SIMULATOR_BAD_REQUEST', details: expect.stringContaining('users[0].sid') },
		]);
	});

	it('lists by dependency and trigger method and gets details by nqlId (array by default)', async () => {
		const ids = async (query: string) =>
			(await api(`/api/v1/workflows${query}`)).json<Array<{ id: string }>>().map((w) => w.id);
		expect(await ids('?dependency=USER&triggerMethod=API')).toEqual(['#onboard_new_user']);
		expect(await ids('?dependency=DEVICE&triggerMethod=API&fetchOnlyActiveWorkflows=true')).toEqual(
			['#restart_service', '#device_diagnostics', 'lab_workflow'],
		);
		expect(await ids('?dependency=NONE&triggerMethod=SCHEDULER')).toEqual(['#tenant_health_check']);
		expect(await ids('?dependency=DEVICE&triggerMethod=SCHEDULER')).toEqual([
			'#disk_cleanup_scheduled',
		]);
		expect(
			(await api('/api/v1/workflows?dependency=LAPTOP&triggerMethod=API')).json<{
				details: string;
			}>().details,
		).toContain("'LAPTOP'");
		const list = (
			await api('/api/v1/workflows?dependency=DEVICE&triggerMethod=MANUAL_MULTIPLE')
		).json<Array<Record<string, unknown>>>();
		expect(list[0]).toMatchObject({
			triggerMethods: {
				apiEnabled: true,
				manualEnabled: true,
				manualAllowMultipleInstances: true,
				schedulingEnabled: false,
			},
			versions: [
				{ version: 1 },
				{ version: 2, status: 'ACTIVE', parameters: [{ id: 'service_name' }] },
			],
		});
		const withHash = await api('/api/v1/workflows/details?nqlId=%23device_diagnostics');
		const withoutHash = await api('/api/v1/workflows/details?nqlId=device_diagnostics');
		expect(withHash.json()).toEqual([expect.objectContaining({ id: '#device_diagnostics' })]);
		expect(withoutHash.json()).toEqual(withHash.json());
		const hyphen = await api('/api/v1/workflows/details?nql-id=%23device_diagnostics');
		expect(hyphen.status).toBe(400);
		expect(hyphen.json()).toEqual({
			code: 'SIMULATOR_BAD_REQUEST',
			details: expect.stringContaining("'nqlId'"),
		});
		await withSim(
			{ workflowDetailsShape: 'object', thinkletResponseShape: 'object' },
			async (other) => {
				const { api: call } = await client(other);
				expect(
					(await call('/api/v1/workflows/details?nqlId=%23device_diagnostics')).json(),
				).toMatchObject({ id: '#device_diagnostics' });
				const thinklet = await call(
					`/api/v1/workflows/workflows/${other.data.workflows[0].uuid}/execution/${other.data.workflows[1].uuid}/trigger`,
					{ json: {} },
				);
				expect(thinklet.json()).toEqual({ requestUuid: expect.any(String) });
			},
		);
	});

	it('triggers a waiting execution through the thinklet endpoint', async () => {
		const workflow = sim.data.workflows.find((w) => w.id === '#software_install_approval');
		const started = await api('/api/v1/workflows/execute', {
			json: { workflowId: workflow?.id, devices: [sim.data.devices[0].collectorUid], users: [] },
		});
		const [executionUuid] = started.json<{ executionsUuids: string[] }>().executionsUuids;
		expect(sim.data.workflowExecutions[0].status).toBe('waiting');
		const path = `/api/v1/workflows/workflows/${workflow?.uuid}/execution/${executionUuid}/trigger`;
		expect((await api(path, { method: 'POST' })).status).toBe(400);
		const res = await api(path, {
			json: { parameters: { approved: 'yes' } },
			headers: { Source: 'jest' },
		});
		expect(res.json()).toEqual([{ requestUuid: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
		expect(sim.data.workflowExecutions[0].status).toBe('success');
		expect(sim.data.thinkletTriggers[0]).toMatchObject({
			executionUuid,
			parameters: { approved: 'yes' },
			source: 'jest',
		});
		expect(sim.log[sim.log.length - 1].headers.source).toBe('jest');
		const badUuid = await api('/api/v1/workflows/workflows/abc/execution/def/trigger', {
			json: {},
		});
		expect(badUuid.json()).toEqual({
			code: 'SIMULATOR_BAD_REQUEST',
			details: expect.stringContaining("'abc'"),
		});
	});
});

describe('workflows, to the letter of the contract (docs/nexthink-api.md §6)', () => {
	type Answer = readonly [number, { code?: string; details?: string } & Record<string, unknown>];
	const send = async (path: string, body: Record<string, unknown>): Promise<Answer> => {
		const res = await api(path, { json: body });
		return [res.status, res.json()] as const;
	};
	const get = async (path: string): Promise<Answer> => {
		const res = await api(path);
		return [res.status, res.json()] as const;
	};

	it('refuses an execution that leaves out devices or users (the schema requires both), with {code, details}', async () => {
		const device = sim.data.devices[0].collectorUid;
		const { sid } = sim.data.users[0];
		for (const path of ['/api/v1/workflows/execute', '/api/v2/workflows/execute']) {
			const v2 = path.includes('v2');
			const devices = [v2 ? { collectorUid: device } : device];
			const users = [v2 ? { sid } : sid];
			expect(await send(path, { workflowId: '#restart_service', devices })).toEqual([
				400,
				{ code: 'SIMULATOR_BAD_REQUEST', details: expect.stringContaining("'users'") },
			]);
			expect(await send(path, { workflowId: '#onboard_new_user', users })).toEqual([
				400,
				{ code: 'SIMULATOR_BAD_REQUEST', details: expect.stringContaining("'devices'") },
			]);
			// One list empty satisfies both readings (§9.2 item 1).
			expect((await send(path, { workflowId: '#restart_service', devices, users: [] }))[0]).toBe(
				200,
			);
		}
		expect(sim.data.workflowExecutions).toHaveLength(2);
	});

	it('seeds a workflow listed without #, triggers workflows by the ID exactly as listed, and describes them with or without #', async () => {
		const listed = (await get('/api/v1/workflows?dependency=DEVICE&triggerMethod=API'))[1];
		expect(Object.values(listed).map((w) => (w as { id: string }).id)).toContain('lab_workflow');
		const devices = [sim.data.devices[0].collectorUid];
		const trigger = (workflowId: string) =>
			send('/api/v1/workflows/execute', { workflowId, devices, users: [] });

		expect((await trigger('lab_workflow'))[0]).toBe(200);
		expect((await trigger('#restart_service'))[0]).toBe(200);
		for (const unlisted of ['#lab_workflow', 'restart_service'])
			expect(await trigger(unlisted)).toEqual([
				400,
				{ code: 'SIMULATOR_WORKFLOW_NOT_FOUND', details: expect.stringContaining(`'${unlisted}'`) },
			]);
		for (const nqlId of ['lab_workflow', '%23lab_workflow'])
			expect(await get(`/api/v1/workflows/details?nqlId=${nqlId}`)).toEqual([
				200,
				[expect.objectContaining({ id: 'lab_workflow' })],
			]);
	});

	it('refuses a list call without dependency or triggerMethod, which the spec requires (§6.4)', async () => {
		for (const query of [
			'',
			'?dependency=DEVICE',
			'?triggerMethod=API&fetchOnlyActiveWorkflows=true',
		])
			expect(await get(`/api/v1/workflows${query}`)).toEqual([
				400,
				{
					code: 'SIMULATOR_BAD_REQUEST',
					details: expect.stringMatching(
						/^Required request parameter '(dependency|triggerMethod)'/,
					),
				},
			]);
		expect((await get('/api/v1/workflows?dependency=DEVICE&triggerMethod=API'))[0]).toBe(200);
	});

	it('takes v2 identifiers that combine fields, and refuses unknown keys and empty objects', async () => {
		const [d0, d1] = sim.data.devices;
		const [u0, u1] = sim.data.users;
		const execute = (devices: unknown[], users: unknown[]) =>
			send('/api/v2/workflows/execute', {
				workflowId: '#software_install_approval',
				devices,
				users,
			});

		const combined = await execute(
			[{ name: d1.name, uid: d1.uid, collectorUid: d1.collectorUid }],
			[{ uid: u0.uid, upn: u0.upn, sid: u0.sid }],
		);
		expect(combined[0]).toBe(200);
		expect(sim.data.workflowExecutions.map((e) => [e.deviceName, e.userSid])).toEqual([
			[d1.name, sim.data.users[1].sid],
			[sim.data.devices[0].name, u0.sid],
		]);
		// A combination names a device only when all its identifiers name that device.
		expect(await execute([{ name: d0.name, uid: d1.uid }], [])).toEqual([
			400,
			expect.objectContaining({ code: 'SIMULATOR_TARGETS_NOT_FOUND' }),
		]);
		expect(await execute([{ name: d0.name, hostname: 'x' }], [])).toEqual([
			400,
			{ code: 'SIMULATOR_BAD_REQUEST', details: expect.stringContaining("'hostname'") },
		]);
		expect(await execute([], [{ sid: u1.sid, email: u1.upn }])).toEqual([
			400,
			{ code: 'SIMULATOR_BAD_REQUEST', details: expect.stringContaining("'email'") },
		]);
		expect(await execute([{}], [])).toEqual([
			400,
			{
				code: 'SIMULATOR_BAD_REQUEST',
				details: expect.stringContaining('devices[0] must provide'),
			},
		]);
		expect(await execute([], [{}])).toEqual([
			400,
			{ code: 'SIMULATOR_BAD_REQUEST', details: expect.stringContaining('users[0] must provide') },
		]);
		expect(sim.data.workflowExecutions).toHaveLength(2);
	});

	it('answers an unknown workflow as the spec implies: no 404, an empty array (or 400 {code, details} for the object shape)', async () => {
		expect(await get('/api/v1/workflows/details?nqlId=%23no_such_workflow')).toEqual([200, []]);
		await withSim({ workflowDetailsShape: 'object' }, async (other) => {
			const { api: call } = await client(other);
			const res = await call('/api/v1/workflows/details?nqlId=%23no_such_workflow');
			expect([res.status, res.json()]).toEqual([
				400,
				{
					code: 'SIMULATOR_WORKFLOW_NOT_FOUND',
					details: expect.stringContaining("'#no_such_workflow'"),
				},
			]);
		});
	});

	it('marks every 400 code of the Workflows API as its own (the docs name none)', async () => {
		const devices = [sim.data.devices[0].collectorUid];
		const answers = [
			await send('/api/v1/workflows/execute', {
				workflowId: '#restart_service',
				devices: [],
				users: [],
			}),
			await send('/api/v1/workflows/execute', {
				workflowId: '#legacy_vpn_reset',
				devices,
				users: [],
			}),
			await send('/api/v1/workflows/execute', {
				workflowId: '#restart_service',
				devices,
				users: [],
				params: { nope: 'x' },
			}),
			await send('/api/v2/workflows/execute', {
				workflowId: '#restart_service',
				devices: [{ name: 'NO-SUCH-DEVICE' }],
				users: [],
			}),
			await get('/api/v1/workflows?dependency=DEVICE'),
			await get('/api/v1/workflows/details'),
		];
		expect(answers.map(([status, body]) => [status, Object.keys(body).sort()])).toEqual(
			answers.map(() => [400, ['code', 'details']]),
		);
		expect(answers.map(([, body]) => body.code)).toEqual([
			'SIMULATOR_BAD_REQUEST',
			'SIMULATOR_WORKFLOW_NOT_ACTIVE',
			'SIMULATOR_INVALID_PARAMETERS',
			'SIMULATOR_TARGETS_NOT_FOUND',
			'SIMULATOR_BAD_REQUEST',
			'SIMULATOR_BAD_REQUEST',
		]);
	});
});

describe('data management and Spark', () => {
	it('schedules device deletions (202) with per-device status and request IDs', async () => {
		const device = sim.data.devices[3];
		const requestId = '7fbd96a7-b717-43a7-8973-9c6adbca3a56';
		const res = await api('/api/v1/data-management/device/deletions', {
			json: {
				devices: [
					{ uid: device.uid, name: device.name },
					{ uid: 'bad', name: 'X' },
				],
			},
			headers: { 'x-request-id': requestId },
		});
		expect(res.status).toBe(202);
		expect(res.json()).toEqual({
			scheduledCount: 1,
			status: 'ACCEPTED',
			devices: [
				{ uid: device.uid, name: device.name, status: 'SCHEDULED' },
				{ uid: 'bad', name: 'X', status: 'INVALID' },
			],
		});
		expect([res.headers['x-request-id'], res.headers['x-trace-id']]).toEqual([
			requestId,
			requestId,
		]);
		const tooMany = await api('/api/v1/data-management/device/deletions', {
			json: { devices: Array.from({ length: 101 }, () => ({ uid: device.uid, name: 'n' })) },
		});
		expect(tooMany.json()).toMatchObject({ code: 'BATCH_SIZE_EXCEEDED' });
		expect(
			(await api('/api/v1/data-management/device/deletions', { json: { devices: [] } })).json(),
		).toMatchObject({ code: 'EMPTY_REQUEST' });
	});

	it('hands off to Spark (204) and requires User-Principal-Name', async () => {
		const body = {
			message: { parts: [{ type: 'TEXT', text: 'My VPN is slow' }] },
			metadata: { ticket: 'INC1' },
		};
		const ok = await api('/api/v1/spark/handoff', {
			json: body,
			headers: { 'user-principal-name': sim.data.users[0].upn, timezone: 'Europe/Zurich' },
		});
		expect([ok.status, ok.text]).toEqual([204, '']);
		expect(sim.data.sparkHandoffs[0]).toMatchObject({
			userPrincipalName: sim.data.users[0].upn,
			timezone: 'Europe/Zurich',
		});
		expect((await api('/api/v1/spark/handoff', { json: body })).status).toBe(400);
		expect(
			(
				await api('/api/v1/spark/handoff', {
					json: { message: { parts: [] } },
					headers: { 'user-principal-name': sim.data.users[0].upn },
				})
			).status,
		).toBe(400);
		expect(
			(
				await api('/api/v1/spark/handoff', {
					json: body,
					headers: { 'user-principal-name': 'ghost@example.com' },
				})
			).status,
		).toBe(404);
	});
});

describe('observability and the control API', () => {
	it('logs every request with lower-cased headers, parsed body and status; count() per endpoint', async () => {
		await api('/api/v2/nql/execute', { json: { queryId: '#users' }, headers: { 'X-Custom': 'A' } });
		await http(sim.tokenUrl, {
			form: { grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' },
		});
		const [execute, token] = sim.log;
		expect(execute).toMatchObject({
			host: 'api',
			endpoint: 'nql.execute.v2',
			method: 'POST',
			path: '/api/v2/nql/execute',
			body: { queryId: '#users' },
			status: 200,
		});
		expect(execute.headers['x-custom']).toBe('A');
		expect(token).toMatchObject({
			host: 'login',
			endpoint: 'token',
			body: { grant_type: 'client_credentials', client_id: 'x' },
			status: 401,
		});
		expect(sim.count('nql.execute.v2')).toBe(1);
		expect(sim.count('workflow.list')).toBe(0);
	});

	it('drives faults, tokens, permissions, query rows and reset over HTTP without logging itself', async () => {
		const control = (path: string, opts: Opts = {}) =>
			http(`${sim.apiBaseUrl}/_simulator${path}`, opts);
		expect(
			(
				await control('/faults', {
					json: { endpoint: 'workflow.list', fault: { type: 'status', status: 503 } },
				})
			).status,
		).toBe(201);
		expect((await api('/api/v1/workflows')).status).toBe(503);
		expect(
			(await control('/faults', { json: { endpoint: 'nope', fault: { type: 'drop' } } })).status,
		).toBe(400);
		await control('/faults', { json: { endpoint: 'workflow.list', fault: { type: 'drop' } } });
		expect((await control('/faults', { method: 'DELETE' })).status).toBe(204);
		expect((await api('/api/v1/workflows?dependency=DEVICE&triggerMethod=API')).status).toBe(200);
		expect(
			(await control('/queries/rows', { json: { queryId: '#all_devices', rows: 3 } })).status,
		).toBe(200);
		expect(
			(await api('/api/v2/nql/execute', { json: { queryId: '#all_devices' } })).json<{
				rows: number;
			}>().rows,
		).toBe(3);
		expect(
			(await control('/permissions', { method: 'PUT', json: { permissions: ['nql'] } })).json(),
		).toEqual({ permissions: ['nql'] });
		expect((await api('/api/v1/workflows')).status).toBe(403);
		const counters = (await control('/counters')).json<{ counters: Record<string, number> }>();
		expect(counters.counters['workflow.list']).toBe(3);
		const log = (await control('/log')).json<Array<{ path: string }>>();
		expect(log).toHaveLength(4);
		expect(log.every((e) => !e.path.startsWith('/_simulator'))).toBe(true);
		expect((await control('/data')).json()).toMatchObject({
			deviceCount: 2500,
			campaigns: expect.any(Array),
		});
		expect((await control('/expire-tokens', { method: 'POST' })).json()).toEqual({
			expired: expect.any(Number),
		});
		expect((await api('/api/v1/workflows')).status).toBe(401);
		expect((await control('/reset', { method: 'POST' })).status).toBe(204);
		expect(sim.log).toHaveLength(0);
		expect(sim.permissions).toHaveLength(7);
		api = (await client(sim)).api;
		expect(
			(await api('/api/v2/nql/execute', { json: { queryId: '#all_devices' } })).json<{
				rows: number;
			}>().rows,
		).toBe(1000);
	});

	it('serves the seed as input lists: the first N devices or users, with the fields asked for', async () => {
		const control = (path: string) => http(`${sim.apiBaseUrl}/_simulator${path}`);
		const devices = await control('/devices?count=3&fields=collectorUid,name');
		expect(devices.status).toBe(200);
		expect(devices.json()).toEqual({
			devices: sim.data.devices
				.slice(0, 3)
				.map(({ collectorUid, name }) => ({ collectorUid, name })),
		});
		const users = (await control('/users?count=2&fields=sid')).json<{ users: unknown[] }>();
		expect(users.users).toEqual([{ sid: sim.data.users[0].sid }, { sid: sim.data.users[1].sid }]);
		expect((await control('/devices')).json<{ devices: unknown[] }>().devices).toHaveLength(2500);
		expect((await control('/devices?count=2501')).status).toBe(400);
		expect((await control('/devices?count=1&fields=collectorUid,nope')).json()).toEqual({
			error: expect.stringContaining('nope'),
		});
		// As a CMDB export in Nexthink's enrichment format gives them: what bulk mode takes.
		const list = (await control('/enrichments?count=2')).json<{ enrichments: unknown[] }>();
		expect(list.enrichments).toEqual(
			sim.data.devices.slice(0, 2).map((device) => ({
				identification: [{ name: 'device/device/name', value: device.name }],
				fields: [{ name: 'device/device/#asset_tag', value: device.uid }],
			})),
		);
		expect((await control('/enrichments?count=2501')).status).toBe(400);
		expect(sim.log).toHaveLength(0);
	});

	it('delays API answers by latencyMs (errors too), never tokens; counts the requests in flight', async () => {
		await withSim({ latencyMs: 200 }, async (slow) => {
			const timed = async (run: () => Promise<Res>) => {
				const started = Date.now();
				const res = await run();
				return { status: res.status, ms: Date.now() - started };
			};
			const token = await timed(async () => {
				const res = await http(slow.tokenUrl, {
					headers: { authorization: basic(slow.clientId, slow.clientSecret) },
					form: { grant_type: 'client_credentials' },
				});
				return res;
			});
			expect(token).toEqual({ status: 200, ms: expect.any(Number) });
			expect(token.ms).toBeLessThan(150);
			const { api: slowApi } = await client(slow);
			const execute = await timed(() =>
				slowApi('/api/v2/nql/execute', { json: { queryId: '#users' } }),
			);
			expect(execute.status).toBe(200);
			expect(execute.ms).toBeGreaterThanOrEqual(195);
			const unauthorised = await timed(() => http(`${slow.apiBaseUrl}/api/v1/workflows`));
			expect(unauthorised.status).toBe(401);
			expect(unauthorised.ms).toBeGreaterThanOrEqual(195);

			slow.reset();
			expect(slow.maxInFlight).toBe(0);
			const answers = Promise.all(
				Array.from({ length: 5 }, () =>
					slowApi('/api/v2/nql/execute', { json: { queryId: '#users' } }),
				),
			);
			await wait(100);
			expect(slow.inFlight).toBe(5);
			expect((await answers).map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
			expect(slow.inFlight).toBe(0);
			expect(slow.maxInFlight).toBe(5);
			const counters = (await http(`${slow.apiBaseUrl}/_simulator/counters`)).json();
			expect(counters).toMatchObject({ inFlight: 0, maxInFlight: 5 });
			slow.resetMaxInFlight();
			expect(slow.maxInFlight).toBe(0);
			await slowApi('/api/v2/nql/execute', { json: { queryId: '#users' } });
			expect(slow.maxInFlight).toBe(1);
			slow.setLatency(0);
			expect((await timed(() => http(`${slow.apiBaseUrl}/api/v1/workflows`))).ms).toBeLessThan(150);
			slow.reset(); // back to the start option
			expect(
				(await timed(() => http(`${slow.apiBaseUrl}/api/v1/workflows`))).ms,
			).toBeGreaterThanOrEqual(195);
		});
		// Without the option: no delay.
		const started = Date.now();
		await api('/api/v2/nql/execute', { json: { queryId: '#users' } });
		expect(Date.now() - started).toBeLessThan(150);
	});

	it('offers the credential for n8n', () => {
		expect(sim.credentials()).toEqual({
			instance: 'simulator',
			region: 'custom',
			clientId: 'sim-client-id',
			clientSecret: 'sim-client-secret',
			apiBaseUrl: sim.apiBaseUrl,
			tokenUrl: sim.tokenUrl,
		});
		expect(sim.tokenUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/default\/v1\/token$/);
	});
});

describe('free disk space and #devices_low_disk (rows that come, change and go)', () => {
	const lowDisk = (max: string) => ({
		queryId: '#devices_low_disk',
		parameters: { max_free_gb: max },
	});
	const execute = async (max = '10') =>
		(await api('/api/v2/nql/execute', { json: lowDisk(max) })).json<{
			data: Array<Record<string, unknown>>;
		}>().data;
	const control = (path: string, json: unknown) =>
		http(`${sim.apiBaseUrl}/_simulator${path}`, { json });

	it('lists the devices under $max_free_gb as set now; an export takes its rows when it starts', async () => {
		const seeded = await execute();
		expect(seeded.length).toBeGreaterThan(10);
		for (const row of seeded) expect(row['device.#free_disk_space_gb']).toBeLessThan(10);
		const listed = new Set(seeded.map((row) => row['device.name']));
		const outside = sim.data.devices.find((device) => !listed.has(device.name))!;
		const leaving = String(seeded[0]['device.name']);

		sim.setFreeDiskSpace(outside.name, 4);
		sim.setFreeDiskSpace(leaving, 50);
		const now = await execute();
		expect(now.map((row) => row['device.name'])).not.toContain(leaving);
		expect(now.find((row) => row['device.name'] === outside.name)).toEqual({
			'device.name': outside.name,
			'device.collector.uid': outside.collectorUid,
			'device.operating_system.platform': outside.osPlatform,
			'device.#free_disk_space_gb': 4,
		});

		const { body } = await exportAndWait(api, lowDisk('10'));
		sim.setFreeDiskSpace(outside.name, undefined); // after the start: not in the file
		const rows = parseCsv((await http(body.resultsFileUrl as string)).text);
		expect(rows.find((row) => row[0] === outside.name)?.[3]).toBe('4');
		expect((await execute()).map((row) => row['device.name'])).not.toContain(outside.name);

		expect((await control('/devices/free-disk', { device: outside.name, gb: 3 })).status).toBe(200);
		expect((await execute()).find((row) => row['device.name'] === outside.name)).toMatchObject({
			'device.#free_disk_space_gb': 3,
		});
		expect((await control('/devices/free-disk', { device: 'NO-SUCH-DEVICE', gb: 3 })).status).toBe(
			400,
		);
		expect((await control('/devices/free-disk', { device: outside.name, gb: -1 })).status).toBe(
			400,
		);
		sim.reset();
		expect(await execute()).toEqual(seeded);
	});

	it('with $max_free_gb 1000 lists every device: more rows than NQL Execute returns', async () => {
		expect(await execute('1000')).toHaveLength(1000);
		await exportAndWait(api, lowDisk('1000'));
		expect(sim.data.exports.at(-1)?.rowCount).toBe(sim.data.devices.length);
	});
});
