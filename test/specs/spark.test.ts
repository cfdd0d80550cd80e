import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeParameters,
} from 'n8n-workflow';

import {
	allPermissionsBut,
	failureOf,
	nexthinkTestbed,
	type NexthinkTestbed,
} from '../support/nexthink';

const handoff = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'spark',
	operation: 'handoff',
	userPrincipalName: "={{ $json['user.upn'] }}",
	message: '={{ $json.text }}',
	...extra,
});

describe('Spark', () => {
	let bed: NexthinkTestbed;

	beforeAll(async () => {
		bed = await nexthinkTestbed();
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	/** One conversation per seeded user, as a chatbot's items would give them. */
	const conversations = (count: number): INodeExecutionData[] =>
		bed.sim.data.users.slice(0, count).map((user, n) => ({
			json: { 'user.upn': user.upn, text: `My VPN drops (ticket ${n})` },
		}));
	const calls = () => bed.requests('spark.handoff');
	const upnsSent = () => calls().map((call) => call.headers['user-principal-name']);

	describe('Handoff: one request per item', () => {
		it('hands each message to Spark with the user, time zone and metadata, and says so per item', async () => {
			const [out] = await bed.run(
				handoff({
					metadata: { parameter: [{ name: 'ticket', value: 'INC1' }] },
					options: { timezone: 'Europe/Zurich' },
				}),
				conversations(2),
			);

			const users = bed.sim.data.users.slice(0, 2);
			expect(calls()).toHaveLength(2);
			expect(calls().map((call) => [call.status, call.headers.timezone])).toEqual([
				[204, 'Europe/Zurich'],
				[204, 'Europe/Zurich'],
			]);
			expect(upnsSent().sort()).toEqual(users.map((user) => user.upn).sort());
			expect(
				calls().find((call) => call.headers['user-principal-name'] === users[0].upn)?.body,
			).toEqual({
				message: { parts: [{ type: 'TEXT', text: 'My VPN drops (ticket 0)' }] },
				metadata: { ticket: 'INC1' },
			});
			expect(out).toEqual(
				users.map((user, item) => ({
					json: {
						handedOff: true,
						userPrincipalName: user.upn,
						timezone: 'Europe/Zurich',
						attachments: 0,
					},
					pairedItem: { item },
				})),
			);
			expect(bed.sim.data.sparkHandoffs).toHaveLength(2);
		});

		it('sends neither Timezone nor metadata when none is given', async () => {
			await bed.run(handoff(), conversations(1));

			const [call] = calls();
			expect(call.headers).not.toHaveProperty('timezone');
			expect(call.body).toEqual({
				message: { parts: [{ type: 'TEXT', text: 'My VPN drops (ticket 0)' }] },
			});
		});

		it("sends the item's binary fields as files, base64 with their MIME type", async () => {
			const [item] = conversations(1);
			const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
			const [out] = await bed.run(handoff({ options: { attachments: 'screenshot, log' } }), [
				{
					...item,
					binary: {
						screenshot: { data: png.toString('base64'), mimeType: 'image/png', fileName: 's.png' },
						log: {
							data: Buffer.from('line 1\n').toString('base64'),
							mimeType: 'text/plain',
							fileName: 'vpn.log',
						},
					},
				},
			]);

			expect((calls()[0].body as { message: { parts: IDataObject[] } }).message.parts).toEqual([
				{ type: 'TEXT', text: 'My VPN drops (ticket 0)' },
				{ type: 'FILE', mimeType: 'image/png', fileContent: png.toString('base64') },
				{
					type: 'FILE',
					mimeType: 'text/plain',
					fileContent: Buffer.from('line 1\n').toString('base64'),
				},
			]);
			expect(out[0].json.attachments).toBe(2);
		});

		it.each<[string, INodeParameters, IDataObject, RegExp]>([
			[
				'a UPN that is none',
				{},
				{ 'user.upn': 'jane.doe', text: 'hi' },
				/^User Principal Name: "jane.doe" is not a User UPN$/,
			],
			['no UPN', {}, { text: 'hi' }, /^User Principal Name: it is empty$/],
			[
				'an empty message',
				{},
				{ 'user.upn': 'a@example.com', text: '  ' },
				/^Message: it is empty$/,
			],
			[
				'an unknown time zone',
				{ options: { timezone: '={{ $json.zone }}' } },
				{ 'user.upn': 'a@example.com', text: 'hi', zone: 'Mars/Olympus' },
				/^Timezone: "Mars\/Olympus" is not a time zone$/,
			],
			[
				'a binary field the item lacks',
				{ options: { attachments: '={{ $json.files }}' } },
				{ 'user.upn': 'a@example.com', text: 'hi', files: 'data' },
				/^Attachments \(Input Binary Fields\): the input item has no binary field "data"$/,
			],
		])('refuses %s before any request', async (_case, extra, json, message) => {
			const error = await failureOf(bed.run(handoff(extra), [...conversations(1), { json }]));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(message);
			expect(error.context.itemIndex).toBe(1);
			expect(calls()).toHaveLength(0);
		});
	});

	describe('Handoff: what Nexthink refuses', () => {
		it('without the Spark API permission (403): the permission to tick', async () => {
			bed.sim.setPermissions(allPermissionsBut('spark'));
			const error = await failureOf(bed.run(handoff(), conversations(1)));

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toMatch(/^Permission missing for Spark Handoff \(403\)/);
			expect(error.description).toMatch(/^Tick "Spark API" on the API credential/);
		});

		it('a user Nexthink does not know (404): names the user and where to find the UPN', async () => {
			const error = await failureOf(
				bed.run(handoff(), [{ json: { 'user.upn': 'ghost@example.com', text: 'hi' } }]),
			);

			expect(error.httpCode).toBe('404');
			expect(error.message).toBe(
				"Not found in Nexthink: Spark Handoff (404): User 'ghost@example.com' not found.",
			);
			expect(error.description).toMatch(
				/^Nexthink knows no user ghost@example.com for Spark: .*user\.upn in NQL/,
			);
		});

		it('a 400 (no body in this API): names every field that makes up the request', async () => {
			bed.sim.inject('spark.handoff', { type: 'status', status: 400 });
			const error = await failureOf(bed.run(handoff(), conversations(1)));

			expect(error.message).toBe('Nexthink rejected Spark Handoff (400)');
			expect(error.description).toMatch(
				/Check User Principal Name .*Message .*Attachments .*Metadata .*Timezone/,
			);
			expect(error.description).toMatch(
				/Refused by Nexthink, nothing ran: 1 request \(1 user, item 0\)/,
			);
		});

		it('waits out a 429 and hands off once', async () => {
			bed.sim.inject('spark.handoff', { type: 'rateLimit', retryAfter: 0 });
			const [out] = await bed.run(handoff(), conversations(1));

			expect(calls().map((call) => call.status)).toEqual([429, 204]);
			expect(out[0].json.handedOff).toBe(true);
		});
	});

	describe('Handoff: a 5xx half-way is never repeated and never hides the handoffs that went out', () => {
		const armSecond = (status: number) => {
			bed.sim.inject('spark.handoff', { type: 'slow', delayMs: 0 });
			bed.sim.inject('spark.handoff', { type: 'status', status });
		};
		const oneAtATime = handoff({ options: { concurrency: 1 } });

		it('without Continue On Fail: the 500 is sent once, item 2 not at all, and the error says which user got a handoff', async () => {
			armSecond(500);
			const error = await failureOf(bed.run(oneAtATime, conversations(3)));

			const users = bed.sim.data.users.slice(0, 3).map((user) => user.upn);
			expect(error.httpCode).toBe('500');
			expect(error.context.itemIndex).toBe(1);
			expect(calls().map((call) => [call.headers['user-principal-name'], call.status])).toEqual([
				[users[0], 204],
				[users[1], 500],
			]);
			expect(error.description).toMatch(/not retried automatically/);
			expect(error.description).toContain(
				`Nexthink accepted 1 request (1 user, item 0): the handoff for ${users[0]}.`,
			);
			expect(error.description).toMatch(
				/Failed, and may still have run in Nexthink: 1 request \(1 user, item 1\)/,
			);
			expect(error.description).toMatch(/Not sent: 1 request \(1 user, item 2\)/);
		});

		it('with Continue On Fail: every item is sent, and only item 1 is an error item, paired with it alone', async () => {
			armSecond(502);
			const [out] = await bed.run(oneAtATime, conversations(3), {
				onError: 'continueRegularOutput',
			});

			expect(calls().map((call) => call.status)).toEqual([204, 502, 204]);
			expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(out.map((item) => item.json.handedOff ?? false)).toEqual([true, false, true]);
			expect(out[1].json.error).toMatch(/^Nexthink failed to process Spark Handoff \(502\)/);
			expect(out[1].json.details).toMatchObject({
				targets: [bed.sim.data.users[1].upn],
				mayHaveRun: true,
			});
		});
	});
});
