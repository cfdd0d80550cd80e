import { randomUUID } from 'node:crypto';

import { NodeApiError, NodeOperationError, type INodeExecutionData } from 'n8n-workflow';

import { Nexthink } from '../../nodes/Nexthink/Nexthink.node';
import { listSearch, resourceMapping } from '../harness';
import { findQuery } from '../simulator/data/queries';
import { nexthinkTestbed, type NexthinkTestbed } from '../support/nexthink';

const locator = (value: string, mode = 'list') => ({ __rl: true, mode, value });

const executeParams = (extra: Record<string, unknown> = {}) => ({
	resource: 'remoteAction',
	operation: 'execute',
	remoteActionId: locator('#clear_browser_cache'),
	devices: '={{ $json.collector }}',
	inputs: { mappingMode: 'defineBelow', value: { browser: 'firefox' } },
	...extra,
});

describe('Remote Action', () => {
	let bed: NexthinkTestbed;
	let collectors: string[];

	beforeAll(async () => {
		bed = await nexthinkTestbed();
		collectors = bed.sim.data.devices.slice(0, 600).map((device) => device.collectorUid);
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	const deviceItems = (count: number): INodeExecutionData[] =>
		collectors.slice(0, count).map((collector) => ({ json: { collector } }));

	describe('Execute', () => {
		it('runs one request per item with Combine Items off, with the inputs and trigger info', async () => {
			const [out] = await bed.run(
				executeParams({
					options: {
						combineItems: false,
						expiresInMinutes: 120,
						externalSource: 'ServiceNow',
						reason: 'Browser hangs',
						externalReference: 'INC1',
					},
				}),
				deviceItems(3),
			);

			const calls = bed.requests('remoteAction.execute');
			expect(calls).toHaveLength(3);
			expect(calls[0].body).toEqual({
				remoteActionId: '#clear_browser_cache',
				params: { browser: 'firefox' },
				devices: [collectors[0]],
				expiresInMinutes: 120,
				triggerInfo: {
					externalSource: 'ServiceNow',
					reason: 'Browser hangs',
					externalReference: 'INC1',
				},
			});
			expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(out[0].json).toMatchObject({
				remoteActionId: '#clear_browser_cache',
				deviceCount: 1,
				expiresInMinutes: 120,
			});
			expect(out[0].json.requestId).toMatch(/^[0-9a-f-]{36}$/);
			expect(
				bed.sim.data.remoteActionExecutions.filter((e) => e.requestId === out[0].json.requestId),
			).toHaveLength(1);
		});

		it('sends no expiry unless asked, and shows none where Nexthink names none', async () => {
			const [out] = await bed.run(executeParams(), deviceItems(1));

			expect(bed.requests('remoteAction.execute')[0].body).not.toHaveProperty('expiresInMinutes');
			// The docs give no default expiry: the simulator answers without one, and the node invents none.
			expect(out[0].json).toMatchObject({ requestId: expect.any(String), expiresInMinutes: null });
		});

		it('combines 500 items into one request, paired with every item', async () => {
			const [out] = await bed.run(
				executeParams({ options: { combineItems: true } }),
				deviceItems(500),
			);

			const calls = bed.requests('remoteAction.execute');
			expect(calls).toHaveLength(1);
			expect((calls[0].body as { devices: string[] }).devices).toHaveLength(500);
			expect(out).toHaveLength(1);
			expect(out[0].json.deviceCount).toBe(500);
			expect(out[0].pairedItem).toEqual(Array.from({ length: 500 }, (_, item) => ({ item })));
		});

		it('splits 25,000 devices into requests of at most 10,000 and returns them together', async () => {
			const many = Array.from({ length: 25_000 }, () => randomUUID());
			const [out] = await bed.run(executeParams({ devices: many.join('\n') }));

			const sizes = bed
				.requests('remoteAction.execute')
				.map((c) => (c.body as { devices: string[] }).devices.length);
			expect(sizes.sort((a, b) => b - a)).toEqual([10_000, 10_000, 5_000]); // sent concurrently
			const sent = bed
				.requests('remoteAction.execute')
				.flatMap((c) => (c.body as { devices: string[] }).devices);
			expect(new Set(sent).size).toBe(25_000);
			expect(out.map((item) => item.json.deviceCount)).toEqual([10_000, 10_000, 5_000]);
			expect(out.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		});

		it('outputs one item per input item, each with its request ID and own devices, on request', async () => {
			const input = [
				{ json: { collector: collectors[0] } },
				{ json: { collector: [collectors[1], collectors[2], collectors[3]] } },
				{ json: { collector: [collectors[0], collectors[4]] } },
			];
			const [out] = await bed.run(
				executeParams({ options: { output: 'inputItem', batchSize: 3 } }),
				input,
			);

			// Five distinct devices in requests of three: two requests, items 1 and 2 span both.
			const sent = bed
				.requests('remoteAction.execute')
				.map((call) => call.body as { devices: string[] });
			expect(sent.map((body) => body.devices).sort()).toEqual(
				[collectors.slice(0, 3), [collectors[3], collectors[4]]].sort(),
			);
			const requestOf = (device: string) =>
				bed.sim.data.remoteActionExecutions.find((e) => e.deviceCollectorUid === device)?.requestId;
			const [first, second] = [requestOf(collectors[0]), requestOf(collectors[3])];
			expect(first).not.toEqual(second);
			expect(out.map((item) => [item.pairedItem, item.json.requestId, item.json.devices])).toEqual([
				[{ item: 0 }, first, [collectors[0]]],
				[{ item: 1 }, first, [collectors[1], collectors[2]]],
				[{ item: 1 }, second, [collectors[3]]],
				[{ item: 2 }, first, [collectors[0]]],
				[{ item: 2 }, second, [collectors[4]]],
			]);
			expect(out[1].json).toMatchObject({ remoteActionId: '#clear_browser_cache', deviceCount: 2 });
		});

		it('keeps items with different inputs in separate requests when combining', async () => {
			const input = deviceItems(4).map((item, index) => ({
				json: { ...item.json, browser: index % 2 ? 'edge' : 'chrome' },
			}));
			const [out] = await bed.run(
				executeParams({
					inputs: { mappingMode: 'defineBelow', value: { browser: '={{ $json.browser }}' } },
					options: { combineItems: true, batchSize: 1 },
				}),
				input,
			);

			const calls = bed
				.requests('remoteAction.execute')
				.map((c) => c.body as { params: { browser: string }; devices: string[] });
			expect(calls.map((c) => c.params.browser).sort()).toEqual([
				'chrome',
				'chrome',
				'edge',
				'edge',
			]);
			expect(out.map((item) => item.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
				{ item: 2 },
				{ item: 3 },
			]);
		});

		it('rejects a device that is not a collector UUID, naming it, before any request', async () => {
			const error = (await bed
				.run(executeParams({ devices: `${collectors[0]}, LAPTOP-00042` }))
				.catch((e: unknown) => e)) as NodeOperationError;

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(
				'Devices (Collector UUIDs): entry 2, "LAPTOP-00042", is not a Collector UUID',
			);
			expect(bed.sim.log).toHaveLength(0);
		});

		it('sends a remote action NQL ID without # exactly as given', async () => {
			const error = (await bed
				.run(executeParams({ remoteActionId: locator('ExampleRA', 'id') }), deviceItems(1))
				.catch((e: unknown) => e)) as NodeApiError;

			expect(bed.requests('remoteAction.execute').map((call) => call.body)).toEqual([
				expect.objectContaining({ remoteActionId: 'ExampleRA', devices: [collectors[0]] }),
			]);
			// The simulator knows only #… IDs: the "not found" is Nexthink's, not the node's.
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('400');
			expect(error.message).toContain('REMOTE_ACTION_NOT_FOUND');
		});

		it("lets the editor take any NQL ID without spaces, and says Nexthink's start with #", () => {
			const field = new Nexthink().description.properties.find(
				(property) =>
					property.name === 'remoteActionId' &&
					property.displayOptions?.show?.operation?.includes('execute'),
			);
			const byId = field?.modes?.find((mode) => mode.name === 'id');
			const [rule] = (byId?.validation ?? []) as unknown as Array<{
				properties: { regex: string; errorMessage: string };
			}>;
			const regex = new RegExp(rule.properties.regex);

			const taken = (ids: string[]) => ids.filter((id) => regex.test(id));
			expect(taken(['ExampleRA', '#clear_browser_cache', ' #clear_browser_cache '])).toHaveLength(
				3,
			);
			expect(taken(['clear browser cache', '', ' '])).toEqual([]);
			expect(rule.properties.errorMessage).toMatch(/usually starts with #/);
		});

		it.each([
			[{ expiresInMinutes: 30 }, /^Expires in Minutes: 30 is out of range/],
			[{ reason: 'x'.repeat(501) }, /^Reason: it has 501 characters/],
		])('checks options %p before any request', async (options, message) => {
			const error = (await bed
				.run(executeParams({ options }), deviceItems(1))
				.catch((e: unknown) => e)) as Error;
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(message);
			expect(bed.sim.log).toHaveLength(0);
		});

		it('does not repeat the trigger after a 500, and says so', async () => {
			bed.sim.inject('remoteAction.execute', { type: 'status', status: 500 });
			const error = (await bed
				.run(executeParams(), deviceItems(1))
				.catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(bed.requests('remoteAction.execute')).toHaveLength(1);
			expect(error.description).toMatch(/not retried automatically/);
		});

		it('retries the trigger after a 429: Nexthink did not process it', async () => {
			bed.sim.inject('remoteAction.execute', { type: 'rateLimit', retryAfter: 0 });
			const [out] = await bed.run(executeParams(), deviceItems(1));

			expect(bed.requests('remoteAction.execute').map((c) => c.status)).toEqual([429, 200]);
			expect(out[0].json.requestId).toBeDefined();
		});

		it('sends Additional Inputs for a remote action chosen by expression', async () => {
			await bed.run(
				executeParams({
					remoteActionId: locator('={{ "#restart_service" }}', 'id'),
					inputs: { mappingMode: 'defineBelow', value: null },
					additionalInputs: { parameter: [{ name: 'ServiceName', value: 'Spooler' }] },
				}),
				[
					{
						json: {
							collector: bed.sim.data.devices.find((d) => d.osPlatform === 'Windows')!.collectorUid,
						},
					},
				],
			);
			expect(bed.requests('remoteAction.execute')[0].body).toMatchObject({
				remoteActionId: '#restart_service',
				params: { ServiceName: 'Spooler' },
			});
		});

		// What is the same for every item is read and checked once per execution (readOnce): the
		// results must be those of reading it per item.
		it('groups by a remote action ID that differs per item, as when each item was read on its own', async () => {
			const ids = ['#clear_browser_cache', '#get_disk_space', '#clear_browser_cache'];
			const input = deviceItems(3).map((item, n) => ({ json: { ...item.json, id: ids[n] } }));
			const [out] = await bed.run(
				executeParams({
					remoteActionId: locator('={{ $json.id }}', 'id'),
					inputs: { mappingMode: 'defineBelow', value: {} },
					options: { combineItems: true },
				}),
				input,
			);

			const calls = bed.requests('remoteAction.execute');
			expect(calls.map((call) => call.body)).toEqual(
				expect.arrayContaining([
					{
						remoteActionId: '#clear_browser_cache',
						params: {},
						devices: [collectors[0], collectors[2]],
					},
					{ remoteActionId: '#get_disk_space', params: {}, devices: [collectors[1]] },
				]),
			);
			expect(calls).toHaveLength(2);
			expect(out.map((item) => item.pairedItem)).toEqual([[{ item: 0 }, { item: 2 }], { item: 1 }]);
		});

		it('a field the same for every item that is invalid fails each item with its own error', async () => {
			const [out] = await bed.run(
				executeParams({ remoteActionId: locator('#clear browser cache', 'id') }),
				deviceItems(3),
				{ onError: 'continueRegularOutput' },
			);

			expect(bed.requests('remoteAction.execute')).toHaveLength(0);
			expect(out).toHaveLength(3);
			out.forEach((item, n) => {
				expect(item.json.error).toMatch(/Remote Action/);
				expect(item.pairedItem).toEqual({ item: n });
			});
		});

		it('fails only the request that failed with Continue On Fail, paired with its items', async () => {
			const input = [...deviceItems(2), { json: { collector: 'not-a-uuid' } }];
			bed.sim.inject('remoteAction.execute', { type: 'status', status: 403 });
			const [out] = await bed.run(executeParams({ options: { combineItems: false } }), input, {
				onError: 'continueRegularOutput',
			});

			expect(out).toHaveLength(3);
			expect(out[0].json.error).toMatch(/Permission missing for Remote Action Execute \(403\)/);
			expect(out[0].pairedItem).toEqual({ item: 0 });
			expect(out[1].json.requestId).toBeDefined();
			expect(out[2].json.error).toMatch(/is not a Collector UUID/);
			expect(out[2].pairedItem).toEqual({ item: 2 });
		});

		it("offers the chosen remote action's inputs as fields, with its options as a dropdown", async () => {
			const fields = await resourceMapping({
				nodeType: new Nexthink(),
				method: 'getRemoteActionInputs',
				parameters: {
					resource: 'remoteAction',
					operation: 'execute',
					remoteActionId: locator('#set_service_start_type'),
				},
				credentials: { store: bed.store, type: 'nexthinkApi', id: bed.credentialId },
			});

			expect(fields.fields.map((f) => f.id)).toEqual([
				'StartType',
				'StatusChange',
				'SetStartTypeTo',
			]);
			expect(fields.fields[0]).toMatchObject({
				type: 'options',
				options: [
					{ name: 'Automatic', value: 'Automatic' },
					{ name: 'Manual', value: 'Manual' },
					{ name: 'Disabled', value: 'Disabled' },
				],
			});
		});

		describe('the inputs section says why it shows no inputs for a remote action given by ID', () => {
			const inputsOf = async (id: string) =>
				await resourceMapping({
					nodeType: new Nexthink(),
					method: 'getRemoteActionInputs',
					parameters: {
						resource: 'remoteAction',
						operation: 'execute',
						remoteActionId: locator(id, 'id'),
					},
					credentials: { store: bed.store, type: 'nexthinkApi', id: bed.credentialId },
				});

			it('an ID no remote action has (404): no API-enabled remote action has it', async () => {
				const answer = await inputsOf('#does_not_exist');

				expect(answer.fields).toEqual([]);
				expect(answer.emptyFieldsNotice).toMatch(
					/^No API-enabled remote action has the NQL ID #does_not_exist\. Pick the remote action from the list/,
				);
				expect(
					bed.requests('remoteAction.details').map((call) => [call.query['nql-id'], call.status]),
				).toEqual([['#does_not_exist', 404]]);
			});

			it('a credential without the permission (403): the permission to tick', async () => {
				bed.sim.inject('remoteAction.details', { type: 'status', status: 403 });

				const answer = await inputsOf('#set_service_start_type');

				expect(answer.fields).toEqual([]);
				expect(answer.emptyFieldsNotice).toMatch(/^Permission missing for .*\(403\)/);
				expect(answer.emptyFieldsNotice).toContain(
					'Tick "Remote Actions API" on the API credential under Administration > API credentials',
				);
			});

			it('a remote action the API may not run: that it is not enabled for API use', async () => {
				const legacy = bed.sim.data.remoteActions.find((action) => !action.targeting.apiEnabled);
				if (!legacy) throw new Error('The simulator seeds no remote action without API use');

				const answer = await inputsOf(legacy.id);

				expect(answer.fields).toEqual([]);
				expect(answer.emptyFieldsNotice).toBe(
					`${legacy.name} (${legacy.id}) is not enabled for API use, so Execute cannot run it. Tick "API" on its General tab in Nexthink, or pick one from the list, which shows only those the API may run.`,
				);
			});

			it('nothing chosen yet: choose one first', async () => {
				const answer = await inputsOf('');

				expect(answer.emptyFieldsNotice).toBe(
					'Choose a remote action first: its inputs show up here.',
				);
				expect(bed.sim.log).toHaveLength(0);
			});
		});

		it('points a 400 for an input the remote action does not take to Inputs and Additional Inputs', async () => {
			const error = (await bed
				.run(
					executeParams({
						additionalInputs: { parameter: [{ name: 'NoSuchInput', value: 'x' }] },
					}),
					deviceItems(1),
				)
				.catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('400');
			expect(error.message).toMatch(
				/^Nexthink rejected Remote Action Execute \(400\): Unknown parameter 'NoSuchInput'/,
			);
			expect(error.description).toMatch(/^Check Inputs and Additional Inputs: /);
		});

		it('lists only API-enabled remote actions for Execute, filtered by the search text', async () => {
			const all = await listSearch({
				nodeType: new Nexthink(),
				method: 'searchApiRemoteActions',
				credentials: { store: bed.store, type: 'nexthinkApi', id: bed.credentialId },
			});
			const ids = all.results.map((r) => r.value);
			expect(ids).toContain('#clear_browser_cache');
			expect(ids).not.toContain('#legacy_inventory');

			const found = await listSearch({
				nodeType: new Nexthink(),
				method: 'searchApiRemoteActions',
				filter: 'browser',
				credentials: { store: bed.store, type: 'nexthinkApi', id: bed.credentialId },
			});
			expect(found.results.map((r) => r.value)).toEqual(['#clear_browser_cache']);
		});
	});

	describe('Get Many', () => {
		it('returns simplified remote actions up to the limit', async () => {
			const [out] = await bed.run({ resource: 'remoteAction', operation: 'getMany', limit: 3 });
			expect(out).toHaveLength(3);
			expect(Object.keys(out[0].json).sort()).toEqual(
				[
					'apiEnabled',
					'description',
					'hasScriptMacOs',
					'hasScriptWindows',
					'id',
					'inputs',
					'name',
					'purpose',
					'uuid',
				].sort(),
			);
		});

		it('filters by platform and API use, and returns all raw objects on request', async () => {
			const [out] = await bed.run({
				resource: 'remoteAction',
				operation: 'getMany',
				returnAll: true,
				simplify: false,
				filters: { hasScriptMacOs: true, apiEnabledOnly: true },
			});
			expect(bed.requests('remoteAction.list')[0].query).toMatchObject({ hasScriptMacOs: 'true' });
			expect(out.length).toBeGreaterThan(0);
			for (const item of out) {
				const action = item.json as {
					scriptInfo: { hasScriptMacOs: boolean };
					targeting: { apiEnabled: boolean };
				};
				expect(action.scriptInfo.hasScriptMacOs).toBe(true);
				expect(action.targeting.apiEnabled).toBe(true);
			}
		});
	});

	describe('Get', () => {
		it('gets one remote action by NQL ID, with nql-id in the query', async () => {
			const [out] = await bed.run({
				resource: 'remoteAction',
				operation: 'get',
				remoteActionId: locator('#get_disk_space', 'id'),
			});
			expect(bed.requests('remoteAction.details')[0].query).toEqual({
				'nql-id': '#get_disk_space',
			});
			expect(out[0].json.id).toBe('#get_disk_space');
		});

		it('asks for an NQL ID without # exactly as given', async () => {
			const error = (await bed
				.run({
					resource: 'remoteAction',
					operation: 'get',
					remoteActionId: locator('get_disk_space', 'id'),
				})
				.catch((e: unknown) => e)) as NodeApiError;

			expect(bed.requests('remoteAction.details').map((call) => call.query)).toEqual([
				{ 'nql-id': 'get_disk_space' },
			]);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('404');
			expect(error.description).toMatch(/usually starts with #/);
		});

		it('says which remote action does not exist', async () => {
			const error = (await bed
				.run({ resource: 'remoteAction', operation: 'get', remoteActionId: locator('#nope', 'id') })
				.catch((e: unknown) => e)) as NodeApiError;
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('404');
			expect(error.description).toContain('#nope');
		});
	});

	describe('Get Executions', () => {
		const getExecutions = (extra: Record<string, unknown> = {}) => ({
			resource: 'remoteAction',
			operation: 'getExecutions',
			requestId: '={{ $json.requestId }}',
			...extra,
		});

		it('runs the saved query with the request ID and returns one item per execution, as Workflow > Get Executions does', async () => {
			const [[started]] = await bed.run(
				executeParams({ options: { combineItems: true } }),
				deviceItems(2),
			);

			const [out] = await bed.run(getExecutions(), [started]);

			expect(bed.requests('nql.execute.v2')[0].body).toEqual({
				queryId: '#remote_action_executions',
				parameters: { request_id: started.json.requestId },
			});
			expect(out.map((item) => item.json['device.collector.uid'])).toEqual(collectors.slice(0, 2));
			expect(out[0].json).toMatchObject({
				'remote_action.executions.request_id': started.json.requestId,
				'remote_action.nql_id': '#clear_browser_cache',
			});
			expect(out.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
			expect(bed.hints).toEqual([]);
		});

		it('summarises a request, even one with no execution yet, and says when there are none', async () => {
			const [[started]] = await bed.run(executeParams(), deviceItems(1));
			const unknown = randomUUID();

			const [summary] = await bed.run(
				getExecutions({ requestId: '={{ $json.id }}', output: 'summary' }),
				[{ json: { id: started.json.requestId } }, { json: { id: unknown } }],
			);
			const [rows] = await bed.run(getExecutions({ requestId: unknown }));

			expect(summary.map((item) => item.json.executionCount)).toEqual([1, 0]);
			expect(Object.keys(summary[0].json.statusCounts as object)).toHaveLength(1);
			expect(summary[1]).toEqual({
				json: { requestId: unknown, executionCount: 0, statusCounts: {}, executions: [] },
				pairedItem: { item: 1 },
			});
			expect(rows).toEqual([]);
			expect(bed.hints.map((hint) => hint.message)).toEqual([
				expect.stringContaining(`No execution recorded yet for request ${unknown}`),
			]);
		});

		it('shows executions still pending while the devices have not run them', async () => {
			bed.sim.setExecutionTimings({ pendingMs: 60_000, inProgressMs: 0 });
			const [[started]] = await bed.run(executeParams(), deviceItems(1));

			const [[summary]] = await bed.run(getExecutions({ output: 'summary' }), [started]);

			expect(summary.json.statusCounts).toEqual({ pending: 1 });
		});

		it('uses the query and parameter names given', async () => {
			const uuid = randomUUID();
			await bed.run(
				getExecutions({
					requestId: uuid,
					queryId: '#workflow_executions',
					requestIdParameter: '$request_id',
				}),
			);
			expect(bed.requests('nql.execute.v2')[0].body).toEqual({
				queryId: '#workflow_executions',
				parameters: { request_id: uuid },
			});
		});

		it('rejects a request ID that is no UUID before any request', async () => {
			const error = (await bed
				.run(getExecutions({ requestId: '#clear_browser_cache' }))
				.catch((e: unknown) => e)) as NodeOperationError;

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('Request ID: "#clear_browser_cache" is not a UUID');
			expect(error.description).toContain('the requestId that Remote Action > Execute returned');
			expect(bed.sim.log).toHaveLength(0);
		});

		it('says how to create the saved query when it is missing', async () => {
			const error = (await bed
				.run(getExecutions({ requestId: randomUUID(), queryId: '#my_executions' }))
				.catch((e: unknown) => e)) as NodeApiError;

			expect(error.httpCode).toBe('404');
			expect(error.description).toMatch(/Administration > NQL API queries/);
			expect(error.description).toMatch(
				/remote_action\.executions \| where request_id == \$request_id/,
			);
		});

		it('shows under Query ID that the prefilled query must be created, with the NQL it runs', () => {
			const queryId = new Nexthink().description.properties.find(
				(property) =>
					property.name === 'queryId' &&
					property.displayOptions?.show?.resource?.includes('remoteAction') &&
					property.displayOptions?.show?.operation?.includes('getExecutions'),
			);

			expect(queryId?.default).toBe('#remote_action_executions');
			expect(queryId?.hint).toMatch(
				/^Nexthink has no such query until you create it: Administration > NQL API queries > New, Query ID #remote_action_executions, NQL <code>/,
			);
			expect(queryId?.hint).toContain(
				`<code>${findQuery('#remote_action_executions')?.nql}</code>`,
			);
		});

		it('points a 400 for the request ID placeholder to Request ID Parameter', async () => {
			const error = (await bed
				.run(getExecutions({ requestId: randomUUID(), requestIdParameter: 'request' }))
				.catch((e: unknown) => e)) as NodeApiError;

			expect(error.httpCode).toBe('400');
			expect(error.message).toContain("Missing value for parameter(s) 'request_id'");
			expect(error.description).toMatch(
				/one parameter, the request ID, named as Request ID Parameter says: set it to the \$placeholder/,
			);
		});
	});
});
