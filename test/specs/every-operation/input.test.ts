/**
 * Bad input is refused before any request, naming the field; a user's value is quoted the same
 * way everywhere (shortened, with its length), and parameter names are just names.
 */
import { NodeOperationError } from 'n8n-workflow';

import { nexthinkTestbed, type NexthinkTestbed } from '../../support/nexthink';

const locator = (value: string) => ({ __rl: true, mode: 'id', value });

describe('Input checks', () => {
	let bed: NexthinkTestbed;
	beforeAll(async () => {
		bed = await nexthinkTestbed();
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	const huge = 'x'.repeat(200_000);

	it.each([
		[
			'Remote Action Execute devices',
			{
				resource: 'remoteAction',
				operation: 'execute',
				remoteActionId: locator('#clear_browser_cache'),
				devices: huge,
			},
			'remoteAction.execute',
		],
		[
			'Workflow Trigger devices',
			{
				resource: 'workflow',
				operation: 'trigger',
				workflowId: locator('#restart_service'),
				devices: huge,
			},
			'workflow.execute.v1',
		],
		[
			'Campaign Trigger SIDs',
			{
				resource: 'campaign',
				operation: 'trigger',
				campaignNqlId: '#general_survey',
				userSids: huge,
				expiresInMinutes: 60,
			},
			'campaign.trigger',
		],
		[
			'NQL Execute query ID',
			{ resource: 'nql', operation: 'execute', queryId: `#${huge}` },
			'nql.execute.v2',
		],
	])(
		'%s: a 200,000-character value is quoted shortened, with its length',
		async (_name, parameters, endpoint) => {
			const error = (await bed.run(parameters).catch((e: unknown) => e)) as NodeOperationError;

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message.length).toBeLessThan(300);
			expect(error.message).toMatch(/\.\.\. \(200,00\d characters\)"/);
			expect(bed.requests(endpoint)).toHaveLength(0);
		},
	);

	it('takes "toString" and "hasOwnProperty" as parameter names like any other', async () => {
		const names = ['toString', 'hasOwnProperty', 'valueOf'];
		await bed
			.run({
				resource: 'workflow',
				operation: 'trigger',
				workflowId: locator('#restart_service'),
				devices: bed.sim.data.devices[0].collectorUid,
				parameters: { parameter: names.map((name) => ({ name, value: `v-${name}` })) },
			})
			// The simulator knows only service_name: what matters is what was sent.
			.catch(() => undefined);

		const [call] = bed.requests('workflow.execute.v1');
		expect((call.body as { params: object }).params).toEqual({
			toString: 'v-toString',
			hasOwnProperty: 'v-hasOwnProperty',
			valueOf: 'v-valueOf',
		});
	});

	it.each(['__proto__', 'constructor', 'prototype'])(
		'refuses %p, which n8n would silently drop from the request, before any request',
		async (name) => {
			const error = (await bed
				.run({
					resource: 'workflow',
					operation: 'trigger',
					workflowId: locator('#restart_service'),
					devices: bed.sim.data.devices[0].collectorUid,
					parameters: { parameter: [{ name, value: 'x' }] },
				})
				.catch((e: unknown) => e)) as NodeOperationError;
			expect(error.message).toBe(`Additional Parameters: "${name}" cannot be sent`);
			expect(error.description).toMatch(/Rename the parameter in Nexthink/);
			expect(bed.requests('workflow.execute.v1')).toHaveLength(0);
		},
	);

	it('still refuses a parameter name given twice', async () => {
		const error = (await bed
			.run({
				resource: 'workflow',
				operation: 'trigger',
				workflowId: locator('#restart_service'),
				devices: bed.sim.data.devices[0].collectorUid,
				parameters: {
					parameter: [
						{ name: 'service_name', value: 'a' },
						{ name: 'service_name', value: 'b' },
					],
				},
			})
			.catch((e: unknown) => e)) as NodeOperationError;
		expect(error.message).toBe('Additional Parameters: "service_name" is given twice');
		expect(bed.requests('workflow.execute.v1')).toHaveLength(0);
	});

	describe('User SIDs: one rule for Campaign, Enrichment and Workflow Trigger', () => {
		const campaign = (userSids: string) => ({
			resource: 'campaign',
			operation: 'trigger',
			campaignNqlId: '#general_survey',
			userSids,
			expiresInMinutes: 60,
		});
		const enrichment = (identificationValue: string) => ({
			resource: 'enrichment',
			operation: 'enrichFields',
			domain: 'n8n_test',
			identificationType: 'user/user/sid',
			identificationValue,
			fields: { field: [{ userField: 'user/user/ad/department', value: 'IT' }] },
		});
		const workflowTrigger = (users: string) => ({
			resource: 'workflow',
			operation: 'trigger',
			workflowId: locator('#software_install_approval'),
			devices: bed.sim.data.devices[0].collectorUid,
			users,
		});

		it('takes a lower-case SID in all three alike and sends it upper case', async () => {
			const { sid } = bed.sim.data.users[3];
			const lower = sid.toLowerCase();
			await bed.run(campaign(lower));
			await bed.run(enrichment(lower));
			await bed.run(workflowTrigger(lower));

			expect(bed.requests('campaign.trigger').map((call) => call.body)).toEqual([
				expect.objectContaining({ userSid: [sid] }),
			]);
			expect(bed.requests('enrichment.fields').map((call) => call.body)).toEqual([
				expect.objectContaining({
					enrichments: [
						expect.objectContaining({ identification: [{ name: 'user/user/sid', value: sid }] }),
					],
				}),
			]);
			expect(bed.requests('workflow.execute.v1').map((call) => call.body)).toEqual([
				expect.objectContaining({ users: [sid] }),
			]);
			expect(
				bed
					.requests('campaign.trigger', 'enrichment.fields', 'workflow.execute.v1')
					.map((call) => call.status),
			).toEqual([200, 200, 200]);
		});

		it('takes the SID 0 in Workflow Trigger only, the one API that documents it', async () => {
			const campaignError = (await bed.run(campaign('0')).catch((e: unknown) => e)) as Error;
			const enrichmentError = (await bed.run(enrichment('0')).catch((e: unknown) => e)) as Error;
			await bed.run(workflowTrigger('0'));

			expect(campaignError).toBeInstanceOf(NodeOperationError);
			expect(campaignError.message).toBe('User SIDs: entry 1 of 1, "0", is not a User SID');
			expect(enrichmentError).toBeInstanceOf(NodeOperationError);
			expect(enrichmentError.message).toBe('Identification Value: "0" is not a User SID');
			expect(bed.requests('campaign.trigger', 'enrichment.fields')).toHaveLength(0);
			expect(bed.requests('workflow.execute.v1').map((call) => [call.status, call.body])).toEqual([
				[200, expect.objectContaining({ users: ['0'] })],
			]);
		});
	});
});
