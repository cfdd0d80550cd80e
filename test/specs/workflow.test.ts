import { randomUUID } from 'node:crypto';

import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { Nexthink } from '../../nodes/Nexthink/Nexthink.node';
import { listSearch, resourceMapping } from '../harness';
import { findQuery } from '../simulator/data/queries';
import { nexthinkTestbed, type NexthinkTestbed } from '../support/nexthink';

const workflow = (operation: string, extra: Record<string, unknown> = {}) => ({
	resource: 'workflow',
	operation,
	...extra,
});
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const fromList = (value: string) => ({ __rl: true, mode: 'list', value });
const withParameters = (parameters: Record<string, string>) => ({
	parameters: { parameter: Object.entries(parameters).map(([name, value]) => ({ name, value })) },
});
const trigger = (id: string, extra: Record<string, unknown> = {}) =>
	workflow('trigger', { workflowId: byId(id), ...extra });

const failureOf = async (promise: Promise<unknown>) =>
	(await promise.then(
		() => undefined,
		(error: unknown) => error,
	)) as NodeApiError | NodeOperationError;

describe('Workflow', () => {
	let bed: NexthinkTestbed;
	const devices = () => bed.sim.data.devices;
	const users = () => bed.sim.data.users;
	const workflowUuid = (id: string) => bed.sim.data.workflows.find((w) => w.id === id)!.uuid;

	beforeAll(async () => {
		bed = await nexthinkTestbed();
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	it('shows every field of the resource only for its operation, and gives each operation an action', () => {
		const properties = new Nexthink().description.properties.filter((p) =>
			p.displayOptions?.show?.resource?.includes('workflow'),
		);
		const [selector, ...fields] = properties;

		expect(selector.name).toBe('operation');
		expect(selector.options!.map((o) => (o as { value: string }).value).sort()).toEqual([
			'get',
			'getExecutions',
			'getMany',
			'trigger',
			'triggerWaitForEvent',
		]);
		for (const option of selector.options as Array<{ action?: string }>)
			expect(option.action).toMatch(/^[A-Z][a-z]+ /);
		for (const field of fields) expect(field.displayOptions!.show!.operation).toHaveLength(1);
		expect(fields.length).toBeGreaterThan(10);
	});

	describe('Trigger: the workflow parameters as fields', () => {
		const parametersOf = async (id: string) =>
			await resourceMapping({
				nodeType: new Nexthink(),
				method: 'getWorkflowParameters',
				parameters: { resource: 'workflow', operation: 'trigger', workflowId: byId(id) },
				credentials: { store: bed.store, type: 'nexthinkApi', id: bed.credentialId },
			});

		it("offers the chosen workflow's parameters: a dropdown where only Nexthink's options are allowed", async () => {
			const diagnostics = await parametersOf('#device_diagnostics');
			const onboarding = await parametersOf('#onboard_new_user');

			expect(diagnostics.fields).toEqual([
				expect.objectContaining({
					id: 'mode',
					type: 'options',
					options: [
						{ name: 'quick', value: 'quick' },
						{ name: 'full', value: 'full' },
					],
				}),
			]);
			expect(onboarding.fields.map((field) => [field.id, field.type, field.displayName])).toEqual([
				['department', 'string', 'department, e.g. Finance / IT / Sales / Engineering'],
				['start_date', 'string', 'start_date'],
			]);
			expect(bed.requests('workflow.details').map((call) => call.query.nqlId)).toEqual([
				'#device_diagnostics',
				'#onboard_new_user',
			]);
		});

		it('says why it shows none: nothing chosen, an unknown ID, the API trigger off', async () => {
			const none = await parametersOf('');
			const unknown = await parametersOf('#does_not_exist');
			const apiOff = await parametersOf('#disk_cleanup_scheduled');

			expect(none.emptyFieldsNotice).toBe('Choose a workflow first: its parameters show up here.');
			expect(unknown.fields).toEqual([]);
			expect(unknown.emptyFieldsNotice).toMatch(
				/^No workflow has the NQL ID #does_not_exist\. Pick the workflow from the list, or give its NQL ID exactly as Nexthink lists it/,
			);
			expect(unknown.emptyFieldsNotice).toMatch(
				/No workflow has the NQL ID #does_not_exist|#does_not_exist/,
			);
			expect(apiOff.emptyFieldsNotice).toMatch(
				/^.+ \(#disk_cleanup_scheduled\) has its API trigger off, so Trigger cannot start it\./,
			);
		});

		it('sends the mapped parameters, with Additional Parameters overriding the same ID', async () => {
			await bed.run(
				trigger('#onboard_new_user', {
					users: bed.sim.data.users[0].sid,
					workflowParameters: {
						mappingMode: 'defineBelow',
						value: { department: '={{ $json.department }}', start_date: '2026-12-01' },
					},
					...withParameters({ start_date: '2027-01-04' }),
				}),
				[{ json: { department: 'IT' } }],
			);

			const [call] = bed.requests('workflow.execute.v1');
			expect((call.body as IDataObject).params).toEqual({
				department: 'IT',
				start_date: '2027-01-04',
			});
		});
	});

	describe('Trigger', () => {
		it('sends collector UUIDs and SIDs to v1 with the NQL ID as given, parameters and the Source header', async () => {
			const [d1, d2] = devices();
			const [out] = await bed.run(
				trigger('#restart_service', {
					devices: `${d1.collectorUid}\n${d2.collectorUid.toUpperCase()}`,
					users: users()[5].sid,
					...withParameters({ service_name: 'Spooler' }),
					options: { source: 'n8n-tests' },
				}),
			);

			const calls = bed.requests('workflow.execute.v1', 'workflow.execute.v2');
			expect(calls).toHaveLength(1);
			expect(calls[0].path).toBe('/api/v1/workflows/execute');
			expect(calls[0].body).toEqual({
				workflowId: '#restart_service',
				devices: [d1.collectorUid, d2.collectorUid.toUpperCase()],
				users: [users()[5].sid],
				params: { service_name: 'Spooler' },
			});
			expect(calls[0].headers.source).toBe('n8n-tests');
			const recorded = bed.sim.data.workflowExecutions;
			expect(out).toEqual([
				{
					json: {
						workflowId: '#restart_service',
						requestUuid: recorded[0].requestUuid,
						executionsUuids: recorded.map((e) => e.executionUuid),
						apiVersion: 'v1',
						deviceCount: 2,
						userCount: 1,
					},
					pairedItem: { item: 0 },
				},
			]);
			expect(recorded.every((e) => e.source === 'n8n-tests' && e.apiVersion === 'v1')).toBe(true);
		});

		it('uses v2 with identifier objects when devices are names or users are UPNs', async () => {
			const [d1, d2] = devices();
			await bed.run(
				trigger('#software_install_approval', {
					deviceIdType: 'name',
					devices: `${d1.name}, ${d2.name}`,
					userIdType: 'upn',
					users: users()[3].upn,
					...withParameters({ software_name: 'Zoom' }),
				}),
			);
			// Collector UUIDs with UPNs: still v2, the devices become {collectorUid}.
			await bed.run(
				trigger('#software_install_approval', {
					devices: d1.collectorUid,
					userIdType: 'uid',
					users: users()[4].uid,
				}),
			);

			const [byName, mixed] = bed.requests('workflow.execute.v2');
			expect(bed.requests('workflow.execute.v1')).toHaveLength(0);
			expect(byName.path).toBe('/api/v2/workflows/execute');
			expect(byName.body).toEqual({
				workflowId: '#software_install_approval',
				devices: [{ name: d1.name }, { name: d2.name }],
				users: [{ upn: users()[3].upn }],
				params: { software_name: 'Zoom' },
			});
			expect(mixed.body).toEqual({
				workflowId: '#software_install_approval',
				devices: [{ collectorUid: d1.collectorUid }],
				users: [{ uid: users()[4].uid }],
			});
			expect(bed.sim.data.workflowExecutions.map((e) => e.apiVersion)).toContain('v2');
		});

		it('targets users alone on v1, from an array mapped by an expression, picked from the list', async () => {
			const sids = users()
				.slice(0, 3)
				.map((u) => u.sid);
			const [out] = await bed.run(
				workflow('trigger', {
					workflowId: fromList('#onboard_new_user'),
					users: '={{ $json.sids }}',
					...withParameters({ department: 'IT' }),
				}),
				[{ json: { sids } }],
			);

			const [call] = bed.requests('workflow.execute.v1');
			expect(call.body).toEqual({
				workflowId: '#onboard_new_user',
				devices: [],
				users: sids,
				params: { department: 'IT' },
			});
			expect(out[0].json).toMatchObject({ apiVersion: 'v1', deviceCount: 0, userCount: 3 });
			expect(out[0].json.executionsUuids).toHaveLength(3);
		});

		it('sends a device name once, whatever its letter case, as it does UUIDs and UPNs', async () => {
			const [d1] = devices();
			const u3 = users()[3];
			await bed.run(
				trigger('#device_diagnostics', {
					deviceIdType: 'name',
					devices: `${d1.name}\n${d1.name.toLowerCase()}`,
					userIdType: 'upn',
					users: `${u3.upn}\n${u3.upn.toUpperCase()}`,
				}),
			);

			const [call] = bed.requests('workflow.execute.v2');
			expect(call.body).toMatchObject({
				devices: [{ name: d1.name }],
				users: [{ upn: u3.upn }],
			});
		});

		it.each([
			[
				'a bad collector UUID, by position',
				{ devices: '={{ ["2bdb0941-2507-40de-854a-3efa1784b26b", "LAPTOP-1"] }}' },
				/^Devices: entry 2 of 2, "LAPTOP-1", is not a Collector UUID$/,
				/Device Identifier Type/,
			],
			[
				'a bad SID',
				{ users: 'S-1-5-21-1\nnot-a-sid' },
				/^Users: entry 2 of 2, "not-a-sid", is not a User SID$/,
				/S-1-5-21-/,
			],
			[
				'a bad UPN',
				{ userIdType: 'upn', users: 'jane.doe@example' },
				/^Users: entry 1 of 1, "jane.doe@example", is not a User UPN$/,
				/jane\.doe@example\.com/,
			],
			[
				'a bad device UID',
				{ deviceIdType: 'uid', devices: '1234' },
				/^Devices: entry 1 of 1, "1234", is not a Device UID$/,
				/2bdb0941/,
			],
			[
				'no target at all',
				{ devices: ' , \n', users: '' },
				/^Devices and Users: both are empty$/,
				/at least one/,
			],
		])('rejects %s before any request', async (_case, fields, message, fix) => {
			const error = await failureOf(bed.run(trigger('#restart_service', fields)));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(message);
			expect(error.description).toMatch(fix);
			expect(bed.sim.log).toHaveLength(0);
		});

		it('rejects a workflow ID that cannot be one, and an empty choice, before any request', async () => {
			const bad = await failureOf(
				bed.run(trigger('restart service', { devices: devices()[0].collectorUid })),
			);
			const none = await failureOf(
				bed.run(
					workflow('trigger', { workflowId: fromList(''), devices: devices()[0].collectorUid }),
				),
			);

			expect(bad.message).toBe('Workflow: "restart service" is not a valid NQL ID');
			expect(none.message).toBe('Workflow: nothing is selected');
			expect(bed.sim.log).toHaveLength(0);
		});

		it('sends one request per item with Combine Items off', async () => {
			const input = devices()
				.slice(0, 3)
				.map((d) => ({ json: { device: d.collectorUid } }));
			const [out] = await bed.run(
				trigger('#restart_service', {
					devices: '={{ $json.device }}',
					options: { combineItems: false },
				}),
				input,
			);

			expect(bed.requests('workflow.execute.v1')).toHaveLength(3);
			expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		});

		it('combines the items that share workflow, parameters and source into one request', async () => {
			const d = devices();
			const input = [
				{ json: { device: d[0].collectorUid, service: 'Spooler' } },
				{ json: { device: `${d[1].collectorUid}\n${d[0].collectorUid}`, service: 'Spooler' } },
				{ json: { device: d[2].collectorUid, service: 'BITS' } },
				{ json: { device: d[3].collectorUid, service: 'Spooler' } },
			];
			const [out] = await bed.run(
				trigger('#restart_service', {
					devices: '={{ $json.device }}',
					...withParameters({ service_name: '={{ $json.service }}' }),
					options: { combineItems: true },
				}),
				input,
			);

			const calls = bed.requests('workflow.execute.v1');
			expect(calls).toHaveLength(2);
			const spooler = calls.find(
				(c) => ((c.body as IDataObject).params as IDataObject).service_name === 'Spooler',
			)!;
			// each device once, in input order
			expect((spooler.body as IDataObject).devices).toEqual([
				d[0].collectorUid,
				d[1].collectorUid,
				d[3].collectorUid,
			]);
			expect(out).toHaveLength(2);
			expect(out[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 3 }]);
			expect(out[0].json).toMatchObject({ deviceCount: 3, userCount: 0 });
			expect(out[1].pairedItem).toEqual({ item: 2 });
			expect(out[1].json.executionsUuids).toHaveLength(1);
		});

		it('outputs one item per input item with the request UUID and its own targets, on request', async () => {
			const d = devices();
			const input = [
				{ json: { device: d[0].collectorUid } },
				{ json: { device: `${d[1].collectorUid}\n${d[0].collectorUid}` } },
			];
			const [out] = await bed.run(
				trigger('#restart_service', {
					devices: '={{ $json.device }}',
					options: { output: 'inputItem' },
				}),
				input,
			);

			expect(bed.requests('workflow.execute.v1')).toHaveLength(1);
			const [requestUuid] = new Set(bed.sim.data.workflowExecutions.map((e) => e.requestUuid));
			expect(
				out.map((item) => [item.pairedItem, item.json.requestUuid, item.json.devices]),
			).toEqual([
				[{ item: 0 }, requestUuid, [d[0].collectorUid]],
				// In the order the request carries them.
				[{ item: 1 }, requestUuid, [d[0].collectorUid, d[1].collectorUid]],
			]);
			expect(out[1].json).toMatchObject({ deviceCount: 2, userCount: 0, users: [] });
		});

		it('splits 25,000 collector UUIDs into requests of at most 10,000', async () => {
			const seeded = devices().map((d) => d.collectorUid);
			// every 10th is a seeded device, so that each request finds some
			const uuids = Array.from({ length: 25000 }, (_, i) =>
				i % 10 === 0 ? seeded[(i / 10) % seeded.length] : randomUUID(),
			);
			const [out] = await bed.run(trigger('#restart_service', { devices: '={{ $json.uuids }}' }), [
				{ json: { uuids } },
			]);

			// Requests run concurrently: the simulator logs them in the order they arrive.
			const calls = bed.requests('workflow.execute.v1');
			const sizes = calls.map((c) => ((c.body as IDataObject).devices as string[]).length);
			expect(sizes.sort((a, b) => b - a)).toEqual([10000, 10000, 5000]);
			expect(calls.every((c) => c.status === 200)).toBe(true);
			expect(out.map((item) => item.json.deviceCount)).toEqual([10000, 10000, 5000]);
			expect(out.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		});

		it('sends both target lists, one of them empty, as the schema requires (docs/nexthink-api.md §6.1)', async () => {
			const [d0] = devices();
			const u2 = users()[2];
			await bed.run(trigger('#restart_service', { devices: d0.collectorUid }));
			await bed.run(trigger('#onboard_new_user', { userIdType: 'upn', users: u2.upn }));

			expect(bed.requests('workflow.execute.v1', 'workflow.execute.v2').map((c) => c.body)).toEqual(
				[
					{ workflowId: '#restart_service', devices: [d0.collectorUid], users: [] },
					{ workflowId: '#onboard_new_user', devices: [], users: [{ upn: u2.upn }] },
				],
			);
			expect(
				bed.requests('workflow.execute.v1', 'workflow.execute.v2').map((c) => c.status),
			).toEqual([200, 200]);
		});

		it('sends the NQL ID as given: no # is added, so a workflow listed without one runs', async () => {
			const [d0] = devices();
			const [out] = await bed.run(trigger('lab_workflow', { devices: d0.collectorUid }));
			const error = await failureOf(
				bed.run(trigger('restart_service', { devices: d0.collectorUid })),
			);

			expect(out[0].json).toMatchObject({ workflowId: 'lab_workflow', apiVersion: 'v1' });
			expect(
				bed.requests('workflow.execute.v1').map((c) => (c.body as IDataObject).workflowId),
			).toEqual(['lab_workflow', 'restart_service']);
			// Nexthink (here, the simulator) knows #restart_service only by the ID it lists.
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toMatch(
				/^Nexthink rejected Workflow Trigger \(400\): No workflow with NQL ID 'restart_service'/,
			);
			expect(error.description).toMatch(/exactly as Nexthink lists it/);
		});

		describe('12,000 devices and 3,000 users: each list split on its own', () => {
			const manyDevices = () => {
				const seeded = devices().map((d) => d.collectorUid);
				// Every 10th is a seeded device, so that each request finds some.
				return Array.from({ length: 12000 }, (_, i) =>
					i % 10 === 0 ? seeded[(i / 10) % seeded.length] : randomUUID(),
				);
			};
			const manyUsers = () =>
				Array.from({ length: 3000 }, (_, i) =>
					i < users().length ? users()[i].sid : `S-1-5-21-1-2-3-${100000 + i}`,
				);
			const run = (onError?: 'continueRegularOutput') =>
				bed.run(
					trigger('#software_install_approval', {
						devices: '={{ $json.devices }}',
						users: '={{ $json.users }}',
						...withParameters({ software_name: 'Zoom' }),
						options: { combineItems: true, concurrency: 1 },
					}),
					[{ json: { devices: manyDevices() } }, { json: { users: manyUsers() } }],
					onError ? { onError } : undefined,
				);
			const sizes = (body: unknown) => [
				((body as IDataObject).devices as unknown[]).length,
				((body as IDataObject).users as unknown[]).length,
			];

			it('go out as [10,000 devices + 3,000 users] and [2,000 devices + 0 users], each output paired with its items', async () => {
				const [out] = await run();

				const calls = bed.requests('workflow.execute.v1');
				expect(calls.map((c) => sizes(c.body))).toEqual([
					[10000, 3000],
					[2000, 0],
				]);
				expect(calls.every((c) => c.status === 200)).toBe(true);
				expect(out.map((item) => [item.json.deviceCount, item.json.userCount])).toEqual([
					[10000, 3000],
					[2000, 0],
				]);
				expect(out.map((item) => item.pairedItem)).toEqual([
					[{ item: 0 }, { item: 1 }],
					{ item: 0 },
				]);
			});

			it('a failed request reports both of its lists', async () => {
				bed.sim.inject('workflow.execute.v1', { type: 'status', status: 500 });

				const [out] = await run('continueRegularOutput');

				expect(bed.requests('workflow.execute.v1').map((c) => c.status)).toEqual([500, 200]);
				const [failed, accepted] = out;
				expect(failed.pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
				const targets = (failed.json.details as IDataObject).targets as Array<{ kind: string }>;
				expect([
					targets.filter((t) => t.kind === 'device').length,
					targets.filter((t) => t.kind === 'user').length,
				]).toEqual([10000, 3000]);
				expect((failed.json.details as IDataObject).mayHaveRun).toBe(true);
				expect(accepted.json).toMatchObject({ deviceCount: 2000, userCount: 0 });
			});
		});

		it('takes Identifier Objects that combine fields, from an expression or JSON, and sends them to v2', async () => {
			const [d0, d1] = devices();
			const u2 = users()[2];
			await bed.run(
				trigger('#software_install_approval', {
					deviceIdType: 'objects',
					devices: '={{ $json.devices }}',
					userIdType: 'objects',
					users: JSON.stringify([{ uid: u2.uid, upn: u2.upn, sid: u2.sid.toLowerCase() }]),
				}),
				[{ json: { devices: [{ name: d1.name, uid: d1.uid, collectorUid: d1.collectorUid }] } }],
			);
			// A lone collector UUID and a lone SID are what v1 takes.
			await bed.run(
				trigger('#software_install_approval', {
					deviceIdType: 'objects',
					devices: '={{ [{ collectorUid: $json.device }] }}',
					userIdType: 'objects',
					users: '={{ { sid: $json.sid, upn: "" } }}',
				}),
				[{ json: { device: d0.collectorUid, sid: u2.sid } }],
			);

			const [v2] = bed.requests('workflow.execute.v2');
			expect(v2.body).toEqual({
				workflowId: '#software_install_approval',
				devices: [{ name: d1.name, uid: d1.uid, collectorUid: d1.collectorUid }],
				users: [{ uid: u2.uid, upn: u2.upn, sid: u2.sid }],
			});
			expect(bed.requests('workflow.execute.v1').map((c) => c.body)).toEqual([
				{ workflowId: '#software_install_approval', devices: [d0.collectorUid], users: [u2.sid] },
			]);
			expect(
				bed.requests('workflow.execute.v1', 'workflow.execute.v2').map((c) => c.status),
			).toEqual([200, 200]);
		});

		it.each([
			[
				'an unknown key',
				'={{ [{ name: "LAPTOP-00001", hostname: "x" }] }}',
				/^Devices: entry 1 of 1 has "hostname", which is not a device identifier$/,
			],
			[
				'an empty object',
				'={{ [{ name: "", uid: null }] }}',
				/^Devices: entry 1 of 1 has no identifier$/,
			],
			[
				'a bad identifier',
				'[{"uid": "1234"}]',
				/^Devices: entry 1 of 1: uid "1234" is not a Device UID$/,
				/device\.uid in NQL/,
			],
			['no JSON', '{name: LAPTOP-1}', /^Devices: "\{name: LAPTOP-1\}" is not JSON$/],
			[
				'a string',
				'={{ ["LAPTOP-00001"] }}',
				/^Devices: entry 1 of 1, "LAPTOP-00001", is not an object$/,
			],
		])(
			'refuses Identifier Objects with %s before any request',
			async (_case, value, message, fix = /collectorUid, name, uid/) => {
				const error = await failureOf(
					bed.run(trigger('#restart_service', { deviceIdType: 'objects', devices: value })),
				);

				expect(error).toBeInstanceOf(NodeOperationError);
				expect(error.message).toMatch(message);
				expect(error.description).toMatch(fix);
				expect(bed.sim.log).toHaveLength(0);
			},
		);

		it('never retries a trigger after a 500, and says so', async () => {
			bed.sim.inject('workflow.execute.v1', { type: 'status', status: 500 });

			const error = await failureOf(
				bed.run(trigger('#restart_service', { devices: devices()[0].collectorUid })),
			);

			expect(error).toBeInstanceOf(NodeApiError);
			expect((error as NodeApiError).httpCode).toBe('500');
			expect(error.description).toMatch(/not retried/);
			expect(bed.requests('workflow.execute.v1')).toHaveLength(1);
		});

		it('never repeats a trigger whose connection dropped', async () => {
			bed.sim.inject('workflow.execute.v1', { type: 'drop' });

			const error = await failureOf(
				bed.run(trigger('#restart_service', { devices: devices()[0].collectorUid })),
			);

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.description).toMatch(/not repeated/);
			expect(bed.requests('workflow.execute.v1')).toHaveLength(1);
		});

		it('retries after a 429, which means "not processed"', async () => {
			bed.sim.inject('workflow.execute.v1', { type: 'rateLimit', retryAfter: 0 });

			const [out] = await bed.run(
				trigger('#restart_service', { devices: devices()[0].collectorUid }),
			);

			expect(bed.requests('workflow.execute.v1').map((c) => c.status)).toEqual([429, 200]);
			expect(out[0].json.requestUuid).toBe(bed.sim.data.workflowExecutions[0].requestUuid);
		});

		it("keeps Nexthink's {code, details} when it refuses the workflow", async () => {
			const error = await failureOf(
				bed.run(trigger('#disk_cleanup_scheduled', { devices: devices()[0].collectorUid })),
			);

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(
				"Nexthink rejected Workflow Trigger (400): Workflow '#disk_cleanup_scheduled' is not enabled for API triggering. [SIMULATOR_WORKFLOW_NOT_API_ENABLED]",
			);
		});

		it('points a 400 about the workflow to Workflow, and one about a parameter to Workflow Parameters', async () => {
			const refused = await failureOf(
				bed.run(trigger('#disk_cleanup_scheduled', { devices: devices()[0].collectorUid })),
			);
			const unknownParameter = await failureOf(
				bed.run(
					trigger('#restart_service', {
						devices: devices()[0].collectorUid,
						...withParameters({ noSuchParameter: 'x' }),
					}),
				),
			);

			expect(refused.description).toMatch(
				/^Check Workflow: give its NQL ID exactly as Nexthink lists it \(the node sends #disk_cleanup_scheduled as given/,
			);
			expect((unknownParameter as NodeApiError).httpCode).toBe('400');
			expect(unknownParameter.description).toMatch(
				/^Check Workflow Parameters and Additional Parameters: /,
			);
		});

		it('with Continue On Fail, a bad item fails alone and a failed combined request fails all its items', async () => {
			const d = devices();
			const input = [
				{ json: { device: d[0].collectorUid } },
				{ json: { device: 'not-a-uuid' } },
				{ json: { device: d[2].collectorUid } },
			];
			bed.sim.inject('workflow.execute.v1', { type: 'status', status: 500 });
			const [out] = await bed.run(
				trigger('#restart_service', {
					devices: '={{ $json.device }}',
					options: { combineItems: true },
				}),
				input,
				{ onError: 'continueRegularOutput' },
			);

			expect(bed.requests('workflow.execute.v1')).toHaveLength(1);
			expect(out).toHaveLength(2);
			expect(out[0].pairedItem).toEqual([{ item: 0 }, { item: 2 }]);
			expect(out[0].json.details).toMatchObject({ httpCode: '500' });
			expect(out[1].pairedItem).toEqual({ item: 1 });
			expect(out[1].json.error).toMatch(/^Devices: entry 1 of 1, "not-a-uuid"/);
		});

		it('routes failed items to the error output in a real workflow run, with their input data', async () => {
			const input = [
				{ json: { device: devices()[0].collectorUid, ticket: 'INC1' } },
				{ json: { device: 'LAPTOP-1', ticket: 'INC2' } },
			];
			const { main } = await bed.runInWorkflow(
				trigger('#restart_service', { devices: '={{ $json.device }}' }),
				input,
				'continueErrorOutput',
			);

			const [success, errors] = main;
			expect(success).toHaveLength(1);
			expect(success[0].json.requestUuid).toBeDefined();
			expect(errors).toHaveLength(1);
			expect(errors[0].json.ticket).toBe('INC2');
			expect(errors[0].json.error).toMatch(/is not a Collector UUID/);
			expect(errors[0].pairedItem).toEqual({ item: 1 });
		});
	});

	describe('Get Many', () => {
		it('lists every workflow without filters, simplified', async () => {
			const [out] = await bed.run(workflow('getMany', { returnAll: true }));

			const calls = bed.requests('workflow.list');
			expect(calls.every((call) => call.path === '/api/v1/workflows')).toBe(true);
			expect(calls.every((call) => call.status === 200)).toBe(true);
			expect(out).toHaveLength(bed.sim.data.workflows.length);
			const restart = out.find((item) => item.json.id === '#restart_service')!;
			expect(restart.json).toEqual({
				id: '#restart_service',
				uuid: workflowUuid('#restart_service'),
				name: 'Restart service',
				description: 'Restarts a Windows service and checks that it is running again.',
				status: 'ACTIVE',
				apiEnabled: true,
				dependency: 'DEVICE',
				parameters: ['service_name'],
				lastUpdateTime: '2024-11-04T09:12:00Z',
			});
			expect(out.find((item) => item.json.id === '#disk_cleanup_scheduled')!.json.apiEnabled).toBe(
				false,
			);
			expect(restart.pairedItem).toEqual({ item: 0 });
		});

		it('sends the dependency and trigger method the spec requires: one call per combination left open', async () => {
			await bed.run(workflow('getMany', { returnAll: true }));
			const unfiltered = bed.requests('workflow.list').map((c) => c.query);
			bed.reset();
			const [out] = await bed.run(
				workflow('getMany', { returnAll: true, filters: { triggerMethod: 'SCHEDULER' } }),
			);

			expect(unfiltered).toHaveLength(16);
			expect(new Set(unfiltered.map((q) => `${q.dependency} ${q.triggerMethod}`)).size).toBe(16);
			expect(bed.requests('workflow.list').map((c) => c.query)).toEqual(
				['USER', 'DEVICE', 'USER_AND_DEVICE', 'NONE'].map((dependency) => ({
					dependency,
					triggerMethod: 'SCHEDULER',
				})),
			);
			expect(out.map((item) => item.json.id)).toEqual([
				'#disk_cleanup_scheduled',
				'#tenant_health_check',
			]);
		});

		it('sends the filters that are set and applies the limit', async () => {
			const [out] = await bed.run(
				workflow('getMany', {
					limit: 2,
					filters: { dependency: 'DEVICE', triggerMethod: 'API', onlyActive: true },
				}),
			);

			expect(bed.requests('workflow.list')[0].query).toEqual({
				dependency: 'DEVICE',
				triggerMethod: 'API',
				fetchOnlyActiveWorkflows: 'true',
			});
			expect(out.map((item) => item.json.id)).toEqual(['#restart_service', '#device_diagnostics']);
		});

		it('returns the raw objects when Simplify is off', async () => {
			const [out] = await bed.run(
				workflow('getMany', { returnAll: true, simplify: false, filters: { onlyActive: false } }),
			);

			const calls = bed.requests('workflow.list');
			expect(calls.map((call) => call.query.fetchOnlyActiveWorkflows)).toEqual(
				calls.map(() => 'false'),
			);
			expect(out).toHaveLength(bed.sim.data.workflows.length);
			expect(out[0].json.versions).toBeDefined();
			expect(out[0].json.triggerMethods).toMatchObject({ apiEnabled: true });
		});
	});

	describe('Get', () => {
		it('asks for the NQL ID as given (details takes it with or without #) and returns the workflow', async () => {
			const [out] = await bed.run(workflow('get', { workflowId: byId('device_diagnostics') }));

			const [call] = bed.requests('workflow.details');
			expect(call.query).toEqual({ nqlId: 'device_diagnostics' });
			expect(out).toHaveLength(1);
			expect(out[0].json).toMatchObject({
				id: '#device_diagnostics',
				uuid: workflowUuid('#device_diagnostics'),
			});
			expect(out[0].pairedItem).toEqual({ item: 0 });
		});

		it('names the unknown workflow, which Nexthink answers with an empty list (no 404 is declared)', async () => {
			const error = await failureOf(bed.run(workflow('get', { workflowId: byId('#nope') })));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('Nexthink has no workflow with NQL ID #nope');
			expect(error.description).toMatch(/pick the workflow from the list/);
			expect(bed.requests('workflow.details').map((call) => call.status)).toEqual([200]);
		});
	});

	describe('Trigger Wait-for-Event', () => {
		const approve = (execution: string, extra: Record<string, unknown> = {}) =>
			workflow('triggerWaitForEvent', {
				workflowUuid: byId(workflowUuid('#software_install_approval')),
				executionUuid: execution,
				...extra,
			});

		it('resumes a waiting execution with its parameters and returns the request UUID', async () => {
			const [[started]] = await bed.run(
				trigger('#software_install_approval', { devices: devices()[7].collectorUid }),
			);
			const execution = (started.json.executionsUuids as string[])[0];
			expect(bed.sim.data.workflowExecutions[0].status).toBe('waiting');

			const [out] = await bed.run(
				approve(execution.toUpperCase(), {
					...withParameters({ approved: 'yes' }),
					options: { source: 'n8n-tests' },
				}),
			);

			const [call] = bed.requests('workflow.thinklet');
			expect(call.path).toBe(
				`/api/v1/workflows/workflows/${workflowUuid('#software_install_approval')}/execution/${execution}/trigger`,
			);
			expect(call.body).toEqual({ parameters: { approved: 'yes' } });
			expect(call.headers.source).toBe('n8n-tests');
			expect(out[0].json).toEqual({
				requestUuid: bed.sim.data.thinkletTriggers[0].requestUuid,
				workflowUuid: workflowUuid('#software_install_approval'),
				executionUuid: execution,
			});
			expect(bed.sim.data.workflowExecutions[0].status).toBe('success');
		});

		it('sends an empty parameters object when there are none (the body is required)', async () => {
			await bed.run(approve(randomUUID()));
			expect(bed.requests('workflow.thinklet')[0].body).toEqual({ parameters: {} });
		});

		it.each([
			[
				'a workflow NQL ID instead of its UUID',
				{ workflowUuid: byId('#software_install_approval') },
				/^Workflow: "#software_install_approval" is not a UUID$/,
			],
			[
				'an execution that is no UUID',
				{ executionUuid: 'exec-1' },
				/^Execution UUID: "exec-1" is not a UUID$/,
			],
			[
				'an empty parameter value',
				withParameters({ approved: '' }),
				/^Event Parameters: "approved" has an empty value$/,
			],
		])('rejects %s before any request', async (_case, fields, message) => {
			const error = await failureOf(bed.run({ ...approve(randomUUID()), ...fields }));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(message);
			expect(bed.sim.log).toHaveLength(0);
		});

		it('never retries after a 500', async () => {
			bed.sim.inject('workflow.thinklet', { type: 'status', status: 500 });
			const error = await failureOf(bed.run(approve(randomUUID())));

			expect(error.description).toMatch(/not retried/);
			expect(bed.requests('workflow.thinklet')).toHaveLength(1);
		});
	});

	describe('Get Executions', () => {
		it('runs the saved query with the request UUID and returns one item per execution', async () => {
			const d = devices();
			const [[started]] = await bed.run(
				trigger('#restart_service', { devices: `${d[0].collectorUid},${d[1].collectorUid}` }),
			);

			const [out] = await bed.run(
				workflow('getExecutions', { requestUuid: '={{ $json.requestUuid }}' }),
				[started],
			);

			const [call] = bed.requests('nql.execute.v2');
			expect(call.body).toEqual({
				queryId: '#workflow_executions',
				parameters: { request_id: started.json.requestUuid },
			});
			expect(out).toHaveLength(2);
			expect(out.map((item) => item.json['workflow.executions.execution_id'])).toEqual(
				started.json.executionsUuids,
			);
			expect(out[0].json['device.collector.uid']).toBe(d[0].collectorUid);
			expect(out.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
			expect(bed.hints).toEqual([]);
		});

		it('summarises a request, even one with no execution yet, and says when there are none', async () => {
			const [[started]] = await bed.run(
				trigger('#software_install_approval', { devices: devices()[0].collectorUid }),
			);
			const unknown = randomUUID();

			const [summary] = await bed.run(
				workflow('getExecutions', { requestUuid: '={{ $json.id }}', output: 'summary' }),
				[{ json: { id: started.json.requestUuid } }, { json: { id: unknown } }],
			);
			const [rows] = await bed.run(workflow('getExecutions', { requestUuid: unknown }));

			expect(summary.map((item) => item.json.executionCount)).toEqual([1, 0]);
			expect(summary[0].json.statusCounts).toEqual({ waiting: 1 });
			expect(summary[1]).toEqual({
				json: { requestUuid: unknown, executionCount: 0, statusCounts: {}, executions: [] },
				pairedItem: { item: 1 },
			});
			expect(rows).toEqual([]);
			expect(bed.hints.map((hint) => hint.message)).toEqual([
				expect.stringContaining(`No execution recorded yet for request ${unknown}`),
			]);
		});

		it('uses the query and parameter names given', async () => {
			const uuid = randomUUID();
			await bed.run(
				workflow('getExecutions', {
					requestUuid: uuid,
					queryId: '#remote_action_executions',
					requestIdParameter: '$request_id',
				}),
			);
			expect(bed.requests('nql.execute.v2')[0].body).toEqual({
				queryId: '#remote_action_executions',
				parameters: { request_id: uuid },
			});
		});

		it('rejects a request ID that is no UUID before any request', async () => {
			const error = await failureOf(
				bed.run(workflow('getExecutions', { requestUuid: '#restart_service' })),
			);

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('Request UUID: "#restart_service" is not a UUID');
			expect(bed.sim.log).toHaveLength(0);
		});

		it('says how to create the saved query when it is missing', async () => {
			const error = await failureOf(
				bed.run(
					workflow('getExecutions', { requestUuid: randomUUID(), queryId: '#my_executions' }),
				),
			);

			expect((error as NodeApiError).httpCode).toBe('404');
			expect(error.description).toMatch(/Administration > NQL API queries/);
			expect(error.description).toMatch(/workflow\.executions \| where request_id == \$request_id/);
		});
		it('shows under Query ID that the prefilled query must be created, with the NQL it runs', () => {
			const queryId = new Nexthink().description.properties.find(
				(property) =>
					property.name === 'queryId' &&
					property.displayOptions?.show?.operation?.includes('getExecutions'),
			);
			const saved = findQuery('#workflow_executions');

			expect(queryId?.default).toBe('#workflow_executions');
			expect(queryId?.hint).toMatch(
				/^Nexthink has no such query until you create it: Administration > NQL API queries > New, Query ID #workflow_executions, NQL <code>/,
			);
			expect(queryId?.hint).toContain(`<code>${saved?.nql}</code>`);
		});

		it('points a 400 for the request UUID placeholder to Request ID Parameter', async () => {
			const error = await failureOf(
				bed.run(
					workflow('getExecutions', { requestUuid: randomUUID(), requestIdParameter: 'request' }),
				),
			);

			expect((error as NodeApiError).httpCode).toBe('400');
			expect(error.message).toContain("Missing value for parameter(s) 'request_id'");
			expect(error.description).toMatch(
				/one parameter, the request UUID, named as Request ID Parameter says: set it to the \$placeholder/,
			);
		});
	});

	describe('list search', () => {
		const search = async (method: string, filter?: string, paginationToken?: string) =>
			await listSearch({
				nodeType: new Nexthink(),
				method,
				filter,
				paginationToken,
				credentials: { store: bed.store, type: 'nexthinkApi', id: bed.credentialId },
			});
		/** Every page, as the editor loads them while the user scrolls. */
		const allPages = async (method: string, filter?: string) => {
			const results = [];
			let token: string | undefined;
			do {
				const page = await search(method, filter, token);
				results.push(...page.results);
				token = page.paginationToken as string | undefined;
			} while (token);
			return results;
		};

		it('offers only active, API-enabled workflows for Trigger, searchable by name or ID', async () => {
			const all = await search('searchApiWorkflows');
			const byName = await search('searchApiWorkflows', 'diagnos');
			const byNqlId = await search('searchApiWorkflows', '#onboard');

			expect(all.results.map((r) => r.value).sort()).toEqual([
				'#device_diagnostics',
				'#onboard_new_user',
				'#restart_service',
				'#software_install_approval',
				'#tenant_health_check',
				'lab_workflow',
			]);
			expect(byName.results).toEqual([
				{
					name: 'Device diagnostics (#device_diagnostics)',
					value: '#device_diagnostics',
					description: 'Collects disk, memory and network diagnostics from a device.',
				},
			]);
			expect(byNqlId.results.map((r) => r.value)).toEqual(['#onboard_new_user']);
			// Each search: triggerMethod=API and the four dependencies the spec requires one of.
			expect(bed.requests('workflow.list').map((call) => call.query)).toEqual(
				[1, 2, 3].flatMap(() =>
					['USER', 'DEVICE', 'USER_AND_DEVICE', 'NONE'].map((dependency) => ({
						dependency,
						triggerMethod: 'API',
						fetchOnlyActiveWorkflows: 'true',
					})),
				),
			);
		});

		it('offers every workflow for Get, marking those Trigger cannot start', async () => {
			const results = await allPages('searchWorkflows');

			expect(results).toHaveLength(bed.sim.data.workflows.length);
			expect(results.find((r) => r.value === '#legacy_vpn_reset')!.name).toBe(
				'Legacy VPN reset (#legacy_vpn_reset) [inactive]',
			);
			expect(results.find((r) => r.value === '#disk_cleanup_scheduled')!.name).toMatch(
				/\[no API trigger\]$/,
			);
		});

		it('offers each workflow by its ID exactly as Nexthink lists it, and Trigger sends that', async () => {
			const { results } = await search('searchApiWorkflows', 'lab');
			const [chosen] = results;
			await bed.run(
				workflow('trigger', {
					workflowId: fromList(chosen.value as string),
					devices: devices()[0].collectorUid,
				}),
			);
			const fromGet = await allPages('searchWorkflows', 'lab');

			expect(results).toEqual([
				{
					name: 'Lab workflow (lab_workflow)',
					value: 'lab_workflow',
					description: 'A lab workflow whose NQL ID Nexthink lists without a leading #.',
				},
			]);
			expect(fromGet.map((r) => r.value)).toEqual(['lab_workflow']);
			const [call] = bed.requests('workflow.execute.v1');
			expect([call.status, (call.body as IDataObject).workflowId]).toEqual([200, 'lab_workflow']);
		});

		it('pages the Get list by trigger method, API first, 4 calls a page, each workflow once', async () => {
			const first = await search('searchWorkflows');
			const firstCalls = bed.requests('workflow.list').length;
			const second = await search('searchWorkflows', undefined, first.paginationToken as string);
			bed.reset();
			const found = await search('searchWorkflows', 'cleanup');

			expect(first.results.map((r) => r.value)).toEqual([
				'#device_diagnostics',
				'lab_workflow',
				'#legacy_vpn_reset',
				'#onboard_new_user',
				'#restart_service',
				'#software_install_approval',
				'#tenant_health_check',
			]);
			expect(first.paginationToken).toBe('1');
			expect(firstCalls).toBe(4);
			// Manual and Manual (Multiple Instances) add nothing new here, so the page goes on to Scheduler.
			expect(second).toEqual({
				results: [expect.objectContaining({ value: '#disk_cleanup_scheduled' })],
			});
			expect(found.results.map((r) => r.value)).toEqual(['#disk_cleanup_scheduled']);
			expect(bed.requests('workflow.list').map((c) => c.query.triggerMethod)).toEqual(
				['API', 'MANUAL', 'MANUAL_MULTIPLE', 'SCHEDULER'].flatMap((m) => [m, m, m, m]),
			);
		});

		it('offers workflows by UUID for Trigger Wait-for-Event', async () => {
			const { results } = await search('searchWorkflowUuids', 'approval');
			expect(results.map((r) => r.value)).toEqual([workflowUuid('#software_install_approval')]);
		});
	});
});

describe('Workflow, with the answer shapes of live tenants and the Go SDK', () => {
	let bed: NexthinkTestbed;
	beforeAll(async () => {
		bed = await nexthinkTestbed({
			workflowDetailsShape: 'object',
			thinkletResponseShape: 'object',
		});
	});
	afterAll(async () => {
		await bed.close();
	});

	it('Get reads a single object', async () => {
		const [out] = await bed.run(workflow('get', { workflowId: byId('#restart_service') }));
		expect(out).toHaveLength(1);
		expect(out[0].json.id).toBe('#restart_service');
	});

	it('Get names a workflow Nexthink refuses with 400 (the spec declares no 404)', async () => {
		const error = await failureOf(bed.run(workflow('get', { workflowId: byId('#nope') })));

		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('400');
		expect(error.message).toContain("'#nope'");
		expect(error.description).toMatch(
			/^In Workflow, check the NQL ID #nope .*pick the workflow from the list/,
		);
	});

	it('Trigger Wait-for-Event reads {requestUuid}', async () => {
		const [out] = await bed.run(
			workflow('triggerWaitForEvent', {
				workflowUuid: byId(bed.sim.data.workflows[0].uuid),
				executionUuid: randomUUID(),
			}),
		);
		expect(out[0].json.requestUuid).toBe(bed.sim.data.thinkletTriggers[0].requestUuid);
	});
});
