import { NodeApiError, sleep, type IDataObject } from 'n8n-workflow';

import { reloadStaticData } from './harness';
import { nexthinkTestbed, type NexthinkTestbed } from './support/nexthink';

const triggerParams = (extra: Record<string, unknown> = {}) => ({
	event: 'exportCompleted',
	queryId: '#devices_by_os',
	parameters: { parameter: [{ name: 'os', value: 'macOS' }] },
	...extra,
});

const nodeState = (staticData: IDataObject) =>
	staticData['node:Nexthink Trigger'] as IDataObject | undefined;
const pause = sleep;

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

	it('rejects a bad query ID before any request', async () => {
		await expect(bed.poll(triggerParams({ queryId: 'devices' }), 'trigger', {})).rejects.toThrow(
			/^Query ID: /,
		);
		expect(bed.sim.log).toHaveLength(0);
	});
});
