/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test: timers play the user's Cancel and time the waits */
/**
 * Options > Wait for Outcome of Remote Action > Execute and Workflow > Trigger: after the trigger,
 * the node follows the executions through the saved NQL query until all are final or the
 * time-out, and returns one item per execution. The simulator's executions go pending →
 * in_progress → final at the pace each test sets (sim.setExecutionTimings).
 */
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type INodeProperties,
} from 'n8n-workflow';

import { Nexthink } from '../../nodes/Nexthink/Nexthink.node';
import { isCancellation } from '../../nodes/Nexthink/transport/cancel';
import { findQuery } from '../simulator/data/queries';
import type { Device } from '../simulator';
import { nexthinkTestbed, type NexthinkTestbed } from '../support/nexthink';

const NO_REQUEST = '00000000-0000-0000-0000-000000000000';

const locator = (value: string) => ({ __rl: true, mode: 'id', value });

const remoteAction = (id: string, options: IDataObject = {}) => ({
	resource: 'remoteAction',
	operation: 'execute',
	remoteActionId: locator(id),
	devices: '={{ $json.devices }}',
	options: { waitForOutcome: true, outcomePollInterval: 1, ...options },
});

const workflowTrigger = (id: string, options: IDataObject = {}) => ({
	resource: 'workflow',
	operation: 'trigger',
	workflowId: locator(id),
	devices: '={{ $json.devices }}',
	options: { waitForOutcome: true, outcomePollInterval: 1, ...options },
});

const failureOf = async (promise: Promise<unknown>) =>
	(await promise.then(
		() => undefined,
		(error: unknown) => error,
	)) as NodeApiError | NodeOperationError;

const pairs = (pairedItem: unknown) =>
	(Array.isArray(pairedItem) ? pairedItem : [pairedItem]).map(
		(paired) => (paired as { item: number }).item,
	);

describe('Wait for Outcome', () => {
	let bed: NexthinkTestbed;
	const byPlatform = (platform: Device['osPlatform'], count: number) =>
		bed.sim.data.devices.filter((device) => device.osPlatform === platform).slice(0, count);
	/** Bodies of the outcome query's calls, the check before the trigger first. */
	const outcomeCalls = () =>
		bed.requests('nql.execute.v2').map((entry) => entry.body as IDataObject);

	beforeAll(async () => {
		bed = await nexthinkTestbed({ exportTimings: { submittedMs: 0, inProgressMs: 0 } });
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	it('is an option of Workflow Trigger and Remote Action Execute, its settings shown only while it is on', () => {
		const options = new Nexthink().description.properties.filter(
			(property) =>
				property.name === 'options' &&
				property.displayOptions?.show?.operation?.some(
					(op) => op === 'trigger' || op === 'execute',
				),
		);
		const byResource = Object.fromEntries(
			options.map((property) => [
				String(property.displayOptions?.show?.resource?.[0]),
				property.options as INodeProperties[],
			]),
		);

		for (const [resource, queryId] of [
			['workflow', '#workflow_executions'],
			['remoteAction', '#remote_action_executions'],
		]) {
			const fields = byResource[resource];
			const wait = fields.find((field) => field.name === 'waitForOutcome');
			expect(wait).toMatchObject({ type: 'boolean', default: false });
			// The hint gives the saved query to create, with the very NQL the simulator runs.
			expect(wait?.hint).toContain(
				`Query ID ${queryId}, NQL <code>${findQuery(queryId)?.nql}</code>`,
			);
			for (const name of [
				'outcomeQueryId',
				'outcomeRequestIdParameter',
				'outcomeTimeout',
				'outcomePollInterval',
			])
				expect(fields.find((field) => field.name === name)?.displayOptions).toEqual({
					show: { waitForOutcome: [true] },
				});
			expect(fields.find((field) => field.name === 'outcomeQueryId')?.default).toBe(queryId);
		}
		expect(byResource.campaign?.some((field) => field.name === 'waitForOutcome')).toBeFalsy();
	});

	describe('Remote Action > Execute', () => {
		it('follows the executions over several polls until every one is final: one item per device, paired with the item that named it', async () => {
			bed.sim.setExecutionTimings({ pendingMs: 1000, inProgressMs: 1000 });
			const [win1, win2] = byPlatform('Windows', 2);
			const [mac] = byPlatform('macOS', 1);
			const started = Date.now();

			const [out] = await bed.run(remoteAction('#restart_service', { combineItems: true }), [
				{ json: { devices: [win1.collectorUid, mac.collectorUid] } },
				{ json: { devices: [win2.collectorUid] } },
			]);

			const [trigger] = bed.requests('remoteAction.execute');
			expect(bed.requests('remoteAction.execute')).toHaveLength(1);
			const requestId = bed.sim.data.remoteActionExecutions[0].requestId;
			const calls = outcomeCalls();
			// The check before the trigger, then at least three looks: pending, in progress, final.
			expect(calls[0]).toEqual({
				queryId: '#remote_action_executions',
				parameters: { request_id: NO_REQUEST },
			});
			expect(calls.length).toBeGreaterThanOrEqual(4);
			for (const call of calls.slice(1))
				expect(call).toEqual({
					queryId: '#remote_action_executions',
					parameters: { request_id: requestId },
				});
			expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
			expect(Date.parse(bed.requests('nql.execute.v2')[1].at)).toBeGreaterThanOrEqual(
				Date.parse(trigger.at),
			);

			expect(out.map((item) => item.json.device)).toEqual([
				{ collectorUid: win1.collectorUid, name: win1.name },
				{ collectorUid: mac.collectorUid, name: mac.name },
				{ collectorUid: win2.collectorUid, name: win2.name },
			]);
			expect(out.map((item) => pairs(item.pairedItem))).toEqual([[0], [0], [1]]);
			expect(out.map((item) => [item.json.status, item.json.finished, item.json.timedOut])).toEqual(
				[
					['success', true, false],
					['failure', true, false],
					['success', true, false],
				],
			);
			expect(out[0].json).toMatchObject({
				requestId,
				remoteActionId: '#restart_service',
				statusDetails: 'Execution completed',
				outputs: { ServiceStatus: 'OK' },
			});
			expect(out[1].json).toMatchObject({ statusDetails: 'No script for macOS', outputs: {} });
			expect(Object.keys(out[0].json.times as IDataObject)).toEqual(['request_time']);
			expect((out[0].json.execution as IDataObject)['remote_action.executions.status']).toBe(
				'success',
			);
			expect(bed.hints).toEqual([]);
		});

		it('marks what has not finished at the time-out, and says so', async () => {
			bed.sim.setExecutionTimings({ pendingMs: 0, inProgressMs: 60_000 });
			const [device] = byPlatform('Windows', 1);
			const started = Date.now();

			const [out] = await bed.run(remoteAction('#get_disk_space', { outcomeTimeout: 2 }), [
				{ json: { devices: device.collectorUid } },
			]);

			expect(Date.now() - started).toBeLessThan(6000);
			expect(out).toHaveLength(1);
			expect(out[0].json).toMatchObject({
				status: 'in_progress',
				finished: false,
				timedOut: true,
				statusDetails: 'Running on the device',
				device: { collectorUid: device.collectorUid },
			});
			expect(outcomeCalls().length).toBeGreaterThanOrEqual(3);
			expect(bed.hints.map((hint) => hint.message)).toEqual([
				expect.stringMatching(
					/^Wait for Outcome stopped at its time-out \(2 s\): 1 execution of 1 request had not finished, and come out with finished: false/,
				),
			]);
		});

		it('a cancel stops the wait within a second, and the error says what Nexthink accepted', async () => {
			bed.sim.setExecutionTimings({ pendingMs: 60_000, inProgressMs: 0 });
			const [device] = byPlatform('Windows', 1);
			const controller = new AbortController();
			let cancelledAt = 0;
			const watcher = setInterval(() => {
				// Cancelled while it waits for the next poll (30 s away).
				if (outcomeCalls().length < 2 || cancelledAt) return;
				cancelledAt = Date.now();
				controller.abort();
			}, 20);

			const error = await failureOf(
				bed.run(
					remoteAction('#get_disk_space', { outcomePollInterval: 30 }),
					[{ json: { devices: device.collectorUid } }],
					{ signal: controller.signal },
				),
			);
			const sinceCancel = Date.now() - cancelledAt;
			clearInterval(watcher);

			expect(cancelledAt).toBeGreaterThan(0);
			expect(sinceCancel).toBeLessThan(1000);
			expect(isCancellation(error)).toBe(true);
			expect(error.message).toBe('The execution was cancelled');
			const requestId = bed.sim.data.remoteActionExecutions[0].requestId;
			expect(error.description).toContain(
				`Nexthink had accepted 1 request before it began: request ${requestId}`,
			);
			expect(error.description).toContain('running the node again would trigger it again');
			await sleep(1200);
			expect(outcomeCalls()).toHaveLength(2);
			expect(bed.requests('remoteAction.execute')).toHaveLength(1);
		});

		it('a saved query gone after the trigger: the error names every accepted request, and nothing is triggered again', async () => {
			const devices = byPlatform('Windows', 2);
			// The check before the trigger passes; the first look after it finds no query.
			bed.sim.inject('nql.execute.v2', { type: 'slow', delayMs: 0 });
			bed.sim.inject('nql.execute.v2', { type: 'status', status: 404 }, 2);

			const error = await failureOf(
				bed.run(
					remoteAction('#get_disk_space', { combineItems: false, concurrency: 1 }),
					devices.map((device) => ({ json: { devices: device.collectorUid } })),
				),
			);

			const requestIds = [...new Set(bed.sim.data.remoteActionExecutions.map((e) => e.requestId))];
			expect(requestIds).toHaveLength(2);
			expect(error).toBeInstanceOf(NodeApiError);
			expect((error as NodeApiError).httpCode).toBe('404');
			expect(error.description).toContain('Create it under Administration > NQL API queries');
			expect(error.description).toContain('Nexthink had accepted 2 requests before it began');
			for (const requestId of requestIds) expect(error.description).toContain(requestId);
			expect(error.description).toContain('Remote Action > Get Executions');
			const run = error.context.nexthinkRun as { accepted: IDataObject[] };
			expect(run.accepted.map((entry) => [entry.requestId, entry.inputItems])).toEqual([
				[requestIds[0], [0]],
				[requestIds[1], [1]],
			]);
			expect(bed.requests('remoteAction.execute')).toHaveLength(2);
		});

		it('with Continue On Fail, a failed wait still returns the accepted requests, each with an error item', async () => {
			const [device] = byPlatform('Windows', 1);
			bed.sim.inject('nql.execute.v2', { type: 'slow', delayMs: 0 });
			bed.sim.inject('nql.execute.v2', { type: 'status', status: 403 });

			const [out] = await bed.run(
				remoteAction('#get_disk_space'),
				[{ json: { devices: device.collectorUid } }],
				{ onError: 'continueRegularOutput' },
			);

			const requestId = bed.sim.data.remoteActionExecutions[0].requestId;
			expect(out).toHaveLength(2);
			expect(out[0].json).toMatchObject({ requestId, devices: [device.collectorUid] });
			expect(out[1].json.error).toMatch(/403/);
			expect(out[1].json.details).toMatchObject({ requestId, triggered: true });
			expect(out.map((item) => pairs(item.pairedItem))).toEqual([[0], [0]]);
			expect(bed.requests('remoteAction.execute')).toHaveLength(1);
		});

		it('a saved query that does not exist stops the run before anything is triggered', async () => {
			const [device] = byPlatform('Windows', 1);

			const error = await failureOf(
				bed.run(remoteAction('#get_disk_space', { outcomeQueryId: '#my_outcomes' }), [
					{ json: { devices: device.collectorUid } },
				]),
			);

			expect((error as NodeApiError).httpCode).toBe('404');
			expect(error.description).toContain('Nexthink has no saved NQL query #my_outcomes');
			expect(error.description).toContain(
				'remote_action.executions | where request_id == $request_id',
			);
			expect(error.description).toContain('Nothing was triggered');
			expect(bed.requests('remoteAction.execute')).toHaveLength(0);
		});

		it('sends the request ID under the parameter name given, and points a refused one to Outcome Request ID Parameter before the trigger', async () => {
			const [device] = byPlatform('Windows', 1);
			await bed.run(remoteAction('#get_disk_space', { outcomeRequestIdParameter: '$request_id' }), [
				{ json: { devices: device.collectorUid } },
			]);
			expect(outcomeCalls()[1].parameters).toEqual({
				request_id: bed.sim.data.remoteActionExecutions[0].requestId,
			});

			bed.reset();
			const error = await failureOf(
				bed.run(remoteAction('#get_disk_space', { outcomeRequestIdParameter: 'request' }), [
					{ json: { devices: device.collectorUid } },
				]),
			);
			expect(outcomeCalls()).toEqual([
				{ queryId: '#remote_action_executions', parameters: { request: NO_REQUEST } },
			]);
			expect((error as NodeApiError).httpCode).toBe('400');
			expect(error.description).toContain('named as Outcome Request ID Parameter says');
			expect(bed.requests('remoteAction.execute')).toHaveLength(0);
		});

		it.each([
			[{ outcomeQueryId: 'remote action executions' }, /^Outcome Query ID: /],
			[{ outcomeRequestIdParameter: 'request id' }, /^Outcome Request ID Parameter: /],
			[{ outcomeTimeout: 0 }, /^Outcome Time-Out \(Seconds\): "0" is out of range/],
			[
				{ outcomePollInterval: 'soon' },
				/^Outcome Poll Interval \(Seconds\): "soon" is out of range/,
			],
		])('refuses %p before any request', async (options, message) => {
			const error = await failureOf(
				bed.run(remoteAction('#get_disk_space', options), [
					{ json: { devices: byPlatform('Windows', 1)[0].collectorUid } },
				]),
			);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(message);
			expect(bed.sim.log.filter((entry) => entry.host === 'api')).toHaveLength(0);
		});

		it('follows a request of more than 1,000 devices through an export, one item per device', async () => {
			const devices = byPlatform('Windows', 1200);

			const [out] = await bed.run(remoteAction('#get_disk_space'), [
				{ json: { devices: devices.map((device) => device.collectorUid) } },
			]);

			expect(out).toHaveLength(1200);
			expect(out.every((item) => item.json.status === 'success' && item.json.finished)).toBe(true);
			expect(out.map((item) => (item.json.device as IDataObject).collectorUid)).toEqual(
				devices.map((device) => device.collectorUid),
			);
			// Exports give text: the outputs are as the CSV has them.
			expect(out[0].json.outputs).toMatchObject({ TotalSpaceGB: 512 });
			expect(outcomeCalls()).toHaveLength(1);
			expect(bed.requests('nql.export')).toHaveLength(1);
			expect(bed.requests('nql.export')[0].body).toEqual({
				queryId: '#remote_action_executions',
				parameters: { request_id: bed.sim.data.remoteActionExecutions[0].requestId },
			});
			expect(bed.hints.map((hint) => hint.message)).toEqual([
				expect.stringContaining('followed through NQL exports'),
			]);
		});

		it('an execution NQL has no row for yet comes out at the time-out with status null, by device', async () => {
			const devices = byPlatform('Windows', 2);

			// A query Nexthink answers for this request ID with no row at all (another table).
			const [out] = await bed.run(
				remoteAction('#get_disk_space', {
					outcomeQueryId: '#workflow_executions',
					outcomeTimeout: 1,
				}),
				[{ json: { devices: devices.map((device) => device.collectorUid) } }],
			);

			expect(out.map((item) => item.json)).toEqual(
				devices.map((device) => ({
					requestId: bed.sim.data.remoteActionExecutions[0].requestId,
					remoteActionId: '#get_disk_space',
					status: null,
					finished: false,
					timedOut: true,
					device: { collectorUid: device.collectorUid, name: null },
					statusDetails: null,
					outputs: null,
					times: {},
					execution: null,
				})),
			);
			expect(bed.hints[0].message).toContain('2 executions of 1 request had not finished');
		});

		it('with Output One Item per Input Item too, one item per execution, each paired with its own item', async () => {
			const [win1, win2] = byPlatform('Windows', 2);

			const [out] = await bed.run(
				remoteAction('#get_disk_space', { combineItems: true, output: 'inputItem' }),
				[{ json: { devices: win1.collectorUid } }, { json: { devices: win2.collectorUid } }],
			);

			expect(bed.requests('remoteAction.execute')).toHaveLength(1);
			expect(
				out.map((item) => [(item.json.device as IDataObject).collectorUid, pairs(item.pairedItem)]),
			).toEqual([
				[win1.collectorUid, [0]],
				[win2.collectorUid, [1]],
			]);
		});

		it('waits for nothing when the option is off', async () => {
			const [device] = byPlatform('Windows', 1);
			const [out] = await bed.run(
				{ ...remoteAction('#get_disk_space'), options: { waitForOutcome: false } },
				[{ json: { devices: device.collectorUid } }],
			);
			expect(out[0].json).toMatchObject({ deviceCount: 1, devices: [device.collectorUid] });
			expect(outcomeCalls()).toHaveLength(0);
		});
	});

	describe('Workflow > Trigger', () => {
		it('follows every execution by its ID; with Combine Items on, each is paired with the items that named its device', async () => {
			bed.sim.setExecutionTimings({ pendingMs: 500, inProgressMs: 500 });
			const [d0, d1, d2] = bed.sim.data.devices;

			const [out] = await bed.run(
				workflowTrigger('#device_diagnostics', {
					combineItems: true,
				}),
				[
					{ json: { devices: [d0.collectorUid] } },
					{ json: { devices: [d0.collectorUid, d1.collectorUid] } },
					{ json: { devices: [d2.collectorUid] } },
				],
			);

			const executions = bed.sim.data.workflowExecutions;
			expect(bed.requests('workflow.execute.v1')).toHaveLength(1);
			expect(outcomeCalls()[1]).toEqual({
				queryId: '#workflow_executions',
				parameters: { request_id: executions[0].requestUuid },
			});
			expect(out.map((item) => item.json.executionId)).toEqual(
				executions.map((e) => e.executionUuid),
			);
			expect(out.map((item) => (item.json.device as IDataObject).collectorUid)).toEqual([
				d0.collectorUid,
				d1.collectorUid,
				d2.collectorUid,
			]);
			expect(out.map((item) => pairs(item.pairedItem))).toEqual([[0, 1], [1], [2]]);
			expect(out[0].json).toMatchObject({
				requestUuid: executions[0].requestUuid,
				workflowId: '#device_diagnostics',
				status: 'success',
				finished: true,
				timedOut: false,
				user: { sid: executions[0].userSid },
			});
			expect(out[0].json.times).toEqual({ time: expect.any(String) });
		});

		it('a wait-for-event execution is not final: it comes out as waiting at the time-out', async () => {
			const [device] = bed.sim.data.devices;

			const [out] = await bed.run(
				workflowTrigger('#software_install_approval', { outcomeTimeout: 1 }),
				[{ json: { devices: device.collectorUid } }],
			);

			expect(out).toHaveLength(1);
			expect(out[0].json).toMatchObject({
				executionId: bed.sim.data.workflowExecutions[0].executionUuid,
				status: 'waiting',
				finished: false,
				timedOut: true,
			});
			expect(bed.hints[0].message).toContain('follow them with Workflow > Get Executions');
		});
	});
});
