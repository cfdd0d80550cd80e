import { NodeApiError, NodeOperationError, type INodeExecutionData } from 'n8n-workflow';

import { nexthinkTestbed, type NexthinkTestbed } from '../support/nexthink';

interface SentEnrichment {
	identification: Array<{ name: string; value: string }>;
	fields: Array<{ name: string; value: string | number }>;
}
interface SentBody {
	enrichments: SentEnrichment[];
	domain: string;
}

/** One enrichment per item: a device by name, a custom field and a value from the item. */
const perItemParams = (extra: Record<string, unknown> = {}) => ({
	resource: 'enrichment',
	operation: 'enrichFields',
	domain: 'n8n_test',
	identificationType: 'device/device/name',
	identificationValue: '={{ $json.device }}',
	fields: {
		field: [
			{ deviceField: '__custom', deviceCustomField: '#cost_center', value: '={{ $json.cc }}' },
		],
	},
	...extra,
});

const bulkParams = (extra: Record<string, unknown> = {}) => ({
	resource: 'enrichment',
	operation: 'enrichFields',
	inputMode: 'bulk',
	domain: 'n8n_bulk',
	enrichments: '={{ $json.enrichments }}',
	...extra,
});

/** `count` bulk entries, each a different device name with one custom field. */
const bulkEntries = (count: number, prefix = 'DEV') =>
	Array.from({ length: count }, (_, n) => ({
		identification: [{ name: 'device/device/name', value: `${prefix}-${n}` }],
		fields: [{ name: 'device/device/#cost_center', value: `CC-${n % 7}` }],
	}));

describe('Enrichment', () => {
	let bed: NexthinkTestbed;
	let devices: string[];

	beforeAll(async () => {
		bed = await nexthinkTestbed();
		devices = bed.sim.data.devices.slice(0, 20).map((device) => device.name);
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	const deviceItems = (count: number): INodeExecutionData[] =>
		devices.slice(0, count).map((device, index) => ({ json: { device, cc: `CC-${index}` } }));
	const bodies = () => bed.requests('enrichment.fields').map((call) => call.body as SentBody);

	describe('Enrich Fields, one enrichment per item', () => {
		it('sends all items in one request and returns one result per item', async () => {
			const [out] = await bed.run(
				perItemParams({
					fields: {
						field: [
							{
								deviceField: '__custom',
								deviceCustomField: 'cost_center',
								value: '={{ $json.cc }}',
							},
							{ deviceField: 'device/device/virtualization/desktop_broker', value: 'citrix_daas' },
							{ deviceField: 'device/device/virtualization/type', value: '3' },
							{
								deviceField: 'device/device/virtualization/last_update',
								value: '2025-01-15T12:00:00.000Z',
							},
							{ deviceField: 'device/device/configuration_tag', value: '' },
						],
					},
				}),
				deviceItems(3),
			);

			expect(bodies()).toHaveLength(1);
			expect(bodies()[0].domain).toBe('n8n_test');
			expect(bodies()[0].enrichments[1]).toEqual({
				identification: [{ name: 'device/device/name', value: devices[1] }],
				fields: [
					{ name: 'device/device/#cost_center', value: 'CC-1' },
					{ name: 'device/device/virtualization/desktop_broker', value: 2 },
					{ name: 'device/device/virtualization/type', value: 3 },
					{ name: 'device/device/virtualization/last_update', value: '2025-01-15T12:00:00.000Z' },
					{ name: 'device/device/configuration_tag', value: '' },
				],
			});
			expect(bed.sim.data.enrichments).toHaveLength(3);
			expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(out[2].json).toMatchObject({
				status: 'accepted',
				domain: 'n8n_test',
				identification: { name: 'device/device/name', value: devices[2] },
			});
		});

		it('names user, organization, binary and package fields as Nexthink expects', async () => {
			const user = bed.sim.data.users[0];
			const run = async (params: Record<string, unknown>) =>
				await bed.run(perItemParams(params), [{ json: {} }]);
			await run({
				identificationType: 'user/user/upn',
				identificationValue: user.upn,
				fields: {
					field: [
						{ userField: 'user/user/ad/department', value: 'Finance' },
						{ userField: '__customOrganization', userCustomField: '#region_code', value: 'EMEA' },
						{ userField: '__custom', userCustomField: '#badge', value: 42 },
					],
				},
			});
			await run({
				identificationType: 'binary/binary/uid',
				identificationValue: 'b-123',
				fields: { field: [{ customField: '#approved', value: 'yes' }] },
			});
			await run({
				identificationType: 'package/package/uid',
				identificationValue: 'p-9',
				fields: { field: [{ customField: 'package/package/#owner', value: 'IT' }] },
			});

			expect(bodies().map((body) => body.enrichments[0])).toEqual([
				{
					identification: [{ name: 'user/user/upn', value: user.upn }],
					fields: [
						{ name: 'user/user/ad/department', value: 'Finance' },
						{ name: 'user/user/organization/#region_code', value: 'EMEA' },
						{ name: 'user/user/#badge', value: '42' },
					],
				},
				{
					identification: [{ name: 'binary/binary/uid', value: 'b-123' }],
					fields: [{ name: 'binary/binary/#approved', value: 'yes' }],
				},
				{
					identification: [{ name: 'package/package/uid', value: 'p-9' }],
					fields: [{ name: 'package/package/#owner', value: 'IT' }],
				},
			]);
			expect(bed.requests('enrichment.fields').map((call) => call.status)).toEqual([200, 200, 200]);
		});

		it('routes the items Nexthink rejected (207) to the error output and keeps the others', async () => {
			bed.sim.inject('enrichment.fields', { type: 'partial', pattern: 'everySecond' });
			const { main } = await bed.runInWorkflow(
				perItemParams(),
				deviceItems(4),
				'continueErrorOutput',
			);

			expect(bed.requests('enrichment.fields').map((call) => call.status)).toEqual([207]);
			const [success, errors] = main;
			expect(success.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 3 }]);
			expect(success.map((item) => item.json.status)).toEqual(['accepted', 'accepted']);
			expect(errors.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
			expect(errors[0].json.device).toBe(devices[0]); // n8n merges the input item in
			expect(errors[0].json.error).toBe(
				`Nexthink rejected the enrichment of device/device/name "${devices[0]}": Wrong type for field 'device/device/#cost_center' [ENRICH_011]`,
			);
			expect(errors[0].json.details).toMatchObject({
				httpCode: '207',
				nexthinkCode: 'ENRICH_011',
				identification: { name: 'device/device/name', value: devices[0] },
				nexthinkErrors: [
					{ code: 'ENRICH_011', message: "Wrong type for field 'device/device/#cost_center'" },
				],
			});
			expect(errors[1].json.details).toMatchObject({
				identification: { value: devices[2] },
			});
			expect(bed.sim.data.enrichments.map((e) => e.identification.value)).toEqual([
				devices[1],
				devices[3],
			]);
		});

		it('stops on a rejected entry without Continue On Fail, saying the others were accepted', async () => {
			bed.sim.inject('enrichment.fields', { type: 'partial', pattern: 'first' });
			const error = (await bed
				.run(perItemParams(), deviceItems(3))
				.catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toMatch(/^Nexthink rejected the enrichment of device\/device\/name/);
			expect(error.context.itemIndex).toBe(0);
			expect(error.description).toMatch(/1 of 3 items were not enriched/);
			expect(bed.sim.data.enrichments).toHaveLength(2);
		});

		it('gives one summary per request with Output > One Item per Request, paired with its items, rejected entries listed', async () => {
			bed.sim.inject('enrichment.fields', { type: 'partial', pattern: 'everySecond' });
			const [out] = await bed.run(
				perItemParams({ options: { output: 'request', batchSize: 3 } }),
				deviceItems(5),
			);

			expect(bed.requests('enrichment.fields').map((call) => call.status)).toEqual([207, 200]);
			expect(out).toHaveLength(2);
			expect(out.map((item) => item.pairedItem)).toEqual([
				[{ item: 0 }, { item: 1 }, { item: 2 }],
				[{ item: 3 }, { item: 4 }],
			]);
			const rejectedEntry = (itemIndex: number) => ({
				itemIndex,
				index: 0,
				identification: { name: 'device/device/name', value: devices[itemIndex] },
				errors: [
					{ code: 'ENRICH_011', message: "Wrong type for field 'device/device/#cost_center'" },
				],
			});
			expect(out[0].json).toEqual({
				status: 'partial_success',
				domain: 'n8n_test',
				sent: 3,
				accepted: 1,
				rejected: 2,
				failed: [rejectedEntry(0), rejectedEntry(2)],
			});
			expect(out[1].json).toEqual({
				status: 'success',
				domain: 'n8n_test',
				sent: 2,
				accepted: 2,
				rejected: 0,
				failed: [],
			});
			// The same enrichments reached Nexthink as with one item per input item.
			expect(bed.sim.data.enrichments.map((e) => e.identification.value)).toEqual([
				devices[1],
				devices[3],
				devices[4],
			]);
			expect(bed.hints.map((hint) => hint.message)).toEqual([
				expect.stringContaining('Nexthink rejected 2 of 5 enrichments'),
			]);
		});

		it('says above the output when 10,000 items give one output item each, and points to One Item per Request', async () => {
			const many = Array.from({ length: 10_000 }, (_, n) => ({
				json: { device: `DEV-${n}`, cc: `CC-${n % 7}` },
			}));
			const [perItem] = await bed.run(perItemParams(), many);
			expect(perItem).toHaveLength(10_000);
			expect(bed.hints.map((hint) => hint.message)).toEqual([
				expect.stringMatching(
					/^10,000 output items, one per input item: .* set Options > Output to One Item per Request/,
				),
			]);

			bed.reset();
			const [perRequest] = await bed.run(perItemParams({ options: { output: 'request' } }), many);
			expect(perRequest.map((item) => item.json.sent)).toEqual([5000, 5000]);
			expect(bed.hints).toEqual([]);
			expect(bed.sim.data.enrichments).toHaveLength(10_000);
		});

		it('matches rejections to the right item when an object appears twice', async () => {
			// Items 0 and 1 enrich the same device: they go into different requests, so that
			// Nexthink's answer (which names objects, not positions) points at one item only.
			const input = [
				{ json: { device: devices[0], cc: 'A' } },
				{ json: { device: devices[0].toLowerCase(), cc: 'B' } },
				{ json: { device: devices[1], cc: 'C' } },
			];
			bed.sim.inject('enrichment.fields', { type: 'partial', pattern: 'first' });
			const [out] = await bed.run(perItemParams({ options: { concurrency: 1 } }), input, {
				onError: 'continueRegularOutput',
			});

			expect(bodies().map((body) => body.enrichments.map((e) => e.fields[0].value))).toEqual([
				['A', 'C'],
				['B'],
			]);
			expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(out[0].json.error).toMatch(/Wrong type/);
			expect(out[1].json.status).toBe('accepted');
			expect(out[2].json.status).toBe('accepted');
		});

		it('turns a 400 that rejected every entry into one error per item', async () => {
			const errorsFor = (index: number) => ({
				identification: [{ name: 'device/device/name', value: devices[index] }],
				errors: [{ message: 'Unknown device', code: 'ENRICH_020' }],
			});
			bed.sim.inject('enrichment.fields', {
				type: 'status',
				status: 400,
				body: { status: 'error', errors: [errorsFor(0), errorsFor(1)] },
			});
			const [out] = await bed.run(perItemParams(), deviceItems(2), {
				onError: 'continueRegularOutput',
			});

			expect(out).toHaveLength(2);
			expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(out[1].json.error).toBe(
				`Nexthink rejected the enrichment of device/device/name "${devices[1]}": Unknown device [ENRICH_020]`,
			);
			expect(out[1].json.details).toMatchObject({ httpCode: '400', nexthinkCode: 'ENRICH_020' });
		});

		it('sends one request per item when Combine Items is off', async () => {
			await bed.run(perItemParams({ options: { combineItems: false } }), deviceItems(3));
			expect(bodies().map((body) => body.enrichments.length)).toEqual([1, 1, 1]);
		});

		it.each([
			[
				{ identificationType: 'user/user/sid', identificationValue: 'jane@example.com' },
				'Identification Value: "jane@example.com" is not a User SID',
			],
			[{ fields: {} }, 'Fields: no field is given'],
			[
				{
					fields: {
						field: [{ deviceField: '__custom', deviceCustomField: '#Cost Center', value: 'x' }],
					},
				},
				'Fields: field 1: "#Cost Center" is not a custom field NQL ID',
			],
			[
				{
					fields: {
						field: [{ deviceField: 'device/device/virtualization/type', value: 'virtual' }],
					},
				},
				'Fields: field 1 (device/device/virtualization/type): the value "virtual" is not a value of device/device/virtualization/type',
			],
			[
				{ fields: { field: [{ deviceField: 'user/user/ad/city', value: 'Lausanne' }] } },
				'Fields: field 1: "user/user/ad/city" is not a field of the device identified by device/device/name',
			],
			[
				{
					fields: {
						field: [
							{ deviceField: 'device/device/virtualization/last_update', value: 'yesterday' },
						],
					},
				},
				'Fields: field 1 (device/device/virtualization/last_update): the value "yesterday" is not a date',
			],
			[{ domain: ' ' }, 'Domain: it is empty'],
		])('rejects %p before any request', async (extra, message) => {
			const error = (await bed
				.run(perItemParams(extra), deviceItems(1))
				.catch((e: unknown) => e)) as NodeOperationError;

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(message);
			expect(error.description).toBeTruthy();
			expect(bed.sim.log).toHaveLength(0);
		});

		it('suggests the NQL ID a mistyped custom field probably has', async () => {
			const error = (await bed
				.run(
					perItemParams({
						fields: {
							field: [{ deviceField: '__custom', deviceCustomField: 'Cost-Center', value: 'x' }],
						},
					}),
					deviceItems(1),
				)
				.catch((e: unknown) => e)) as NodeOperationError;
			expect(error.description).toMatch(/Did you mean #cost_center\?/);
		});

		it('does not repeat the enrichment after a 500, and says so', async () => {
			bed.sim.inject('enrichment.fields', { type: 'status', status: 500 });
			const error = (await bed
				.run(perItemParams(), deviceItems(2))
				.catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(bed.requests('enrichment.fields')).toHaveLength(1);
			expect(error.description).toMatch(/not retried automatically/);
		});
	});

	describe('Enrich Fields, bulk', () => {
		it('splits 50,000 enrichments from one item into 10 requests of 5,000', async () => {
			const enrichments = bulkEntries(50_000);
			const [out] = await bed.run(bulkParams(), [{ json: { enrichments } }]);

			const calls = bed.requests('enrichment.fields');
			expect(calls.map((call) => call.status)).toEqual(Array(10).fill(200));
			expect(bodies().map((body) => body.enrichments.length)).toEqual(Array(10).fill(5_000));
			const sent = bodies().flatMap((body) =>
				body.enrichments.map((e) => e.identification[0].value),
			);
			expect(new Set(sent).size).toBe(50_000);
			expect(bed.sim.data.enrichments).toHaveLength(50_000);
			expect(out).toHaveLength(10);
			expect(out[0].json).toEqual({
				status: 'success',
				domain: 'n8n_bulk',
				sent: 5_000,
				accepted: 5_000,
				rejected: 0,
				failed: [],
			});
			expect(out.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		});

		it('lists the entries Nexthink rejected (207) with their index, identification and code', async () => {
			bed.sim.inject('enrichment.fields', { type: 'partial', pattern: 'everySecond' });
			bed.hints.length = 0;
			const [out] = await bed.run(bulkParams(), [{ json: { enrichments: bulkEntries(5) } }]);

			expect(out).toHaveLength(1);
			expect(out[0].json).toMatchObject({
				status: 'partial_success',
				sent: 5,
				accepted: 2,
				rejected: 3,
			});
			expect(out[0].json.failed).toEqual(
				[0, 2, 4].map((index) => ({
					itemIndex: 0,
					index,
					identification: { name: 'device/device/name', value: `DEV-${index}` },
					errors: [
						{ code: 'ENRICH_011', message: "Wrong type for field 'device/device/#cost_center'" },
					],
				})),
			);
			expect(bed.hints.map((hint) => hint.message)).toEqual([
				expect.stringMatching(/^Nexthink rejected 3 of 5 enrichments/),
			]);
		});

		it('keeps ENRICH_042 when the batch size is above what the tenant takes, with the fix', async () => {
			const error = (await bed
				.run(bulkParams({ options: { batchSize: 10_000 } }), [
					{ json: { enrichments: bulkEntries(6_000) } },
				])
				.catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('400');
			expect(error.message).toMatch(/\[ENRICH_042\]/);
			expect(error.description).toMatch(/Lower Options > Enrichments per Request/);
			expect(bed.requests('enrichment.fields')).toHaveLength(1);
		});

		it('routes a request whose every entry was rejected (400) to the error output, listing them', async () => {
			bed.sim.inject('enrichment.fields', {
				type: 'status',
				status: 400,
				body: {
					status: 'error',
					errors: [0, 1].map((n) => ({
						identification: [{ name: 'device/device/name', value: `DEV-${n}` }],
						errors: [{ message: 'Unknown device', code: 'ENRICH_020' }],
					})),
				},
			});
			const { main } = await bed.runInWorkflow(
				bulkParams(),
				[{ json: { batch: 'b1', enrichments: bulkEntries(2) } }],
				'continueErrorOutput',
			);

			const [success, errors] = main;
			expect(success).toHaveLength(0);
			expect(errors).toHaveLength(1);
			expect(errors[0].pairedItem).toEqual({ item: 0 });
			expect(errors[0].json.batch).toBe('b1');
			expect(errors[0].json.error).toMatch(/^Nexthink rejected Enrichment \(400\)/);
			expect(errors[0].json.details).toMatchObject({
				httpCode: '400',
				nexthinkCode: 'ENRICH_020',
				failed: [
					{ index: 0, identification: { value: 'DEV-0' }, errors: [{ code: 'ENRICH_020' }] },
					{ index: 1, identification: { value: 'DEV-1' }, errors: [{ code: 'ENRICH_020' }] },
				],
			});
		});

		it('combines the lists of several items, paired with them', async () => {
			const [out] = await bed.run(bulkParams({ options: { batchSize: 4 } }), [
				{ json: { enrichments: bulkEntries(3, 'A') } },
				{ json: { enrichments: bulkEntries(3, 'B') } },
			]);
			expect(bodies().map((body) => body.enrichments.length)).toEqual([4, 2]);
			expect(out.map((item) => item.pairedItem)).toEqual([[{ item: 0 }, { item: 1 }], { item: 1 }]);
		});

		it.each([
			[
				(list: unknown[]) => {
					(list[3] as { identification: unknown[] }).identification = [
						{ name: 'device/device/hostname', value: 'x' },
					];
				},
				'Enrichments: entry [3] has the identification name "device/device/hostname", which Nexthink does not take',
			],
			[
				(list: unknown[]) => {
					(list[1] as { fields: unknown[] }).fields = [];
				},
				'Enrichments: entry [1] has no fields',
			],
			[
				(list: unknown[]) => {
					(list[2] as { identification: unknown[] }).identification.push({
						name: 'device/device/uid',
						value: 'x',
					});
				},
				'Enrichments: entry [2] has 2 identifications',
			],
			[
				(list: unknown[]) => {
					(list[4] as { fields: unknown[] }).fields = [{ name: 'device/device/owner', value: 'x' }];
				},
				'Enrichments: entry [4] field [0]: "device/device/owner" is not a field Nexthink documents, nor a custom field name (<object>/<object>/#<nql_id>)',
			],
		])('names the bad entry before any request (%#)', async (spoil, message) => {
			const enrichments = bulkEntries(5);
			spoil(enrichments);
			const error = (await bed
				.run(bulkParams(), [{ json: { enrichments } }])
				.catch((e: unknown) => e)) as NodeOperationError;

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(message);
			expect(bed.sim.log).toHaveLength(0);
		});

		it('turns integer values given as text into numbers', async () => {
			await bed.run(bulkParams(), [
				{
					json: {
						enrichments: [
							{
								identification: [{ name: 'device/device/name', value: devices[0] }],
								fields: [
									{ name: 'device/device/virtualization/type', value: '2' },
									{ name: 'device/device/virtualization/desktop_broker', value: 'windows_365' },
								],
							},
						],
					},
				},
			]);
			expect(bodies()[0].enrichments[0].fields).toEqual([
				{ name: 'device/device/virtualization/type', value: 2 },
				{ name: 'device/device/virtualization/desktop_broker', value: 4 },
			]);
			expect(bed.requests('enrichment.fields')[0].status).toBe(200);
		});
	});
});

describe('Enrichment against a tenant that takes 10,000 per request', () => {
	let bed: NexthinkTestbed;
	beforeAll(async () => {
		bed = await nexthinkTestbed({ enrichmentLimit: 10_000 });
	});
	afterAll(async () => {
		await bed.close();
	});

	it('sends 12,000 enrichments as 10,000 + 2,000 when the batch size allows it', async () => {
		const enrichments = bulkEntries(12_000);
		const [out] = await bed.run(bulkParams({ options: { batchSize: 10_000 } }), [
			{ json: { enrichments } },
		]);
		// Requests run concurrently: the simulator logs them in the order they arrive.
		const sizes = bed
			.requests('enrichment.fields')
			.map((call) => (call.body as SentBody).enrichments.length);
		expect(sizes.sort((a, b) => b - a)).toEqual([10_000, 2_000]);
		expect(out.map((item) => item.json.accepted)).toEqual([10_000, 2_000]);
	});
});
