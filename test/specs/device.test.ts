import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeParameters,
} from 'n8n-workflow';

import * as scheduleDeletion from '../../nodes/Nexthink/actions/device/scheduleDeletion.operation';
import { Nexthink } from '../../nodes/Nexthink/Nexthink.node';
import {
	allPermissionsBut,
	failureOf,
	nexthinkTestbed,
	type NexthinkTestbed,
} from '../support/nexthink';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const deletion = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'device',
	operation: 'scheduleDeletion',
	confirmDeletion: true,
	deviceUid: "={{ $json['device.uid'] }}",
	deviceName: "={{ $json['device.name'] }}",
	...extra,
});

interface DeletionBody {
	devices: Array<{ uid: string; name: string }>;
}

interface RunReport {
	accepted: Array<{ inputItems: number[]; targets: IDataObject[]; results: IDataObject[] }>;
	failed: Array<{ inputItems: number[]; targets: IDataObject[]; mayHaveRun: boolean }>;
	notSent: Array<{ inputItems: number[]; targets: IDataObject[] }>;
}

describe('Device', () => {
	let bed: NexthinkTestbed;

	beforeAll(async () => {
		bed = await nexthinkTestbed();
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	/** NQL rows of the first `count` seeded devices, as NQL Execute gives them. */
	const deviceRows = (count: number, from = 0): INodeExecutionData[] =>
		bed.sim.data.devices.slice(from, from + count).map((device) => ({
			json: { 'device.uid': device.uid, 'device.name': device.name },
		}));
	const calls = () => bed.requests('dataManagement.deletions');
	const bodies = (status?: number) =>
		calls()
			.filter((call) => status === undefined || call.status === status)
			.map((call) => call.body as DeletionBody);

	describe('Schedule Deletion: nothing leaves without the confirmation', () => {
		it('refuses to run with Confirm Deletion off, naming the field and the fix, before any request', async () => {
			const error = await failureOf(
				bed.run(deletion({ confirmDeletion: false }), deviceRows(3), {
					onError: 'continueRegularOutput',
				}),
			);

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('Confirm Deletion: it is off, so no device was sent to Nexthink');
			expect(error.description).toMatch(/cannot be undone\. Turn on Confirm Deletion/);
			// Not even a token request.
			expect(bed.sim.log).toHaveLength(0);
		});

		it('a saved node without the field is off too', async () => {
			const withoutIt = deletion();
			delete withoutIt.confirmDeletion;
			const error = await failureOf(bed.run(withoutIt, deviceRows(1)));

			expect(error.message).toMatch(/^Confirm Deletion: it is off/);
			expect(bed.sim.log).toHaveLength(0);
		});

		it('the field is a plain switch, off by default, that no expression can turn on; the operation says it is destructive', () => {
			const field = new Nexthink().description.properties.find(
				(property) => property.name === 'confirmDeletion',
			);

			expect(field).toMatchObject({
				type: 'boolean',
				default: false,
				required: true,
				noDataExpression: true,
			});
			expect(field?.description).toContain('nx_dataplatform_device_deletion_api');
			expect(scheduleDeletion.destructive).toBe(true);
		});
	});

	describe('Schedule Deletion: devices go out in requests of at most 100', () => {
		it('sends three items in one request by default, each device with its UID and name and an x-request-id', async () => {
			const [out] = await bed.run(deletion(), deviceRows(3));

			const [call] = calls();
			expect(calls()).toHaveLength(1);
			const devices = bed.sim.data.devices.slice(0, 3);
			expect(call.body).toEqual({
				devices: devices.map(({ uid, name }) => ({ uid, name })),
			});
			const requestId = call.headers['x-request-id'];
			expect(requestId).toMatch(UUID);
			expect(out).toEqual(
				devices.map((device, item) => ({
					json: {
						uid: device.uid,
						name: device.name,
						status: 'SCHEDULED',
						scheduled: true,
						message: expect.stringMatching(/^Queued for deletion/),
						requestId,
						traceId: requestId,
					},
					pairedItem: { item },
				})),
			);
			expect(bed.sim.data.deletions).toEqual([
				expect.objectContaining({ requestId, devices: expect.any(Array) }),
			]);
			expect(bed.hints).toEqual([]);
		});

		it('batches 250 devices into 3 requests (100, 100, 50), every device once, each item paired with its input', async () => {
			const [out] = await bed.run(deletion(), deviceRows(250));

			const sizes = bodies().map((body) => body.devices.length);
			expect(sizes.sort((a, b) => b - a)).toEqual([100, 100, 50]);
			const sent = bodies().flatMap((body) => body.devices.map((device) => device.uid));
			expect(new Set(sent).size).toBe(250);
			expect(new Set(calls().map((call) => call.headers['x-request-id'])).size).toBe(3);
			expect(out).toHaveLength(250);
			out.forEach((item, index) => {
				expect(item.pairedItem).toEqual({ item: index });
				expect(item.json.uid).toBe(bed.sim.data.devices[index].uid);
				expect(item.json.status).toBe('SCHEDULED');
			});
		});

		it('Devices per Request and Combine Items off split the requests further', async () => {
			await bed.run(deletion({ options: { batchSize: 2 } }), deviceRows(5));
			expect(bodies().map((body) => body.devices.length)).toEqual([2, 2, 1]);

			bed.reset();
			await bed.run(deletion({ options: { combineItems: false } }), deviceRows(3));
			expect(bodies().map((body) => body.devices.length)).toEqual([1, 1, 1]);
		});

		it('sends a device two items name once, and pairs its outcome with both items', async () => {
			const rows = deviceRows(2);
			const [out] = await bed.run(deletion(), [rows[0], rows[1], rows[0]]);

			expect(bodies()).toEqual([
				{ devices: bed.sim.data.devices.slice(0, 2).map(({ uid, name }) => ({ uid, name })) },
			]);
			expect(out.map((item) => item.pairedItem)).toEqual([[{ item: 0 }, { item: 2 }], { item: 1 }]);
		});
	});

	describe('Schedule Deletion: Nexthink answers per device', () => {
		it('reports a device Nexthink could not schedule with its status, and says so above the output', async () => {
			const unknown = '0b7e1e52-3c8f-4d0e-9a51-6f2d7c1a9e00';
			const [out] = await bed.run(deletion(), [
				...deviceRows(1),
				{ json: { 'device.uid': unknown, 'device.name': 'GHOST-01' } },
			]);

			expect(out.map((item) => [item.json.uid, item.json.status, item.json.scheduled])).toEqual([
				[bed.sim.data.devices[0].uid, 'SCHEDULED', true],
				[unknown, 'FAILED', false],
			]);
			expect(out[1].json.message).toMatch(/try it again later/);
			expect(bed.hints).toEqual([
				expect.objectContaining({
					message: expect.stringMatching(
						/^Nexthink did not schedule 1 of 2 devices for deletion \(1 FAILED\)/,
					),
				}),
			]);
		});

		it('refuses a device UID that is no UUID, an empty name and a list, naming the item, before any request', async () => {
			const [good] = deviceRows(1);
			const cases: Array<[IDataObject, RegExp]> = [
				[
					{ 'device.uid': 'LAPTOP-00001', 'device.name': 'LAPTOP-00001' },
					/^Device UID: "LAPTOP-00001" is not a Device UID$/,
				],
				[
					{ 'device.uid': good.json['device.uid'], 'device.name': ' ' },
					/^Device Name: it is empty$/,
				],
				[
					{ 'device.uid': [good.json['device.uid']], 'device.name': 'x' },
					/^Device UID: .* is not a Device UID$/,
				],
			];
			for (const [json, message] of cases) {
				const error = await failureOf(bed.run(deletion(), [good, { json }]));
				expect(error).toBeInstanceOf(NodeOperationError);
				expect(error.message).toMatch(message);
				expect(error.context.itemIndex).toBe(1);
			}
			expect(calls()).toHaveLength(0);
		});
	});

	describe('Schedule Deletion: what Nexthink refuses', () => {
		it('without the Data management permission (403): the permission to tick and the JWT permission it grants', async () => {
			bed.sim.setPermissions(allPermissionsBut('dataManagement'));
			const error = await failureOf(bed.run(deletion(), deviceRows(2)));

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toMatch(
				/^Permission missing for Device Schedule Deletion \(403\): .*\[FEATURE_NOT_ENABLED\]$/,
			);
			expect(error.description).toMatch(
				/^The API credential needs the Data management permission: .*tick "Data management".*nx_dataplatform_device_deletion_api/,
			);
			expect(error.description).toMatch(
				/FEATURE_NOT_ENABLED, the Data management API is not enabled for your tenant/,
			);
			expect(error.description).toMatch(/Nexthink accepted no request of this run\./);
			expect(calls().map((call) => call.status)).toEqual([403]);
		});

		it("a 400 keeps Nexthink's code and points to the option that fixes it", async () => {
			bed.sim.inject('dataManagement.deletions', {
				type: 'status',
				status: 400,
				body: { code: 'BATCH_SIZE_EXCEEDED', message: 'At most 50 devices per request.' },
			});
			const error = await failureOf(bed.run(deletion(), deviceRows(60)));

			expect(error.httpCode).toBe('400');
			expect(error.message).toBe(
				'Nexthink rejected Device Schedule Deletion (400): At most 50 devices per request. [BATCH_SIZE_EXCEEDED]',
			);
			expect(error.description).toMatch(
				/^Your tenant takes fewer devices per request than the node sent: lower Options > Devices per Request\./,
			);
			expect(error.description).toContain(`x-request-id is ${calls()[0].headers['x-request-id']}`);
			expect(error.description).toMatch(
				/Refused by Nexthink, nothing ran: 1 request \(60 devices, items 0–59\)/,
			);
		});

		it('waits out a 429 and sends the request again, with the same x-request-id', async () => {
			bed.sim.inject('dataManagement.deletions', { type: 'rateLimit', retryAfter: 0 });
			const [out] = await bed.run(deletion(), deviceRows(2));

			expect(calls().map((call) => call.status)).toEqual([429, 202]);
			const [first, second] = calls().map((call) => call.headers['x-request-id']);
			expect(second).toBe(first);
			expect(out.map((item) => item.json.requestId)).toEqual([first, first]);
		});
	});

	describe('Schedule Deletion: a 5xx half-way never hides what Nexthink already accepted', () => {
		// 250 devices, one request at a time: the second of three requests gets the fault.
		const fleet = (extra: INodeParameters = {}) =>
			deletion({ options: { concurrency: 1 }, ...extra });
		const armSecond = (status: number) => {
			bed.sim.inject('dataManagement.deletions', { type: 'slow', delayMs: 0 });
			bed.sim.inject('dataManagement.deletions', { type: 'status', status });
		};

		it('without Continue On Fail: never repeated, nothing sent after it, and the error says what was accepted', async () => {
			armSecond(500);
			const error = await failureOf(bed.run(fleet(), deviceRows(250)));

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('500');
			// Request 1 accepted, request 2 failed once (not repeated), request 3 never sent.
			expect(calls().map((call) => call.status)).toEqual([202, 500]);
			const [accepted, failed] = calls().map((call) => call.headers['x-request-id']);
			expect(error.message).toMatch(/^Nexthink failed to process Device Schedule Deletion \(500\)/);
			expect(error.description).toMatch(/not retried automatically/);
			expect(error.description).toContain(`x-request-id is ${failed}`);
			expect(error.description).toContain(
				`Nexthink accepted 1 request (100 devices, items 0–99): request ${accepted} (100 of 100 devices scheduled).`,
			);
			expect(error.description).toMatch(
				/Failed, and may still have run in Nexthink: 1 request \(100 devices, items 100–199\)/,
			);
			expect(error.description).toMatch(/Not sent: 1 request \(50 devices, items 200–249\)/);
			const report = error.context.nexthinkRun as unknown as RunReport;
			expect(report.accepted).toHaveLength(1);
			expect(report.accepted[0].results).toHaveLength(100);
			expect(report.failed).toEqual([
				expect.objectContaining({ inputItems: range(100, 200), mayHaveRun: true }),
			]);
			expect(report.failed[0].targets).toEqual(bodies(500)[0].devices);
			expect(report.notSent[0].inputItems).toEqual(range(200, 250));
		});

		it('with Continue On Fail: every request runs, and the failed one is one error item of exactly its items and devices', async () => {
			armSecond(503);
			const [out] = await bed.run(fleet(), deviceRows(250), {
				onError: 'continueRegularOutput',
			});

			expect(calls().map((call) => call.status)).toEqual([202, 503, 202]);
			const errors = out.filter((item) => item.json.error !== undefined);
			expect(errors).toHaveLength(1);
			expect(errors[0].pairedItem).toEqual(range(100, 200).map((item) => ({ item })));
			const details = errors[0].json.details as IDataObject;
			expect(details.targets).toEqual(bodies(503)[0].devices);
			expect(details.mayHaveRun).toBe(true);
			expect(details.requestId).toBe(calls()[1].headers['x-request-id']);
			const devices = out.filter((item) => item.json.error === undefined);
			expect(devices).toHaveLength(150);
			expect(devices.map((item) => (item.pairedItem as { item: number }).item)).toEqual([
				...range(0, 100),
				...range(200, 250),
			]);
		});
	});
});

function range(from: number, to: number): number[] {
	return Array.from({ length: to - from }, (_, i) => from + i);
}
