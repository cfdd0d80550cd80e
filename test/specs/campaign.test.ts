import { NodeApiError, NodeOperationError, type INodeExecutionData } from 'n8n-workflow';

import { NOT_IN_ANSWER } from '../../nodes/Nexthink/api/campaigns';
import { USER_NOT_FOUND } from '../simulator';
import { nexthinkTestbed, type NexthinkTestbed } from '../support/nexthink';

const triggerParams = (extra: Record<string, unknown> = {}) => ({
	resource: 'campaign',
	operation: 'trigger',
	campaignNqlId: '#general_survey',
	userSids: '={{ $json.sid }}',
	expiresInMinutes: 1440,
	...extra,
});

/** A SID of the right shape that the simulator's seed does not know. */
const unknownSid = (n: number) => `S-1-5-21-1111111111-2222222222-3333333333-${900000 + n}`;

interface TriggerBody {
	campaignNqlId: string;
	userSid: string[];
	expiresInMinutes: number;
	parameters?: Record<string, string>;
}

describe('Campaign', () => {
	let bed: NexthinkTestbed;
	let sids: string[];

	beforeAll(async () => {
		bed = await nexthinkTestbed();
		sids = bed.sim.data.users.slice(0, 50).map((user) => user.sid);
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	const userItems = (count: number): INodeExecutionData[] =>
		sids.slice(0, count).map((sid) => ({ json: { sid } }));
	const bodies = () => bed.requests('campaign.trigger').map((call) => call.body as TriggerBody);

	describe('Trigger', () => {
		it('sends one request per item with the campaign, expiry and parameters', async () => {
			const [out] = await bed.run(
				triggerParams({
					campaignNqlId: '#it_satisfaction_survey',
					expiresInMinutes: 60,
					parameters: {
						parameter: [
							{ name: 'ticket_number', value: '={{ "INC" + $itemIndex }}' },
							{ name: 'agent_name', value: 'Jane' },
						],
					},
				}),
				userItems(2),
			);

			expect(bodies()).toEqual([
				{
					campaignNqlId: '#it_satisfaction_survey',
					userSid: [sids[0]],
					expiresInMinutes: 60,
					parameters: { ticket_number: 'INC0', agent_name: 'Jane' },
				},
				{
					campaignNqlId: '#it_satisfaction_survey',
					userSid: [sids[1]],
					expiresInMinutes: 60,
					parameters: { ticket_number: 'INC1', agent_name: 'Jane' },
				},
			]);
			expect(out).toHaveLength(2);
			expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(out[0].json).toMatchObject({
				campaignNqlId: '#it_satisfaction_survey',
				expiresInMinutes: 60,
				requested: 1,
				created: 1,
				notCreated: 0,
				usersWithoutRequest: [],
			});
			const [request] = out[0].json.requests as Array<{ userSid: string; requestId: string }>;
			expect(request.userSid).toBe(sids[0]);
			expect(bed.sim.data.campaignRequests.map((r) => r.requestId)).toContain(request.requestId);
		});

		it('shows the users Nexthink made no request for, and sends each SID once', async () => {
			const list = [sids[0], unknownSid(1), sids[1].toLowerCase(), sids[0], unknownSid(2)];
			const [out] = await bed.run(triggerParams({ userSids: list.join('\n') }));

			expect(bodies()[0].userSid).toEqual([sids[0], unknownSid(1), sids[1], unknownSid(2)]);
			expect(out).toHaveLength(1);
			expect(out[0].json).toMatchObject({ requested: 4, created: 2, notCreated: 2 });
			expect(out[0].json.usersWithoutRequest).toEqual([
				{ userSid: unknownSid(1), message: USER_NOT_FOUND },
				{ userSid: unknownSid(2), message: USER_NOT_FOUND },
			]);
			expect(out[0].json.requests).toHaveLength(4);
			expect(bed.sim.data.campaignRequests.map((r) => r.userSid).sort()).toEqual(
				[sids[0], sids[1]].sort(),
			);
		});

		it('outputs one item per user, paired with the items that named the user', async () => {
			const input: INodeExecutionData[] = [
				{ json: { sid: [sids[0], sids[1]] } },
				{ json: { sid: `${sids[1]}, ${unknownSid(7)}` } },
				{ json: { sid: sids[2] } },
			];
			const [out] = await bed.run(
				triggerParams({ options: { combineItems: true, output: 'user' } }),
				input,
			);

			expect(bed.requests('campaign.trigger')).toHaveLength(1);
			expect(out.map((item) => item.json.userSid)).toEqual([
				sids[0],
				sids[1],
				unknownSid(7),
				sids[2],
			]);
			expect(out.map((item) => item.pairedItem)).toEqual([
				{ item: 0 },
				[{ item: 0 }, { item: 1 }],
				{ item: 1 },
				{ item: 2 },
			]);
			expect(out[0].json).toMatchObject({
				campaignNqlId: '#general_survey',
				created: true,
				expiresInMinutes: 1440,
			});
			expect(out[0].json.requestId).toMatch(/^[0-9a-f-]{36}$/);
			expect(out[2].json).toMatchObject({ created: false, message: USER_NOT_FOUND });
			expect(out[2].json.requestId).toBeUndefined();
		});

		it('combines 12,000 SIDs from 12 items into 2 requests of at most 10,000', async () => {
			const many = Array.from({ length: 12_000 }, (_, n) => unknownSid(n));
			const input = Array.from({ length: 12 }, (_, i) => ({
				json: { sid: many.slice(i * 1000, (i + 1) * 1000) },
			}));
			const [out] = await bed.run(triggerParams({ options: { combineItems: true } }), input);

			const sizes = bodies().map((body) => body.userSid.length);
			expect(sizes.sort((a, b) => b - a)).toEqual([10_000, 2_000]);
			expect(new Set(bodies().flatMap((body) => body.userSid)).size).toBe(12_000);
			expect(out.map((item) => item.json.requested)).toEqual([10_000, 2_000]);
			expect(out.map((item) => item.json.notCreated)).toEqual([10_000, 2_000]);
			expect(out[0].pairedItem).toEqual(Array.from({ length: 10 }, (_, item) => ({ item })));
			expect(out[1].pairedItem).toEqual([{ item: 10 }, { item: 11 }]);
		});

		it('keeps items with other parameters or expiry in their own request when combining', async () => {
			const input = userItems(4).map((item, index) => ({
				json: { ...item.json, minutes: index < 3 ? 60 : 120 },
			}));
			const [out] = await bed.run(
				triggerParams({
					expiresInMinutes: '={{ $json.minutes }}',
					options: { combineItems: true },
				}),
				input,
			);

			const sent = bodies().map((body) => [body.expiresInMinutes, body.userSid.length]);
			expect(sent.sort()).toEqual([
				[120, 1],
				[60, 3],
			]);
			expect(out.map((item) => item.pairedItem)).toEqual([
				[{ item: 0 }, { item: 1 }, { item: 2 }],
				{ item: 3 },
			]);
		});

		it.each([
			[
				{ userSids: `${'S-1-5-21-1-2-3-1001'}\nalice@example.com` },
				'User SIDs: entry 2 of 2, "alice@example.com", is not a User SID',
			],
			[{ userSids: '' }, 'User SIDs: no user SID is given'],
			[
				{ campaignNqlId: 'general survey' },
				'Campaign NQL ID: "general survey" is not a valid NQL ID',
			],
			[{ expiresInMinutes: 0 }, 'Expires in Minutes: 0 is out of range'],
			[{ expiresInMinutes: 525_601 }, 'Expires in Minutes: 525601 is out of range'],
			[
				{
					parameters: {
						parameter: Array.from({ length: 31 }, (_, i) => ({ name: `p${i}`, value: 'x' })),
					},
				},
				'Campaign Parameters: 31 parameters are given',
			],
		])('rejects %p before any request', async (extra, message) => {
			const error = (await bed
				.run(triggerParams({ userSids: sids[0], ...extra }))
				.catch((e: unknown) => e)) as NodeOperationError;

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(message);
			expect(error.description).toBeTruthy();
			expect(bed.sim.log).toHaveLength(0);
		});

		it('sends a campaign NQL ID without # exactly as given, and keeps Nexthink\'s "not found"', async () => {
			const error = (await bed
				.run(triggerParams({ campaignNqlId: 'general_survey', userSids: sids[0] }))
				.catch((e: unknown) => e)) as NodeApiError;

			expect(bodies().map((body) => body.campaignNqlId)).toEqual(['general_survey']);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('400');
			expect(error.message).toContain('[SIMULATOR_CAMPAIGN_NOT_FOUND]');
			expect(error.description).toMatch(/usually starts with #/);
			expect(bed.sim.data.campaignRequests).toHaveLength(0);
		});

		it.each([
			['#quarterly_pulse', 'INVALID_CAMPAIGN_TRIGGER_TYPE', /set its trigger to API/],
			['#it_satisfaction_survey', 'SIMULATOR_INVALID_PARAMETERS', /must name every parameter ID/],
			['#old_feedback', 'SIMULATOR_CAMPAIGN_NOT_PUBLISHED', /Publish the campaign/],
		])("keeps Nexthink's code for %s (%s), with the fix", async (campaignNqlId, code, fix) => {
			const error = (await bed
				.run(triggerParams({ campaignNqlId, userSids: sids[0] }))
				.catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('400');
			expect(error.message).toContain(`[${code}]`);
			expect(error.description).toMatch(fix);
			expect(bed.requests('campaign.trigger')).toHaveLength(1);
		});

		it('answers a 400 whose code Nexthink does not document with every cause the docs name', async () => {
			bed.sim.inject('campaign.trigger', {
				type: 'status',
				status: 400,
				body: { code: 'SOMETHING_NEW', message: 'Request could not be processed' },
			});
			const error = (await bed
				.run(triggerParams({ userSids: sids[0] }))
				.catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toContain('Request could not be processed');
			expect(error.message).toContain('[SOMETHING_NEW]');
			for (const cause of [
				/usually starts with #/,
				/Publish the campaign/,
				/trigger is API/,
				/every parameter ID/,
			])
				expect(error.description).toMatch(cause);
		});

		it('reports a user that Nexthink left out of its answer instead of dropping it', async () => {
			bed.sim.inject('campaign.trigger', {
				type: 'status',
				status: 200,
				body: { requests: [{ userSid: sids[0], requestId: 'r-1' }] },
			});
			const [out] = await bed.run(
				triggerParams({ userSids: [sids[0], sids[1]], options: { output: 'user' } }),
			);

			expect(out.map((item) => item.json)).toEqual([
				expect.objectContaining({ userSid: sids[0], created: true, requestId: 'r-1' }),
				expect.objectContaining({ userSid: sids[1], created: false, message: NOT_IN_ANSWER }),
			]);
		});

		it('does not repeat the trigger after a 500, and says so', async () => {
			bed.sim.inject('campaign.trigger', { type: 'status', status: 500 });
			const error = (await bed
				.run(triggerParams(), userItems(1))
				.catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(bed.requests('campaign.trigger')).toHaveLength(1);
			expect(error.description).toMatch(/not retried automatically/);
		});

		it('routes a bad item and a failed request to the error output, paired with their items', async () => {
			bed.sim.inject('campaign.trigger', { type: 'status', status: 403 });
			const input = [...userItems(2), { json: { sid: 'not-a-sid' } }];
			const { main } = await bed.runInWorkflow(
				triggerParams({ options: { concurrency: 1, combineItems: false } }),
				input,
				'continueErrorOutput',
			);

			const [success, errors] = main;
			expect(success).toHaveLength(1);
			expect(success[0].json.created).toBe(1);
			expect(success[0].pairedItem).toEqual({ item: 1 });
			expect(errors).toHaveLength(2);
			expect(errors[0].json.error).toMatch(/Permission missing for Campaign Trigger \(403\)/);
			expect(errors[0].json.sid).toBe(sids[0]);
			expect(errors[0].pairedItem).toEqual({ item: 0 });
			expect(errors[1].json.error).toMatch(/"not-a-sid", is not a User SID/);
			expect(errors[1].pairedItem).toEqual({ item: 2 });
		});
	});
});
