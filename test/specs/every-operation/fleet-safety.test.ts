/**
 * What a user relies on when a run that triggers things in Nexthink fails half-way: nothing
 * Nexthink accepted is hidden, nothing is sent after the first failure (unless Continue On Fail),
 * and with Continue On Fail each failed request is an error item of exactly its own items.
 */
import { randomUUID } from 'node:crypto';

import {
	NodeApiError,
	type IDataObject,
	type INodeExecutionData,
	type INodeParameters,
	sleep,
} from 'n8n-workflow';

import { nexthinkTestbed, type NexthinkTestbed } from '../../support/nexthink';

const locator = (value: string) => ({ __rl: true, mode: 'id', value });

interface RunReport {
	accepted: Array<{ inputItems: number[]; targets: string[]; results: IDataObject[] }>;
	failed: Array<{ inputItems: number[]; targets: string[]; error: string; mayHaveRun: boolean }>;
	notSent: Array<{ inputItems: number[]; targets: string[] }>;
}

const reportOf = (error: NodeApiError) => error.context.nexthinkRun as unknown as RunReport;

describe('Fleet safety', () => {
	let bed: NexthinkTestbed;
	let collectors: string[];

	beforeAll(async () => {
		bed = await nexthinkTestbed();
		collectors = bed.sim.data.devices.map((device) => device.collectorUid);
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	const remoteAction = (extra: INodeParameters = {}, options: IDataObject = {}) => ({
		resource: 'remoteAction',
		operation: 'execute',
		remoteActionId: locator('={{ $json.action ?? "#clear_browser_cache" }}'),
		devices: '={{ $json.devices }}',
		inputs: { mappingMode: 'defineBelow', value: { browser: 'firefox' } },
		options: { combineItems: true, ...options },
		...extra,
	});
	const sentBodies = (status?: number) =>
		bed
			.requests('remoteAction.execute')
			.filter((call) => status === undefined || call.status === status)
			.map((call) => call.body as { devices: string[] });
	const failureOf = async (run: Promise<unknown>) =>
		(await run.then(
			() => {
				throw new Error('the run succeeded');
			},
			(error: unknown) => error,
		)) as NodeApiError;

	describe('a failed chunk of a combined remote action never hides the accepted ones', () => {
		// 25,000 devices in one item: 3 requests (10,000 + 10,000 + 5,000), sent at once.
		const fleet = () =>
			Array.from({ length: 25_000 }, (_, i) =>
				i < collectors.length ? collectors[i] : randomUUID(),
			);

		it('without Continue On Fail, the error names every accepted request and the failed one', async () => {
			// The second request to arrive gets a 500; which chunk that is depends on timing.
			bed.sim.inject('remoteAction.execute', { type: 'slow', delayMs: 0 });
			bed.sim.inject('remoteAction.execute', { type: 'status', status: 500 });

			const error = await failureOf(bed.run(remoteAction(), [{ json: { devices: fleet() } }]));

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('500');
			const accepted = sentBodies(200);
			const failed = sentBodies(500);
			expect(failed).toHaveLength(1);
			expect(accepted).toHaveLength(2);
			const acceptedCount = accepted.reduce((sum, body) => sum + body.devices.length, 0);
			expect(acceptedCount).toBe(25_000 - failed[0].devices.length);

			const report = reportOf(error);
			const requestIds = new Set(
				bed.sim.data.remoteActionExecutions.map((execution) => execution.requestId),
			);
			expect(report.accepted).toHaveLength(2);
			expect(new Set(report.accepted.map((entry) => entry.results[0].requestId))).toEqual(
				requestIds,
			);
			expect(report.accepted.flatMap((entry) => entry.targets).sort()).toEqual(
				accepted.flatMap((body) => body.devices).sort(),
			);
			expect(report.failed).toEqual([
				expect.objectContaining({ inputItems: [0], targets: failed[0].devices, mayHaveRun: true }),
			]);
			expect(report.notSent).toEqual([]);
			for (const id of requestIds) expect(error.description).toContain(id);
			expect(error.description).toMatch(
				/Nexthink accepted 2 requests \(\d[\d,]* devices, item 0\)/,
			);
			expect(error.description).toMatch(/Failed, and may still have run in Nexthink: 1 request/);
			// What the error workflow reads: n8n serialises the error's context.
			expect(JSON.parse(JSON.stringify(error)).context.nexthinkRun.accepted).toHaveLength(2);
		});

		it('with Continue On Fail, the failed request is one error item with exactly its own items and devices', async () => {
			// 30 items of one device each, 10 devices per request: each request has its own 10 items.
			const items: INodeExecutionData[] = collectors
				.slice(0, 30)
				.map((device) => ({ json: { devices: device } }));
			bed.sim.inject('remoteAction.execute', { type: 'slow', delayMs: 0 });
			bed.sim.inject('remoteAction.execute', { type: 'status', status: 500 });

			const [out] = await bed.run(remoteAction({}, { batchSize: 10 }), items, {
				onError: 'continueRegularOutput',
			});

			const failed = sentBodies(500);
			expect(failed).toHaveLength(1);
			expect(out).toHaveLength(3);
			const errorItems = out.filter((item) => item.json.error !== undefined);
			expect(errorItems).toHaveLength(1);
			const failedItems = failed[0].devices.map((device) => collectors.indexOf(device));
			expect(errorItems[0].pairedItem).toEqual(failedItems.map((item) => ({ item })));
			expect((errorItems[0].json.details as IDataObject).targets).toEqual(failed[0].devices);
			expect((errorItems[0].json.details as IDataObject).mayHaveRun).toBe(true);
			const accepted = out.filter((item) => item.json.requestId);
			expect(accepted).toHaveLength(2);
			for (const item of accepted) {
				const devices = item.json.devices as string[];
				expect(item.pairedItem).toEqual(devices.map((d) => ({ item: collectors.indexOf(d) })));
			}
		});
	});

	describe('per item, no request starts after the first failure', () => {
		const items = (count: number, failing: number): INodeExecutionData[] =>
			collectors.slice(0, count).map((device, index) => ({
				json: { devices: device, action: index === failing ? '#does_not_exist' : undefined },
			}));
		const sentItems = () => sentBodies().map((body) => collectors.indexOf(body.devices[0]));

		it.each([1, 2])('with concurrency %i, item 2 failing stops the run', async (concurrency) => {
			const error = await failureOf(
				bed.run(remoteAction({}, { combineItems: false, concurrency }), items(20, 2)),
			);

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.context.itemIndex).toBe(2);
			const sent = sentItems();
			// Item 2 failed; at most the item in flight beside it (concurrency 2) went out too.
			expect(sent).toEqual(expect.arrayContaining([0, 1, 2]));
			expect(Math.max(...sent)).toBeLessThanOrEqual(concurrency === 1 ? 2 : 3);
			const report = reportOf(error);
			expect(
				report.accepted
					.map((entry) => entry.inputItems)
					.flat()
					.sort((a, b) => a - b),
			).toEqual(sent.filter((item) => item !== 2).sort((a, b) => a - b));
			expect(report.notSent.flatMap((entry) => entry.inputItems)).toEqual(
				Array.from({ length: 20 }, (_, i) => i).filter((i) => !sent.includes(i)),
			);
			expect(report.failed).toEqual([
				expect.objectContaining({ inputItems: [2], mayHaveRun: false }),
			]);
			expect(error.description).toMatch(
				/Refused by Nexthink, nothing ran: 1 request \(1 device, item 2\)/,
			);
			expect(error.description).toMatch(/Not sent: \d+ requests/);
		});

		it('with Continue On Fail, every item runs and only item 2 is an error', async () => {
			const [out] = await bed.run(remoteAction({}, { combineItems: false }), items(6, 2), {
				onError: 'continueRegularOutput',
			});

			expect(sentItems().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
			expect(out.map((item) => item.pairedItem)).toEqual(
				[0, 1, 2, 3, 4, 5].map((item) => ({ item })),
			);
			expect(out.map((item) => item.json.error !== undefined)).toEqual([
				false,
				false,
				true,
				false,
				false,
				false,
			]);
		});
	});

	describe('Workflow Trigger, Campaign Trigger and Wait-for-Event report what ran', () => {
		it('Workflow Trigger: the error lists the request UUIDs Nexthink accepted', async () => {
			const devices = bed.sim.data.devices.slice(0, 3).map((device) => device.collectorUid);
			bed.sim.inject('workflow.execute.v1', { type: 'slow', delayMs: 0 });
			bed.sim.inject('workflow.execute.v1', { type: 'status', status: 503 });

			const error = await failureOf(
				bed.run(
					{
						resource: 'workflow',
						operation: 'trigger',
						workflowId: locator('#restart_service'),
						devices: '={{ $json.device }}',
						parameters: { parameter: [{ name: 'service_name', value: 'Spooler' }] },
						options: { concurrency: 1, combineItems: false },
					},
					devices.map((device) => ({ json: { device } })),
				),
			);

			expect(error.httpCode).toBe('503');
			expect(error.context.itemIndex).toBe(1);
			const accepted = bed.sim.data.workflowExecutions.map((execution) => execution.requestUuid);
			expect(new Set(accepted).size).toBe(1);
			expect(error.description).toContain(accepted[0]);
			const report = reportOf(error);
			expect(report.accepted.map((entry) => entry.inputItems)).toEqual([[0]]);
			expect(report.notSent.map((entry) => entry.inputItems)).toEqual([[2]]);
			expect(bed.requests('workflow.execute.v1')).toHaveLength(2);
		});

		it('Campaign Trigger: an accepted request before a failure is in the error', async () => {
			const sids = bed.sim.data.users.slice(0, 4).map((user) => user.sid);
			bed.sim.inject('campaign.trigger', { type: 'slow', delayMs: 0 });
			bed.sim.inject('campaign.trigger', { type: 'drop' });

			const error = await failureOf(
				bed.run(
					{
						resource: 'campaign',
						operation: 'trigger',
						campaignNqlId: '#general_survey',
						userSids: '={{ $json.sid }}',
						expiresInMinutes: 60,
						options: { concurrency: 1, combineItems: false },
					},
					sids.map((sid) => ({ json: { sid } })),
				),
			);

			expect(error.context.itemIndex).toBe(1);
			const report = reportOf(error);
			expect(report.accepted.map((entry) => entry.targets)).toEqual([[sids[0]]]);
			expect(report.failed).toEqual([
				expect.objectContaining({ inputItems: [1], targets: [sids[1]], mayHaveRun: true }),
			]);
			expect(report.notSent.map((entry) => entry.inputItems)).toEqual([[2], [3]]);
			expect(bed.requests('campaign.trigger')).toHaveLength(2);
		});

		it('Wait-for-Event: items after the failure are not sent', async () => {
			const workflow = bed.sim.data.workflows.find((w) => w.id === '#software_install_approval')!;
			const [started] = await bed.run({
				resource: 'workflow',
				operation: 'trigger',
				workflowId: locator('#software_install_approval'),
				devices: bed.sim.data.devices
					.slice(0, 3)
					.map((device) => device.collectorUid)
					.join(','),
				users: bed.sim.data.users
					.slice(0, 3)
					.map((user) => user.sid)
					.join(','),
				parameters: { parameter: [{ name: 'software_name', value: 'Zoom' }] },
			});
			const executions = started[0].json.executionsUuids as string[];
			bed.reset();
			bed.sim.inject('workflow.thinklet', { type: 'slow', delayMs: 0 });
			bed.sim.inject('workflow.thinklet', { type: 'status', status: 500 });

			const error = await failureOf(
				bed.run(
					{
						resource: 'workflow',
						operation: 'triggerWaitForEvent',
						workflowUuid: { __rl: true, mode: 'id', value: workflow.uuid },
						executionUuid: '={{ $json.execution }}',
						parameters: { parameter: [{ name: 'approved', value: 'yes' }] },
						options: { concurrency: 1 },
					},
					executions.map((execution) => ({ json: { execution } })),
				),
			);

			expect(error.context.itemIndex).toBe(1);
			expect(bed.requests('workflow.thinklet')).toHaveLength(2);
			expect(reportOf(error).notSent.map((entry) => entry.inputItems)).toEqual(
				executions.slice(2).map((_, i) => [i + 2]),
			);
		});
	});
	describe('a cancel stops the run between requests and says what ran', () => {
		it('no request starts after the cancel; the error lists what Nexthink accepted', async () => {
			const devices = collectors.slice(0, 10);
			bed.sim.inject('remoteAction.execute', { type: 'slow', delayMs: 150 }, 10);
			const controller = new AbortController();
			const started = Date.now();
			const run = failureOf(
				bed.run(
					remoteAction({}, { combineItems: false, concurrency: 1 }),
					devices.map((device) => ({ json: { devices: device } })),
					{ signal: controller.signal },
				),
			);
			await sleep(400);
			controller.abort();
			const cancelledAt = Date.now();
			const error = await run;
			const sentAtCancel = bed.requests('remoteAction.execute').length;

			expect(Date.now() - cancelledAt).toBeLessThan(1000);
			expect(Date.now() - started).toBeLessThan(1500);
			expect(error.message).toBe('The execution was cancelled');
			await sleep(300);
			expect(bed.requests('remoteAction.execute')).toHaveLength(sentAtCancel);
			const report = reportOf(error);
			const accounted = [...report.accepted, ...report.failed, ...report.notSent].flatMap(
				(entry) => entry.inputItems,
			);
			expect(accounted.sort((a, b) => a - b)).toEqual(devices.map((_, i) => i));
			expect(report.notSent.length).toBeGreaterThan(0);
			expect(report.accepted.length).toBeGreaterThan(0);
		});
	});
});
