/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test: node:module reaches n8n-core's own Logger, to see the warnings the trigger logs */
import { createRequire } from 'node:module';

import {
	NodeApiError,
	NodeHelpers,
	NodeOperationError,
	sleep,
	type IDataObject,
} from 'n8n-workflow';

import { reloadStaticData, runPoll, type RunPollOptions } from '../harness';
import { NexthinkTrigger } from '../../nodes/NexthinkTrigger/NexthinkTrigger.node';
import { coreService, type ServiceClass } from '../harness/runtime';
import { nexthinkTestbed, type NexthinkTestbed } from '../support/nexthink';

const triggerParams = (extra: Record<string, unknown> = {}) => ({
	event: 'exportCompleted',
	queryId: '#devices_by_os',
	parameters: { parameter: [{ name: 'os', value: 'macOS' }] },
	...extra,
});

const nodeState = (staticData: IDataObject) =>
	staticData['node:Nexthink Trigger'] as IDataObject | undefined;
const pause = sleep;

/** n8n's Logger, the one `this.logger` of a poll is (resolved where n8n-core resolves it). */
const { Logger } = createRequire(require.resolve('n8n-core'))('@n8n/backend-common') as {
	Logger: ServiceClass<{ warn: (message: string, meta?: object) => void }>;
};
const watchWarnings = () => jest.spyOn(coreService(Logger), 'warn');

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await pause(5);
	}
}

describe('Nexthink Trigger: NQL Export Completed', () => {
	let bed: NexthinkTestbed;

	beforeAll(async () => {
		// Each export goes SUBMITTED → IN_PROGRESS → COMPLETED over 400 ms.
		bed = await nexthinkTestbed({ exportTimings: { submittedMs: 200, inProgressMs: 200 } });
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	it('seeds on the first poll, reports nothing while running, emits once completed, then starts afresh', async () => {
		const staticData: IDataObject = {};

		const first = await bed.poll(triggerParams(), 'trigger', staticData);
		expect(first.result).toBeNull();
		expect(bed.requests('nql.export')).toHaveLength(1);
		const exportId = nodeState(staticData)?.exportId;
		expect(exportId).toEqual(expect.any(String));

		const running = await bed.poll(triggerParams(), 'trigger', staticData);
		expect(running.result).toBeNull();
		expect(bed.requests('nql.status')).toHaveLength(1);
		expect(bed.requests('nql.export')).toHaveLength(1); // follows its export, starts no other

		await pause(450);
		const done = await bed.poll(triggerParams(), 'trigger', staticData);
		const rows = done.result?.[0] ?? [];
		expect(rows.length).toBeGreaterThan(0);
		for (const row of rows)
			expect(String(row.json['device.operating_system.name'])).toMatch(/macOS/);
		expect(bed.requests('nql.download')[0].headers.authorization).toBeUndefined();
		expect(nodeState(staticData)).toMatchObject({ lastExportId: exportId });
		expect(nodeState(staticData)?.exportId).toBeUndefined();

		const next = await bed.poll(triggerParams(), 'trigger', staticData);
		expect(next.result).toBeNull();
		expect(bed.requests('nql.export')).toHaveLength(2);
		expect(nodeState(staticData)?.exportId).not.toBe(exportId);
	});

	it('emits the status with the link, or the file, as the user picks', async () => {
		const statusData: IDataObject = {};
		await bed.poll(triggerParams({ output: 'status' }), 'trigger', statusData);
		await pause(450);
		const status = await bed.poll(triggerParams({ output: 'status' }), 'trigger', statusData);
		expect(status.result?.[0]).toHaveLength(1);
		expect(status.result?.[0][0].json).toMatchObject({
			status: 'COMPLETED',
			queryId: '#devices_by_os',
		});
		expect(String(status.result?.[0][0].json.resultsFileUrl)).toContain(bed.sim.filesBaseUrl);

		const fileData: IDataObject = {};
		await bed.poll(
			triggerParams({ output: 'file', compression: 'GZIP', binaryPropertyName: 'csv' }),
			'trigger',
			fileData,
		);
		await pause(450);
		const file = await bed.poll(
			triggerParams({ output: 'file', compression: 'GZIP', binaryPropertyName: 'csv' }),
			'trigger',
			fileData,
		);
		expect(file.result?.[0][0].binary?.csv.mimeType).toBe('application/gzip');
	});

	it("surfaces an export in ERROR with Nexthink's description, and the next poll starts afresh", async () => {
		const staticData: IDataObject = {};
		bed.sim.inject('nql.export', { type: 'exportError', description: 'Query execution failed' });
		await bed.poll(triggerParams(), 'trigger', staticData);
		await pause(450);

		const error = (await bed
			.poll(triggerParams(), 'trigger', staticData)
			.catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('The NQL export failed in Nexthink: Query execution failed');
		expect(nodeState(staticData)?.exportId).toBeUndefined();

		const again = await bed.poll(triggerParams(), 'trigger', staticData);
		expect(again.result).toBeNull();
		expect(bed.requests('nql.export')).toHaveLength(2);
	});

	it('asks for a fresh link when the one it got has expired, and loses no result', async () => {
		const short = await nexthinkTestbed({
			exportTimings: { submittedMs: 0, inProgressMs: 0 },
			presignedTtlSeconds: 1,
		});
		try {
			const staticData: IDataObject = {};
			await short.poll(triggerParams(), 'trigger', staticData);
			// The link the status call mints expires before the download: the node asks again.
			short.sim.inject('nql.status', { type: 'slow', delayMs: 1100 });
			short.sim.inject('nql.download', { type: 'slow', delayMs: 1100 });
			const done = await short.poll(triggerParams(), 'trigger', staticData);

			expect(done.result?.[0].length).toBeGreaterThan(0);
			const downloads = short.requests('nql.download').map((r) => r.status);
			expect(downloads).toEqual([403, 200]);
			expect(short.requests('nql.status')).toHaveLength(2);
		} finally {
			await short.close();
		}
	});

	it('keeps following its export when the download fails, so the next poll delivers it', async () => {
		const staticData: IDataObject = {};
		await bed.poll(triggerParams(), 'trigger', staticData);
		await pause(450);
		bed.sim.inject('nql.download', {
			type: 'status',
			status: 403,
			body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
		});
		await expect(bed.poll(triggerParams(), 'trigger', staticData)).rejects.toThrow(
			/refused the download/,
		);
		const exportId = nodeState(staticData)?.exportId;
		expect(exportId).toEqual(expect.any(String));
		expect(nodeState(staticData)?.claim).toBeUndefined(); // released: the next poll may try

		const retried = await bed.poll(triggerParams(), 'trigger', staticData);
		expect(retried.result?.[0].length).toBeGreaterThan(0);
		expect(nodeState(staticData)?.lastExportId).toBe(exportId);
	});

	it('survives a restart of n8n between polls: what n8n saved leads to no double emission', async () => {
		const staticData: IDataObject = {};
		await bed.poll(triggerParams(), 'trigger', staticData);
		await pause(450);
		const emitted = await bed.poll(triggerParams(), 'trigger', staticData);
		expect(emitted.result?.[0].length).toBeGreaterThan(0);
		expect(emitted.savedStaticData).toBeDefined();

		// n8n restarts: the workflow's static data comes back from the database.
		const restored = reloadStaticData(emitted.savedStaticData!);
		expect(nodeState(restored)?.lastExportId).toBe(nodeState(staticData)?.lastExportId);
		const afterRestart = await bed.poll(triggerParams(), 'trigger', restored);
		expect(afterRestart.result).toBeNull();
		expect(bed.requests('nql.export')).toHaveLength(2);
		expect(bed.requests('nql.download')).toHaveLength(1);
	});

	it('n8n stopped mid-download with the claim saved: a fresh claim keeps polls off, a stale one is taken over', async () => {
		const staticData: IDataObject = {};
		await bed.poll(triggerParams(), 'trigger', staticData);
		const exportId = nodeState(staticData)?.exportId;
		await pause(450);
		bed.sim.inject('nql.download', { type: 'slow', delayMs: 400 });
		const downloading = bed.poll(triggerParams(), 'trigger', staticData);
		await until(() => bed.requests('nql.download').length === 1);
		// What a second process (or n8n after a restart) would read while the download runs.
		const saved = reloadStaticData(staticData);
		expect(nodeState(saved)?.claim).toMatchObject({ exportId, at: expect.any(String) });
		expect((await downloading).result?.[0].length).toBeGreaterThan(0);

		const before = bed.sim.log.length;
		const kept = await bed.poll(triggerParams(), 'trigger', saved);
		expect(kept.result).toBeNull();
		expect(bed.sim.log).toHaveLength(before); // not even a status call
		expect(nodeState(saved)).toMatchObject({ exportId, claim: { exportId } });

		// Eleven minutes later the claim is stale: its poll died, so this one delivers the export.
		const claim = nodeState(saved)!.claim as IDataObject;
		claim.at = new Date(Date.now() - 11 * 60_000).toISOString();
		const taken = await bed.poll(triggerParams(), 'trigger', saved);
		expect(taken.result?.[0].length).toBeGreaterThan(0);
		expect(bed.requests('nql.download')).toHaveLength(2);
		expect(nodeState(saved)).toMatchObject({ lastExportId: exportId });
		expect(nodeState(saved)?.claim).toBeUndefined();
		expect(nodeState(saved)?.exportId).toBeUndefined();
	});

	describe('overlapping polls (n8n starts each poll without waiting for the last one)', () => {
		it('emit a completed export exactly once', async () => {
			const staticData: IDataObject = {};
			await bed.poll(triggerParams(), 'trigger', staticData);
			const exportId = nodeState(staticData)?.exportId;
			await pause(450);
			const statusCalls = bed.requests('nql.status').length;

			const results = await Promise.all([
				bed.poll(triggerParams(), 'trigger', staticData),
				bed.poll(triggerParams(), 'trigger', staticData),
			]);

			const emitting = results.filter((poll) => poll.result !== null);
			expect(emitting).toHaveLength(1);
			expect(emitting[0].result?.[0].length).toBeGreaterThan(0);
			expect(bed.requests('nql.download')).toHaveLength(1);
			// The poll that kept off sent nothing at all.
			expect(bed.requests('nql.status')).toHaveLength(statusCalls + 1);
			expect(nodeState(staticData)).toMatchObject({ lastExportId: exportId });
			expect(nodeState(staticData)?.claim).toBeUndefined();

			const next = await bed.poll(triggerParams(), 'trigger', staticData);
			expect(next.result).toBeNull();
			expect(bed.requests('nql.download')).toHaveLength(1);
			expect(bed.requests('nql.export')).toHaveLength(2);
		});

		it('of one node in one process never run at once, even on separate copies of its state', async () => {
			const seeded: IDataObject = {};
			await bed.poll(triggerParams(), 'trigger', seeded);
			await pause(450);
			const statusCalls = bed.requests('nql.status').length;
			// The same node (one ID, as in n8n), each poll with its own copy of the state: only the
			// in-process guard can keep them apart.
			const pollOf = (staticData: IDataObject) => {
				const options: RunPollOptions & { id: string } = {
					id: 'b9f5a8e2-trigger-node',
					nodeType: new NexthinkTrigger(),
					parameters: triggerParams(),
					mode: 'trigger',
					staticData,
					credentials: { store: bed.store, type: 'nexthinkApi', id: bed.credentialId },
				};
				return runPoll(options);
			};

			const results = await Promise.all([
				pollOf(reloadStaticData(seeded)),
				pollOf(reloadStaticData(seeded)),
			]);

			expect(results.filter((poll) => poll.result !== null)).toHaveLength(1);
			expect(bed.requests('nql.status')).toHaveLength(statusCalls + 1);
			expect(bed.requests('nql.download')).toHaveLength(1);
		});

		it('start one export when the first polls overlap', async () => {
			const staticData: IDataObject = {};
			const results = await Promise.all([
				bed.poll(triggerParams(), 'trigger', staticData),
				bed.poll(triggerParams(), 'trigger', staticData),
				bed.poll(triggerParams(), 'trigger', staticData),
			]);

			expect(results.map((poll) => poll.result)).toEqual([null, null, null]);
			expect(bed.requests('nql.export')).toHaveLength(1);
			expect(nodeState(staticData)?.exportId).toEqual(expect.any(String));
			expect(nodeState(staticData)?.claim).toBeUndefined();
		});
	});

	it('starts a new export, with a warning, when Nexthink no longer knows the followed one (404)', async () => {
		const warn = watchWarnings();
		try {
			const staticData: IDataObject = {};
			await bed.poll(triggerParams(), 'trigger', staticData);
			const gone = nodeState(staticData)?.exportId as string;
			bed.sim.inject('nql.status', { type: 'status', status: 404 });

			const recovered = await bed.poll(triggerParams(), 'trigger', staticData);

			expect(recovered.result).toBeNull();
			expect(bed.requests('nql.export')).toHaveLength(2);
			const followed = nodeState(staticData)?.exportId;
			expect(followed).toEqual(expect.any(String));
			expect(followed).not.toBe(gone);
			expect(warn).toHaveBeenCalledWith(
				expect.stringContaining(`no longer knows export ${gone} (404`),
				expect.anything(),
			);

			await pause(450);
			const done = await bed.poll(triggerParams(), 'trigger', staticData);
			expect(done.result?.[0].length).toBeGreaterThan(0);
			expect(nodeState(staticData)?.lastExportId).toBe(followed);
		} finally {
			warn.mockRestore();
		}
	});

	it('abandons an export that outlasts the time-out, says so once, and starts a new one', async () => {
		const stuck = await nexthinkTestbed({
			exportTimings: { submittedMs: 600_000, inProgressMs: 0 },
		});
		try {
			// Time-out in minutes has a floor of 1: shorten it with a fractional value (1.2 s).
			const params = triggerParams({ options: { exportTimeoutMinutes: 0.02 } });
			const staticData: IDataObject = {};
			await stuck.poll(params, 'trigger', staticData);
			const abandoned = nodeState(staticData)?.exportId as string;
			expect((await stuck.poll(params, 'trigger', staticData)).result).toBeNull();

			await pause(1250);
			const error = (await stuck
				.poll(params, 'trigger', staticData)
				.catch((e: unknown) => e)) as NodeOperationError;
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(
				`NQL export ${abandoned} did not complete within the trigger's time-out of 0.02 minutes (last status SUBMITTED)`,
			);
			expect(error.description).toContain('next poll starts a new export');
			expect(nodeState(staticData)?.exportId).toBeUndefined();

			const next = await stuck.poll(params, 'trigger', staticData);
			expect(next.result).toBeNull();
			expect(stuck.requests('nql.export')).toHaveLength(2);
			expect(nodeState(staticData)?.exportId).not.toBe(abandoned);
			// The default time-out (60 minutes) keeps following a young export.
			const defaults: IDataObject = {};
			await stuck.poll(triggerParams(), 'trigger', defaults);
			await pause(350);
			expect((await stuck.poll(triggerParams(), 'trigger', defaults)).result).toBeNull();
		} finally {
			await stuck.close();
		}
	});

	it("remembers a status call's long Retry-After: polls before it send nothing", async () => {
		const staticData: IDataObject = {};
		await bed.poll(triggerParams(), 'trigger', staticData);
		bed.sim.inject('nql.status', { type: 'rateLimit', retryAfter: 3600 });

		const throttled = (await bed
			.poll(triggerParams(), 'trigger', staticData)
			.catch((e: unknown) => e)) as NodeApiError;
		expect(throttled).toBeInstanceOf(NodeApiError);
		expect(throttled.httpCode).toBe('429');
		const notBefore = Date.parse(String(nodeState(staticData)?.notBefore));
		expect(notBefore).toBeGreaterThan(Date.now() + 3590_000);
		expect(notBefore).toBeLessThan(Date.now() + 3610_000);
		expect(throttled.description).toContain(String(nodeState(staticData)?.notBefore));

		const before = bed.sim.log.length;
		await pause(450);
		expect((await bed.poll(triggerParams(), 'trigger', staticData)).result).toBeNull();
		expect((await bed.poll(triggerParams(), 'trigger', staticData)).result).toBeNull();
		expect(bed.sim.log).toHaveLength(before);

		// Once the time has come, the trigger asks again and delivers.
		nodeState(staticData)!.notBefore = new Date(Date.now() - 1000).toISOString();
		const done = await bed.poll(triggerParams(), 'trigger', staticData);
		expect(done.result?.[0].length).toBeGreaterThan(0);
		expect(nodeState(staticData)?.notBefore).toBeUndefined();
	});

	it('marks a truncated export (206) on every output form, and logs a warning', async () => {
		const warn = watchWarnings();
		try {
			const deliver = async (output: string, truncated: boolean) => {
				const staticData: IDataObject = {};
				const params = triggerParams({ output });
				await bed.poll(params, 'trigger', staticData);
				await pause(450);
				if (truncated) bed.sim.inject('nql.status', { type: 'truncated' });
				const done = await bed.poll(params, 'trigger', staticData);
				expect(done.result?.[0].length).toBeGreaterThan(0);
				return done.result![0];
			};

			const rows = await deliver('rows', true);
			for (const row of rows) expect(row.json.truncated).toBe(true);
			expect(rows[0].json['device.operating_system.name']).toEqual(expect.any(String));
			expect(warn).toHaveBeenCalledWith(expect.stringMatching(/is truncated/), expect.anything());

			const [file] = await deliver('file', true);
			expect(file.json).toMatchObject({ truncated: true, queryId: '#devices_by_os' });
			expect(file.binary?.data).toBeDefined();

			const [status] = await deliver('status', true);
			expect(status.json).toMatchObject({ status: 'COMPLETED', truncated: true });
			expect(warn).toHaveBeenCalledTimes(3);

			// A complete export: rows are the CSV's, nothing added.
			const complete = await deliver('rows', false);
			for (const row of complete) expect(row.json).not.toHaveProperty('truncated');
			expect(warn).toHaveBeenCalledTimes(3);
		} finally {
			warn.mockRestore();
		}
	});

	it('starts over when the query changes while an export runs', async () => {
		const staticData: IDataObject = {};
		await bed.poll(triggerParams(), 'trigger', staticData);
		const changed = triggerParams({
			parameters: { parameter: [{ name: 'os', value: 'Windows' }] },
		});
		const result = await bed.poll(changed, 'trigger', staticData);

		expect(result.result).toBeNull();
		expect(bed.requests('nql.export').map((r) => r.body)).toEqual([
			{ queryId: '#devices_by_os', parameters: { os: 'macOS' } },
			{ queryId: '#devices_by_os', parameters: { os: 'Windows' } },
		]);
	});

	it('runs one export to completion on "Fetch Test Event" and leaves the stored state alone', async () => {
		const staticData: IDataObject = {};
		await bed.poll(triggerParams(), 'trigger', staticData);
		const before = JSON.stringify(staticData);

		const sample = await bed.poll(triggerParams(), 'manual', staticData);

		expect(sample.result?.[0].length).toBeGreaterThan(0);
		expect(JSON.stringify(staticData)).toBe(before);
		expect(bed.requests('nql.export')).toHaveLength(2);
	});

	it('emits typed rows with Options > Convert Types, text rows without', async () => {
		const typed = { queryId: '#typed_values', parameters: { parameter: [] } };
		const [plain, converted] = await Promise.all([
			bed.poll(triggerParams(typed), 'manual', {}),
			bed.poll(triggerParams({ ...typed, options: { convertTypes: true } }), 'manual', {}),
		]);

		const column = (rows: typeof plain, name: string) =>
			(rows.result?.[0] ?? []).map((row) => row.json[name]);
		expect(column(plain, 'device.hardware.memory')).toEqual(['16', '8', '', '32']);
		expect(column(converted, 'device.hardware.memory')).toEqual([16, 8, null, 32]);
		expect(column(converted, 'device.is_virtual')).toEqual([true, false, true, null]);
		expect(column(converted, 'device.name')).toEqual(['0012', '1013', '2014', '3015']);
	});

	it('rejects a bad query ID before any request', async () => {
		await expect(bed.poll(triggerParams({ queryId: 'devices' }), 'trigger', {})).rejects.toThrow(
			/^Query ID: /,
		);
		expect(bed.sim.log).toHaveLength(0);
	});

	it('names its event in the node panel with NQL in capitals, and warns about a Query ID without #', () => {
		const { properties } = new NexthinkTrigger().description;
		const event = properties.find((property) => property.name === 'event');
		const notice = properties.find((property) => property.name === 'queryIdNotice');

		// Without an action text n8n lists "On " + the name in lower case: "On nql export completed".
		expect(event?.options).toEqual([
			expect.objectContaining({ value: 'exportCompleted', action: 'On NQL export completed' }),
			// The second event has its own file: trigger-new-rows.test.ts.
			expect.objectContaining({ value: 'newOrChangedRows' }),
		]);
		const shown = (queryId: string) =>
			NodeHelpers.displayParameter(
				{ event: 'exportCompleted', queryId },
				notice!,
				null,
				new NexthinkTrigger().description,
			);
		expect([shown('devices_by_os'), shown('#devices_by_os')]).toEqual([true, false]);
	});
});
