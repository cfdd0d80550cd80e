/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test: node:events counts the abort listeners on the execution's signal, process catches Node's warnings, timers sample while requests are in flight 
/**
 * The rows of docs/RELIABILITY.md that no other suite proves: each runs the node (or the trigger)
 * through n8n-core against the simulator, with the fault armed, and checks what the user sees
 * (message, description, items) and what Nexthink received (the simulator's request log).
 */
import { getEventListeners } from 'node:events';

import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
} from 'n8n-workflow';

import { getBinaryBuffer } from '../../harness';
import { failureOf, nexthinkTestbed, type NexthinkTestbed } from '../../support/nexthink';

const locator = (value: string) => ({ __rl: true, mode: 'id', value });
const execute = (extra: IDataObject = {}) => ({
	resource: 'nql',
	operation: 'execute',
	queryId: '#all_devices',
	...extra,
});
const fast = { pollIntervalSeconds: 1 };

describe('Reliability', () => {
	let bed: NexthinkTestbed;
	let collectors: string[];

	beforeAll(async () => {
		bed = await nexthinkTestbed({ exportTimings: { submittedMs: 0, inProgressMs: 0 } });
		collectors = bed.sim.data.devices.map((device) => device.collectorUid);
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	const remoteAction = (extra: IDataObject = {}) => ({
		resource: 'remoteAction',
		operation: 'execute',
		remoteActionId: locator('#get_disk_space'),
		devices: '={{ $json.devices }}',
		...extra,
	});

	describe('Engine and fleet safety', () => {
		it('a bad item among good ones stops the run before any request, naming the item', async () => {
			const items: INodeExecutionData[] = collectors
				.slice(0, 5)
				.map((device, index) => ({ json: { devices: index === 3 ? 'LAPTOP-00004' : device } }));

			const error = await failureOf(bed.run(remoteAction(), items));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(
				'Devices (Collector UUIDs): entry 1, "LAPTOP-00004", is not a Collector UUID',
			);
			expect(error.context.itemIndex).toBe(3);
			expect(bed.sim.log).toHaveLength(0);
			expect(bed.sim.data.remoteActionExecutions).toHaveLength(0);
		});
	});

	describe('Token and credential', () => {
		it('an http Token URL for a host that is not loopback is refused before any request', async () => {
			bed.resetCredential({
				tokenUrl: 'http://acme-login.eu.nexthink.cloud/oauth2/default/v1/token',
			});

			const error = await failureOf(bed.run(execute()));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(
				/^Token URL must use https: plain http would send the client secret and tokens unencrypted to acme-login\.eu\.nexthink\.cloud\. Use https:\/\/acme-login\.eu\.nexthink\.cloud\/oauth2\/default\/v1\/token/,
			);
			expect(error.description).toMatch(/Fix the Nexthink credential/);
			expect(bed.sim.log).toHaveLength(0);
		});

		it.each(['?tenant=acme', '#api'])(
			'an API Base URL with %p is refused before any request, token included',
			async (suffix) => {
				bed.resetCredential({ apiBaseUrl: `${bed.sim.apiBaseUrl}/${suffix}` });

				const error = await failureOf(bed.run(execute()));

				expect(error).toBeInstanceOf(NodeOperationError);
				expect(error.message).toBe(
					`API Base URL must not contain a query (?…) or fragment (#…): the node adds the API path after it, so anything after ? or # would be lost. Use ${bed.sim.apiBaseUrl}`,
				);
				expect(bed.sim.log).toHaveLength(0);
			},
		);
	});

	describe('Transport: HTTP answers', () => {
		it('a 429 without Retry-After is tried again after a backoff', async () => {
			bed.sim.inject('nql.execute.v2', { type: 'status', status: 429 }, 2);
			const started = Date.now();

			const [rows] = await bed.run(execute());

			expect(rows.length).toBeGreaterThan(0);
			const calls = bed.requests('nql.execute.v2');
			expect(calls.map((call) => call.status)).toEqual([429, 429, 200]);
			// Backoffs of 250–500 ms, then 500–1,000 ms.
			expect(Date.now() - started).toBeGreaterThanOrEqual(700);
		});

		it('a 429 on every try fails after 3 retries, saying it was not processed', async () => {
			bed.sim.inject('nql.execute.v2', { type: 'rateLimit', retryAfter: 0 }, 4);

			const error = await failureOf(bed.run(execute()));

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('429');
			expect(error.message).toBe('Nexthink is throttling requests for NQL Execute (429)');
			expect(error.description).toMatch(
				/^Nexthink still refused \(3 retries, as Retry-After asked\)/,
			);
			expect(error.context.mayHaveBeenProcessed).toBe(false);
			expect(bed.requests('nql.execute.v2').map((call) => call.status)).toEqual([
				429, 429, 429, 429,
			]);
		});

		it('a body that is not JSON on a triggering call is not repeated, and says it may have run', async () => {
			bed.sim.inject('remoteAction.execute', { type: 'malformed' });

			const error = await failureOf(
				bed.run({
					resource: 'remoteAction',
					operation: 'execute',
					remoteActionId: { __rl: true, mode: 'id', value: '#get_disk_space' },
					devices: bed.sim.data.devices[0].collectorUid,
				}),
			);

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(
				'Nexthink answered Remote Action Execute with a body that is not valid JSON',
			);
			expect(error.description).not.toMatch(/Try again/);
			expect(error.description).toMatch(/may have been processed/);
			expect(bed.requests('remoteAction.execute')).toHaveLength(1);
		});

		it('a 500 on a read-only call is tried again', async () => {
			bed.sim.inject('nql.execute.v2', { type: 'status', status: 500 });

			const [rows] = await bed.run(execute());

			expect(rows.length).toBeGreaterThan(0);
			expect(bed.requests('nql.execute.v2').map((call) => call.status)).toEqual([500, 200]);
		});

		it('a 500 on every try of a read-only call fails, saying it retried 3 times', async () => {
			bed.sim.inject('nql.execute.v2', { type: 'status', status: 500 }, 4);

			const error = await failureOf(bed.run(execute()));

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('500');
			expect(error.message).toBe(
				'Nexthink failed to process NQL Execute (500): Internal server error.',
			);
			expect(error.description).toMatch(/^Retried 3 times\. Try again later/);
			expect(bed.requests('nql.execute.v2')).toHaveLength(4);
		});
	});

	describe('Exports and downloads', () => {
		const completedExport = async (compression = 'NONE') => {
			const [out] = await bed.run({
				resource: 'nql',
				operation: 'export',
				queryId: '#all_devices',
				compression,
				waitForCompletion: true,
				output: 'status',
				options: fast,
			});
			return out[0].json as { exportId: string; resultsFileUrl: string };
		};
		const byLink = (resultsFileUrl: string, output = 'rows') => ({
			resource: 'nql',
			operation: 'downloadExport',
			source: 'resultsFileUrl',
			resultsFileUrl,
			output,
		});

		it("a tampered link: the file host's refusal is named, and not tried again", async () => {
			const { resultsFileUrl } = await completedExport();
			const tampered = new URL(resultsFileUrl);
			tampered.searchParams.set('X-Amz-Signature', '0'.repeat(64));

			const error = await failureOf(bed.run(byLink(tampered.href)));

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('403');
			expect(error.message).toMatch(
				/^The export file host refused the download \(403 SignatureDoesNotMatch\): The request signature we calculated does not match/,
			);
			expect(error.description).toMatch(/exactly as Nexthink returned it/);
			expect(bed.requests('nql.download').map((call) => call.status)).toEqual([403]);
		});

		it('a results link that is not http(s) is refused before any request', async () => {
			const error = await failureOf(bed.run(byLink('ftp://files.example/exports/a.csv')));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(
				'Results File URL: "ftp://files.example/exports/a.csv" is not an http(s) link',
			);
			expect(bed.sim.log).toHaveLength(0);
		});

		it('an export with no rows gives no row items and no error; as a file, the header alone', async () => {
			bed.sim.setQueryRows('#all_devices', 0);
			const { exportId } = await completedExport();

			const [rows] = await bed.run({ resource: 'nql', operation: 'downloadExport', exportId });
			const [file] = await bed.run({
				resource: 'nql',
				operation: 'downloadExport',
				exportId,
				output: 'file',
			});

			expect(rows).toEqual([]);
			expect(file).toHaveLength(1);
			expect(file[0].json).toMatchObject({ exportId, truncated: false });
			const csv = (await getBinaryBuffer(file[0], 'data')).toString('utf8');
			expect(csv.trim().split(/\r?\n/)).toHaveLength(1);
			expect(csv).toContain('device.name');
			expect(bed.requests('nql.download').map((call) => call.status)).toEqual([200, 200]);
		});

		it('a file of 0 bytes fails as empty instead of giving nothing', async () => {
			const { resultsFileUrl } = await completedExport();
			bed.sim.inject('nql.download', { type: 'status', status: 200, body: '' });

			const error = await failureOf(bed.run(byLink(resultsFileUrl)));

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('The export file is empty');
			expect(error.description).toMatch(/not even a header row/);
			expect(bed.requests('nql.download')).toHaveLength(1);
		});

		it('a gzip export cut off mid-body is tried again, and the rows come whole', async () => {
			bed.sim.setQueryRows('#all_devices', 3000);
			const { resultsFileUrl } = await completedExport('GZIP');
			bed.sim.inject('nql.download', { type: 'cutOff', afterBytes: 2048 });

			const [rows] = await bed.run(byLink(resultsFileUrl));

			expect(rows).toHaveLength(3000);
			expect(rows[2999].json['device.name']).toEqual(expect.any(String));
			expect(bed.requests('nql.download').map((call) => call.fault ?? 'whole')).toEqual([
				'cutOff',
				'whole',
			]);
		});

		it('a gzip export cut off on every try says how much arrived, not a decompression error', async () => {
			bed.sim.setQueryRows('#all_devices', 3000);
			const { resultsFileUrl } = await completedExport('GZIP');
			bed.sim.inject('nql.download', { type: 'cutOff', afterBytes: 2048 }, 4);

			const error = await failureOf(bed.run(byLink(resultsFileUrl)));

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toMatch(
				/^The export download was cut off after 2,048 bytes of [\d,]+$/,
			);
			expect(error.description).toMatch(/^Retried 3 times\./);
			expect(bed.requests('nql.download')).toHaveLength(4);
		});

		describe('downloads as a file (streamed into n8n’s binary data)', () => {
			const asFile = (resultsFileUrl: string) => byLink(resultsFileUrl, 'file');

			it('a file cut off mid-body is tried again, and the file comes whole, byte for byte', async () => {
				bed.sim.setQueryRows('#all_devices', 3000);
				const { resultsFileUrl } = await completedExport('GZIP');
				const [whole] = await bed.run(asFile(resultsFileUrl));
				const expected = await getBinaryBuffer(whole[0], 'data');
				bed.sim.inject('nql.download', { type: 'cutOff', afterBytes: 2048 });

				const [file] = await bed.run(asFile(resultsFileUrl));

				const data = await getBinaryBuffer(file[0], 'data');
				expect(data.equals(expected)).toBe(true);
				expect(file[0].json).toMatchObject({ bytes: expected.length, compression: 'GZIP' });
				expect(file[0].binary?.data.mimeType).toBe('application/gzip');
				expect(bed.requests('nql.download').map((call) => call.fault ?? 'whole')).toEqual([
					'whole',
					'cutOff',
					'whole',
				]);
			});

			it('a file cut off on every try fails as cut off, never as a shorter file', async () => {
				bed.sim.setQueryRows('#all_devices', 3000);
				const { resultsFileUrl } = await completedExport();
				bed.sim.inject('nql.download', { type: 'cutOff', afterBytes: 2048 }, 4);

				const error = await failureOf(bed.run(asFile(resultsFileUrl)));

				expect(error).toBeInstanceOf(NodeApiError);
				expect(error.message).toMatch(/^The export download was cut off/);
				expect(error.description).toMatch(/^Retried 3 times\./);
				expect(bed.requests('nql.download')).toHaveLength(4);
			});

			it('a file of 0 bytes fails as empty', async () => {
				const { resultsFileUrl } = await completedExport();
				bed.sim.inject('nql.download', { type: 'status', status: 200, body: '' });

				const error = await failureOf(bed.run(asFile(resultsFileUrl)));

				expect(error.message).toBe('The export file is empty');
			});
		});
	});

	describe('damaged files', () => {
		it('a gzip file damaged at rest says it is not a complete gzip file, with the fix', async () => {
			bed.sim.setQueryRows('#all_devices', 3000);
			const [started] = await bed.run({
				resource: 'nql',
				operation: 'export',
				queryId: '#all_devices',
				compression: 'GZIP',
				waitForCompletion: true,
				output: 'status',
				options: { pollIntervalSeconds: 1 },
			});
			const { resultsFileUrl } = started[0].json as { resultsFileUrl: string };
			bed.sim.inject('nql.download', { type: 'corrupt' });

			const error = await failureOf(
				bed.run({
					resource: 'nql',
					operation: 'downloadExport',
					source: 'resultsFileUrl',
					resultsFileUrl,
				}),
			);

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toMatch(
				/^The export file is not a complete gzip file \([\d,]+ bytes\): it cannot be read as rows$/,
			);
			expect(error.description).toMatch(/Download it again/);
			expect(bed.requests('nql.download')).toHaveLength(1);
		});
	});

	describe('Trigger', () => {
		const nodeState = (staticData: IDataObject) =>
			staticData['node:Nexthink Trigger'] as IDataObject | undefined;

		it('an export with no rows emits nothing, and the next poll starts the next export', async () => {
			bed.sim.setQueryRows('#all_devices', 0);
			const params = { event: 'exportCompleted', queryId: '#all_devices' };
			const staticData: IDataObject = {};
			await bed.poll(params, 'trigger', staticData);
			const exportId = nodeState(staticData)?.exportId;
			expect(exportId).toEqual(expect.any(String));

			const done = await bed.poll(params, 'trigger', staticData);

			expect(done.result).toBeNull();
			expect(bed.requests('nql.download')).toHaveLength(1);
			expect(nodeState(staticData)).toMatchObject({ lastExportId: exportId });
			expect(nodeState(staticData)?.exportId).toBeUndefined();
			const next = await bed.poll(params, 'trigger', staticData);
			expect(next.result).toBeNull();
			expect(bed.requests('nql.export')).toHaveLength(2);
		});
	});

	describe('Input checks', () => {
		const oneDevice = () => ({ json: { devices: collectors[0] } });

		it.each(['externalSource', 'externalReference'])(
			'%s: 256 characters are refused before any request, 255 are sent whole',
			async (key) => {
				const label = key === 'externalSource' ? 'External Source' : 'External Reference';

				const error = await failureOf(
					bed.run(remoteAction({ options: { [key]: 'x'.repeat(256) } }), [oneDevice()]),
				);
				expect(error).toBeInstanceOf(NodeOperationError);
				expect(error.message).toBe(`${label}: it has 256 characters`);
				expect(error.description).toBe('Nexthink keeps at most 255 characters: shorten it.');
				expect(bed.sim.log).toHaveLength(0);

				const [out] = await bed.run(remoteAction({ options: { [key]: 'x'.repeat(255) } }), [
					oneDevice(),
				]);
				expect(out[0].json.requestId).toEqual(expect.any(String));
				const [call] = bed.requests('remoteAction.execute');
				expect((call.body as { triggerInfo: IDataObject }).triggerInfo[key]).toBe('x'.repeat(255));
			},
		);

		it.each([
			[10_081, /^Expires in Minutes: 10081 is out of range$/],
			['soon', /^Expires in Minutes: soon is out of range$/],
		])(
			'Remote Action expiry %p is refused before any request',
			async (expiresInMinutes, message) => {
				const error = await failureOf(
					bed.run(remoteAction({ options: { expiresInMinutes } }), [oneDevice()]),
				);

				expect(error).toBeInstanceOf(NodeOperationError);
				expect(error.message).toMatch(message);
				expect(error.description).toMatch(/from 60 \(one hour\) to 10080 \(one week\)/);
				expect(bed.sim.log).toHaveLength(0);
			},
		);

		it('Options > Concurrency 60 runs 60 requests at once on one abort listener, without MaxListenersExceededWarning', async () => {
			bed.sim.inject('nql.execute.v2', { type: 'slow', delayMs: 600 }, 90);
			const items = Array.from({ length: 90 }, () => ({ json: {} }));
			// A signal with Node's default listener limit (10), not the one n8n lifts: the node must
			// stay under it by itself.
			const controller = new AbortController();
			const warnings: string[] = [];
			const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
			process.on('warning', onWarning);
			let listeners = 0;
			const watch = setInterval(() => {
				listeners = Math.max(listeners, getEventListeners(controller.signal, 'abort').length);
			}, 20);
			try {
				const [rows] = await bed.run(execute({ options: { concurrency: 60 } }), items, {
					signal: controller.signal,
				});
				expect(new Set(rows.map((row) => (row.pairedItem as { item: number }).item)).size).toBe(90);
			} finally {
				clearInterval(watch);
				process.off('warning', onWarning);
			}
			// Warnings are emitted on the next tick.
			await new Promise((resolve) => setImmediate(resolve));
			expect(warnings.filter((warning) => warning.includes('MaxListeners'))).toEqual([]);
			expect(listeners).toBe(1);
			// Each call takes at least 600 ms: calls that arrive within 500 ms of each other are in
			// flight together.
			const arrivals = bed.requests('nql.execute.v2').map((call) => Date.parse(call.at));
			expect(arrivals).toHaveLength(90);
			const together = arrivals.map(
				(start) => arrivals.filter((at) => at >= start && at < start + 500).length,
			);
			expect(Math.max(...together)).toBe(60);
		});

		it('Options > Concurrency above 100 runs at most 100 requests at once', async () => {
			bed.sim.inject('nql.execute.v2', { type: 'slow', delayMs: 600 }, 120);
			const items = Array.from({ length: 120 }, () => ({ json: {} }));
			await bed.run(execute({ options: { concurrency: 500 } }), items);
			const arrivals = bed.requests('nql.execute.v2').map((call) => Date.parse(call.at));
			const together = arrivals.map(
				(start) => arrivals.filter((at) => at >= start && at < start + 500).length,
			);
			expect(Math.max(...together)).toBe(100);
		});

		it('a Remote Action NQL ID that cannot be one is refused before any request', async () => {
			const error = await failureOf(
				bed.run(remoteAction({ remoteActionId: locator('clear browser cache') }), [oneDevice()]),
			);

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('Remote Action: "clear browser cache" is not a valid NQL ID');
			expect(error.description).toMatch(/#clear_browser_cache/);
			expect(bed.sim.log).toHaveLength(0);
		});

		it('a Workflow Trigger user that is no User UID is refused before any request', async () => {
			const error = await failureOf(
				bed.run({
					resource: 'workflow',
					operation: 'trigger',
					workflowId: locator('#onboard_new_user'),
					userIdType: 'uid',
					users: 'S-1-5-21-1-2-3-1001',
				}),
			);

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('Users: entry 1 of 1, "S-1-5-21-1-2-3-1001", is not a User UID');
			expect(bed.sim.log).toHaveLength(0);
		});

		it.each([
			['device/device/uid', 'LAPTOP-00001', '"LAPTOP-00001" is not a Device UID'],
			['user/user/uid', 'S-1-5-21-1-2-3-1001', '"S-1-5-21-1-2-3-1001" is not a User UID'],
			['user/user/upn', 'jane.doe', '"jane.doe" is not a User UPN'],
			['user/user/upn', 'jane doe@example.com', '"jane doe@example.com" is not a User UPN'],
			['binary/binary/uid', '  ', 'it is empty'],
			['package/package/uid', '', 'it is empty'],
		])(
			'Enrich Fields identified by %s refuses %p before any request',
			async (identificationType, identificationValue, problem) => {
				const error = await failureOf(
					bed.run({
						resource: 'enrichment',
						operation: 'enrichFields',
						domain: 'n8n_test',
						identificationType,
						identificationValue,
						fields: { field: [{ customField: '#cost_center', value: 'x' }] },
					}),
				);

				expect(error).toBeInstanceOf(NodeOperationError);
				expect(error.message).toBe(`Identification Value: ${problem}`);
				expect(error.description).toMatch(/^Give the /);
				expect(bed.sim.log).toHaveLength(0);
			},
		);
	});
});
