/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test: node:module reaches n8n-core's own Logger, to see the warnings the trigger logs */
import { createRequire } from 'node:module';

import { NodeApiError, NodeOperationError, sleep, type IDataObject } from 'n8n-workflow';

import { reloadStaticData, runPoll, type RunPollOptions } from '../harness';
import { coreService, type ServiceClass } from '../harness/runtime';
import { NexthinkTrigger } from '../../nodes/NexthinkTrigger/NexthinkTrigger.node';
import { RECORD_CHARS } from '../../nodes/NexthinkTrigger/rowMemory';
import type { Device } from '../simulator';
import { seededFreeDiskGb } from '../simulator/data/diskSpace';
import { nexthinkTestbed, type NexthinkTestbed } from '../support/nexthink';

/** Devices with less than 10 GB free: the rows a "disk almost full → ticket" workflow watches. */
const THRESHOLD_GB = 10;
const rowsParams = (extra: Record<string, unknown> = {}) => ({
	event: 'newOrChangedRows',
	queryId: '#devices_low_disk',
	parameters: { parameter: [{ name: 'max_free_gb', value: String(THRESHOLD_GB) }] },
	keyColumns: 'device.name',
	...extra,
});
/** Every seeded device (2,500) is under 1,000 GB: more rows than NQL Execute returns. */
const everyDevice = (extra: Record<string, unknown> = {}) =>
	rowsParams({ parameters: { parameter: [{ name: 'max_free_gb', value: '1000' }] }, ...extra });

const FREE = 'device.#free_disk_space_gb';

interface RowsState {
	records?: string;
	present?: number;
	rows?: number;
	via?: string;
	export?: { exportId: string };
}
const rowsState = (staticData: IDataObject) =>
	(staticData['node:Nexthink Trigger'] as IDataObject | undefined)?.newOrChangedRows as
		| RowsState
		| undefined;
const emittedNames = (result: { result: Array<Array<{ json: IDataObject }>> | null }) =>
	(result.result?.[0] ?? []).map((item) => item.json['device.name']);

const { Logger } = createRequire(require.resolve('n8n-core'))('@n8n/backend-common') as {
	Logger: ServiceClass<{ warn: (message: string, meta?: object) => void }>;
};

describe('Nexthink Trigger: New or Changed Rows', () => {
	let bed: NexthinkTestbed;
	/** Devices the query lists at the start, and devices it does not. */
	let below: Device[];
	let above: Device[];

	beforeAll(async () => {
		bed = await nexthinkTestbed({ exportTimings: { submittedMs: 0, inProgressMs: 0 } });
		below = bed.sim.data.devices.filter((d) => seededFreeDiskGb(d) < THRESHOLD_GB);
		above = bed.sim.data.devices.filter((d) => seededFreeDiskGb(d) >= THRESHOLD_GB);
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	it('has a seed to watch: some devices under the threshold, most above', () => {
		expect(below.length).toBeGreaterThan(10);
		expect(below.length).toBeLessThan(200);
	});

	it('records the present rows on the first poll and emits nothing; then emits a new row once', async () => {
		const staticData: IDataObject = {};
		const first = await bed.poll(rowsParams(), 'trigger', staticData);
		expect(first.result).toBeNull();
		const [execute] = bed.requests('nql.execute.v2');
		expect(execute.headers.accept).toBe('text/csv');
		expect(execute.body).toEqual({
			queryId: '#devices_low_disk',
			parameters: { max_free_gb: '10' },
		});
		expect(rowsState(staticData)).toMatchObject({ present: below.length, via: 'execute' });
		expect(rowsState(staticData)?.records).toHaveLength(below.length * RECORD_CHARS);

		// A device crosses the threshold.
		bed.sim.setFreeDiskSpace(above[0].name, 4);
		const crossed = await bed.poll(rowsParams(), 'trigger', staticData);
		expect(crossed.result?.[0].map((item) => item.json)).toEqual([
			{
				'device.name': above[0].name,
				'device.collector.uid': above[0].collectorUid,
				'device.operating_system.platform': above[0].osPlatform,
				[FREE]: '4',
				_change: 'new',
				_via: 'execute',
			},
		]);

		// Once per device, not once per poll.
		const again = await bed.poll(rowsParams(), 'trigger', staticData);
		expect(again.result).toBeNull();
		expect(bed.requests('nql.execute.v2')).toHaveLength(3);
		expect(bed.requests('nql.export')).toHaveLength(0);
	});

	it('emits a known key whose values changed with Emit: New or Changed Rows (the default), not with New Rows Only', async () => {
		const changes: IDataObject = {};
		const newOnly: IDataObject = {};
		await bed.poll(rowsParams(), 'trigger', changes);
		await bed.poll(rowsParams({ emit: 'new' }), 'trigger', newOnly);

		const device = below[0];
		bed.sim.setFreeDiskSpace(device.name, seededFreeDiskGb(device) === 1 ? 2 : 1);
		bed.sim.setFreeDiskSpace(above[0].name, 3);
		const changed = await bed.poll(rowsParams(), 'trigger', changes);
		const onlyNew = await bed.poll(rowsParams({ emit: 'new' }), 'trigger', newOnly);

		const byName = new Map(
			changed.result?.[0].map((item) => [item.json['device.name'], item.json]),
		);
		expect(byName.size).toBe(2);
		expect(byName.get(device.name)).toMatchObject({ _change: 'changed' });
		expect(byName.get(above[0].name)).toMatchObject({ _change: 'new' });
		expect(emittedNames(onlyNew)).toEqual([above[0].name]);

		expect((await bed.poll(rowsParams(), 'trigger', changes)).result).toBeNull();
		expect((await bed.poll(rowsParams({ emit: 'new' }), 'trigger', newOnly)).result).toBeNull();
	});

	it('does not count changes of Options > Columns to Ignore for Changes', async () => {
		const params = rowsParams({ options: { ignoreColumns: FREE } });
		const staticData: IDataObject = {};
		await bed.poll(params, 'trigger', staticData);
		bed.sim.setFreeDiskSpace(below[0].name, seededFreeDiskGb(below[0]) === 1 ? 2 : 1);

		expect((await bed.poll(params, 'trigger', staticData)).result).toBeNull();
	});

	it('a row that leaves and comes back: silent by default, new again with Count Returning Rows as New', async () => {
		const silent: IDataObject = {};
		const returning: IDataObject = {};
		const returningParams = rowsParams({ options: { returningAreNew: true } });
		await bed.poll(rowsParams(), 'trigger', silent);
		await bed.poll(returningParams, 'trigger', returning);

		const device = below[0];
		bed.sim.setFreeDiskSpace(device.name, 50); // leaves the results
		expect((await bed.poll(rowsParams(), 'trigger', silent)).result).toBeNull();
		expect((await bed.poll(returningParams, 'trigger', returning)).result).toBeNull();
		// Remembered while gone (default): still counted in the memory, not among the present.
		expect(rowsState(silent)).toMatchObject({ present: below.length - 1 });
		expect(rowsState(silent)?.records).toHaveLength(below.length * RECORD_CHARS);
		expect(rowsState(returning)?.records).toHaveLength((below.length - 1) * RECORD_CHARS);

		bed.sim.setFreeDiskSpace(device.name, undefined); // back, with the same values
		expect((await bed.poll(rowsParams(), 'trigger', silent)).result).toBeNull();
		const back = await bed.poll(returningParams, 'trigger', returning);
		expect(back.result?.[0].map((item) => item.json)).toEqual([
			expect.objectContaining({ 'device.name': device.name, _change: 'new' }),
		]);

		// Back with other values: a change (Emit: New or Changed Rows), not a new row.
		bed.sim.setFreeDiskSpace(device.name, 50);
		await bed.poll(rowsParams(), 'trigger', silent);
		bed.sim.setFreeDiskSpace(device.name, seededFreeDiskGb(device) === 1 ? 2 : 1);
		const changed = await bed.poll(rowsParams(), 'trigger', silent);
		expect(changed.result?.[0].map((item) => item.json)).toEqual([
			expect.objectContaining({ 'device.name': device.name, _change: 'changed' }),
		]);

		// The option turned on while a key is away: its return is new.
		bed.sim.setFreeDiskSpace(device.name, 50);
		await bed.poll(rowsParams(), 'trigger', silent);
		bed.sim.setFreeDiskSpace(device.name, undefined);
		const turnedOn = await bed.poll(returningParams, 'trigger', silent);
		expect(turnedOn.result?.[0].map((item) => item.json)).toEqual([
			expect.objectContaining({ 'device.name': device.name, _change: 'new' }),
		]);
	});

	it('emits the present rows, each as new, on the first poll with Emit Present Rows on First Poll', async () => {
		const staticData: IDataObject = {};
		const first = await bed.poll(
			rowsParams({ options: { emitOnFirstPoll: true } }),
			'trigger',
			staticData,
		);

		expect(emittedNames(first)).toEqual(below.map((d) => d.name));
		expect(new Set(first.result?.[0].map((item) => item.json._change))).toEqual(new Set(['new']));
		expect(first.savedStaticData).toBeDefined(); // an emitting poll: n8n saves what it recorded
		const next = await bed.poll(
			rowsParams({ options: { emitOnFirstPoll: true } }),
			'trigger',
			staticData,
		);
		expect(next.result).toBeNull();
	});

	it('starts over, emitting nothing, when Query Parameters or Key Columns change', async () => {
		const staticData: IDataObject = {};
		await bed.poll(rowsParams(), 'trigger', staticData);
		bed.sim.setFreeDiskSpace(above[0].name, 4);

		const otherKeys = rowsParams({ keyColumns: 'device.name, device.collector.uid' });
		expect((await bed.poll(otherKeys, 'trigger', staticData)).result).toBeNull();
		bed.sim.setFreeDiskSpace(above[1].name, 4);
		expect(emittedNames(await bed.poll(otherKeys, 'trigger', staticData))).toEqual([above[1].name]);

		const wider = rowsParams({ parameters: { parameter: [{ name: 'max_free_gb', value: '20' }] } });
		expect((await bed.poll(wider, 'trigger', staticData)).result).toBeNull();
	});

	it('names a key column the rows lack, with the columns they have, and remembers nothing', async () => {
		const staticData: IDataObject = {};
		const error = (await bed
			.poll(rowsParams({ keyColumns: 'name' }), 'trigger', staticData)
			.catch((e: unknown) => e)) as NodeOperationError;

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`Key Columns: the query's rows have no column "name"`);
		expect(error.description).toContain(
			'have the columns device.name, device.collector.uid, device.operating_system.platform',
		);
		expect(error.description).toContain('Write Key Columns with those names exactly');
		expect(rowsState(staticData)?.records).toBeUndefined();

		await expect(bed.poll(rowsParams({ keyColumns: ' , ' }), 'trigger', {})).rejects.toThrow(
			'Key Columns: nothing is given',
		);
	});

	describe('what it remembers is bounded: Options > Max Remembered Keys', () => {
		it('a result with more keys fails, emitting nothing and recording nothing', async () => {
			const staticData: IDataObject = {};
			const params = rowsParams({ options: { maxKeys: below.length - 1 } });
			const error = (await bed
				.poll(params, 'trigger', staticData)
				.catch((e: unknown) => e)) as NodeOperationError;

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(
				`The query returned ${below.length} keys, more than the ${below.length - 1} the trigger remembers (Options > Max Remembered Keys)`,
			);
			expect(error.description).toContain('Nothing was emitted');
			expect(error.description).toContain(`Raise Options > Max Remembered Keys to ${below.length}`);
			expect(rowsState(staticData)?.records).toBeUndefined();

			await expect(
				bed.poll(rowsParams({ options: { maxKeys: 100_001 } }), 'trigger', {}),
			).rejects.toThrow(
				'Options > Max Remembered Keys: 100001 is not a whole number from 1 to 100,000',
			);
		});

		it('past it, the keys gone longest are forgotten, with a warning, and count as new when they return', async () => {
			const warn = jest.spyOn(coreService(Logger), 'warn');
			try {
				const maxKeys = below.length + 1;
				const params = rowsParams({ options: { maxKeys } });
				const staticData: IDataObject = {};
				await bed.poll(params, 'trigger', staticData);

				bed.sim.setFreeDiskSpace(below[0].name, 50); // gone first
				await bed.poll(params, 'trigger', staticData);
				bed.sim.setFreeDiskSpace(below[1].name, 50); // gone second
				await bed.poll(params, 'trigger', staticData);
				expect(warn).not.toHaveBeenCalled();

				// Two devices cross the threshold: the memory has room for one of the gone keys.
				bed.sim.setFreeDiskSpace(above[0].name, 4);
				bed.sim.setFreeDiskSpace(above[1].name, 4);
				const crossed = await bed.poll(params, 'trigger', staticData);
				expect(emittedNames(crossed)).toHaveLength(2);
				expect(rowsState(staticData)?.records).toHaveLength(maxKeys * RECORD_CHARS);
				expect(warn).toHaveBeenCalledWith(
					expect.stringContaining('1 keys gone from the results were forgotten'),
					expect.anything(),
				);

				// The one gone longest was forgotten: it is new again; the other is remembered.
				bed.sim.setFreeDiskSpace(below[0].name, undefined);
				bed.sim.setFreeDiskSpace(below[1].name, undefined);
				bed.sim.setFreeDiskSpace(above[0].name, undefined);
				bed.sim.setFreeDiskSpace(above[1].name, undefined);
				const back = await bed.poll(params, 'trigger', staticData);
				expect(back.result?.[0].map((item) => item.json)).toEqual([
					expect.objectContaining({ 'device.name': below[0].name, _change: 'new' }),
				]);
			} finally {
				warn.mockRestore();
			}
		});
	});

	describe('more than 1,000 rows: the export pipeline', () => {
		it('exports when NQL Execute returns its cap, then exports straight away while the result stays that large', async () => {
			const staticData: IDataObject = {};
			const first = await bed.poll(everyDevice(), 'trigger', staticData);
			expect(first.result).toBeNull();
			expect(bed.requests('nql.execute.v2')).toHaveLength(1);
			expect(bed.requests('nql.export').map((r) => r.body)).toEqual([
				{ queryId: '#devices_low_disk', parameters: { max_free_gb: '1000' } },
			]);
			expect(rowsState(staticData)).toMatchObject({
				present: bed.sim.data.devices.length,
				rows: bed.sim.data.devices.length,
				via: 'export',
			});

			const device = bed.sim.data.devices[1500]; // beyond the first 1,000 rows
			bed.sim.setFreeDiskSpace(device.name, 999);
			const changed = await bed.poll(everyDevice(), 'trigger', staticData);
			expect(changed.result?.[0].map((item) => item.json)).toEqual([
				expect.objectContaining({
					'device.name': device.name,
					[FREE]: '999',
					_change: 'changed',
					_via: 'export',
				}),
			]);
			expect(bed.requests('nql.execute.v2')).toHaveLength(1); // no second execute
			expect(bed.requests('nql.export')).toHaveLength(2);
			for (const download of bed.requests('nql.download'))
				expect(download.headers.authorization).toBeUndefined();

			// 1,600 devices get more space: an export finds 900 rows (the keys that left are no
			// news), and the next poll asks NQL Execute again.
			for (const freed of bed.sim.data.devices.slice(0, 1600))
				bed.sim.setFreeDiskSpace(freed.name, 2000);
			expect((await bed.poll(everyDevice(), 'trigger', staticData)).result).toBeNull();
			expect(rowsState(staticData)).toMatchObject({ rows: 900, present: 900, via: 'export' });
			expect(bed.requests('nql.export')).toHaveLength(3);
			expect((await bed.poll(everyDevice(), 'trigger', staticData)).result).toBeNull();
			expect(rowsState(staticData)).toMatchObject({ rows: 900, via: 'execute' });
			expect(bed.requests('nql.execute.v2')).toHaveLength(2);
			expect(bed.requests('nql.export')).toHaveLength(3);
		});

		it('follows an export that outlasts Options > Export Wait across polls, then emits', async () => {
			const slow = await nexthinkTestbed({ exportTimings: { submittedMs: 300, inProgressMs: 0 } });
			try {
				const params = everyDevice({ options: { exportWaitSeconds: 0 } });
				const staticData: IDataObject = {};
				expect((await slow.poll(params, 'trigger', staticData)).result).toBeNull();
				const followed = rowsState(staticData)?.export?.exportId;
				expect(followed).toEqual(expect.any(String));
				expect(rowsState(staticData)?.records).toBeUndefined();

				await sleep(350);
				expect((await slow.poll(params, 'trigger', staticData)).result).toBeNull(); // recorded
				expect(rowsState(staticData)?.export).toBeUndefined();
				expect(slow.requests('nql.export')).toHaveLength(1);

				slow.sim.setFreeDiskSpace(slow.sim.data.devices[2000].name, 999);
				expect((await slow.poll(params, 'trigger', staticData)).result).toBeNull(); // exporting
				await sleep(350);
				const done = await slow.poll(params, 'trigger', staticData);
				expect(emittedNames(done)).toEqual([slow.sim.data.devices[2000].name]);
				expect(slow.requests('nql.export')).toHaveLength(2);
				expect(slow.requests('nql.execute.v2')).toHaveLength(1);
			} finally {
				await slow.close();
			}
		});

		it('an export that ends in ERROR surfaces with its description; nothing is remembered from it', async () => {
			const staticData: IDataObject = {};
			bed.sim.inject('nql.export', { type: 'exportError', description: 'Query execution failed' });
			const error = (await bed
				.poll(everyDevice(), 'trigger', staticData)
				.catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('The NQL export failed in Nexthink: Query execution failed');
			expect(rowsState(staticData)?.records).toBeUndefined();
			expect((await bed.poll(everyDevice(), 'trigger', staticData)).result).toBeNull();
			expect(rowsState(staticData)?.present).toBe(bed.sim.data.devices.length);
		});
	});

	it('remembers across a restart of n8n: what n8n saved leads to no double emission', async () => {
		const staticData: IDataObject = {};
		const seeded = await bed.poll(rowsParams(), 'trigger', staticData);
		// n8n saves static data when a poll emits: the seeding poll lives in memory until then.
		expect(seeded.savedStaticData).toBeUndefined();

		bed.sim.setFreeDiskSpace(above[0].name, 4);
		const emitted = await bed.poll(rowsParams(), 'trigger', staticData);
		expect(emittedNames(emitted)).toEqual([above[0].name]);
		expect(emitted.savedStaticData).toBeDefined();

		// n8n restarts: a new node instance, the static data back from the database.
		const restored = reloadStaticData(emitted.savedStaticData!);
		expect(rowsState(restored)).toEqual(rowsState(staticData));
		expect((await bed.poll(rowsParams(), 'trigger', restored)).result).toBeNull();
		bed.sim.setFreeDiskSpace(above[1].name, 4);
		expect(emittedNames(await bed.poll(rowsParams(), 'trigger', restored))).toEqual([
			above[1].name,
		]);
	});

	it('a failed poll emits nothing and leaves what it remembers as it was; the next poll emits what it missed', async () => {
		const staticData: IDataObject = {};
		await bed.poll(rowsParams(), 'trigger', staticData);
		bed.sim.setFreeDiskSpace(above[0].name, 4);
		const before = JSON.stringify(staticData);
		bed.sim.inject('nql.execute.v2', { type: 'status', status: 403 });

		const error = (await bed
			.poll(rowsParams(), 'trigger', staticData)
			.catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('403');
		expect(JSON.stringify(staticData)).toBe(before);

		const next = await bed.poll(rowsParams(), 'trigger', staticData);
		expect(emittedNames(next)).toEqual([above[0].name]);
	});

	it('overlapping polls of one node emit a new row exactly once', async () => {
		const staticData: IDataObject = {};
		await bed.poll(rowsParams(), 'trigger', staticData);
		bed.sim.setFreeDiskSpace(above[0].name, 4);
		const executes = bed.requests('nql.execute.v2').length;
		// The first poll is still waiting for Nexthink when n8n starts the next one.
		bed.sim.inject('nql.execute.v2', { type: 'slow', delayMs: 300 });
		// One node (its ID stays the same from poll to poll in n8n), one active workflow's state.
		const pollOf = () => {
			const options: RunPollOptions & { id: string } = {
				id: '4f1c2d3e-rows-trigger-node',
				nodeType: new NexthinkTrigger(),
				parameters: rowsParams(),
				mode: 'trigger',
				staticData,
				credentials: { store: bed.store, type: 'nexthinkApi', id: bed.credentialId },
			};
			return runPoll(options);
		};

		const results = await Promise.all([pollOf(), pollOf()]);

		expect(results.filter((poll) => poll.result !== null).map(emittedNames)).toEqual([
			[above[0].name],
		]);
		expect(bed.requests('nql.execute.v2')).toHaveLength(executes + 1);
	});

	it('"Fetch Test Event" emits the present rows as new and leaves the stored state alone', async () => {
		const staticData: IDataObject = {};
		await bed.poll(rowsParams(), 'trigger', staticData);
		bed.sim.setFreeDiskSpace(above[0].name, 4);
		const before = JSON.stringify(staticData);

		const sample = await bed.poll(rowsParams(), 'manual', staticData);
		expect(sample.result?.[0]).toHaveLength(below.length + 1);
		expect(sample.result?.[0][0].json).toMatchObject({ _change: 'new', _via: 'execute' });
		expect(JSON.stringify(staticData)).toBe(before);

		// The active trigger still sees the device as new.
		expect(emittedNames(await bed.poll(rowsParams(), 'trigger', staticData))).toEqual([
			above[0].name,
		]);

		// More than 1,000 rows: the sample comes from an export.
		const large = await bed.poll(everyDevice(), 'manual', {});
		expect(large.result?.[0]).toHaveLength(bed.sim.data.devices.length);
		expect(large.result?.[0][0].json._via).toBe('export');
	});

	it('gives typed values with Options > Convert Types, CSV text without', async () => {
		const [plain, typed] = await Promise.all([
			bed.poll(rowsParams(), 'manual', {}),
			bed.poll(rowsParams({ options: { convertTypes: true } }), 'manual', {}),
		]);
		expect(plain.result?.[0][0].json[FREE]).toEqual(String(seededFreeDiskGb(below[0])));
		expect(typed.result?.[0][0].json[FREE]).toBe(seededFreeDiskGb(below[0]));
		expect(typed.result?.[0][0].json['device.name']).toBe(below[0].name);
	});

	it('lists the event in the node panel as "On new or changed NQL rows", with its notice', () => {
		const { properties } = new NexthinkTrigger().description;
		const event = properties.find((property) => property.name === 'event');
		expect(event?.options).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					name: 'New or Changed Rows',
					value: 'newOrChangedRows',
					action: 'On new or changed NQL rows',
				}),
			]),
		);
		const notice = properties.find((property) => property.name === 'rowsNotice');
		expect(notice?.displayName).toContain('20 bytes per key');
		expect(notice?.displayName).toContain('10,000');
		// The export event's notice leads here for new rows only.
		const exportNotice = properties.find((property) => property.name === 'notice');
		expect(exportNotice?.displayName).toContain('pick the event New or Changed Rows');
		expect(exportNotice?.displayName).not.toContain('Remove Duplicates');
	});
});
