/**
 * What changes between the node's versions, and what does not: a workflow saved with version 1
 * runs as it did, and a node added today (version 2) fits the everyday flow of many input items
 * into one triggering operation.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { Nexthink } from '../../../nodes/Nexthink/Nexthink.node';
import { nexthinkTestbed, type NexthinkTestbed } from '../../support/nexthink';

const locator = (value: string) => ({ __rl: true, mode: 'id', value });

describe('Node versions', () => {
	let bed: NexthinkTestbed;

	beforeAll(async () => {
		bed = await nexthinkTestbed();
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	it('adds version 2 as the default for new nodes, and keeps version 1', () => {
		const { version, defaultVersion } = new Nexthink().description;
		expect(version).toEqual([1, 2]);
		expect(defaultVersion).toBe(2);
	});

	const operations: Array<{
		name: string;
		endpoint: string;
		parameters: (options: INodeParameters) => INodeParameters;
		items: () => IDataObject[];
	}> = [
		{
			name: 'Remote Action > Execute',
			endpoint: 'remoteAction.execute',
			parameters: (options) => ({
				resource: 'remoteAction',
				operation: 'execute',
				remoteActionId: locator('#clear_browser_cache'),
				devices: '={{ $json.device }}',
				inputs: { mappingMode: 'defineBelow', value: { browser: 'firefox' } },
				options,
			}),
			items: () => bed.sim.data.devices.slice(0, 4).map((d) => ({ device: d.collectorUid })),
		},
		{
			name: 'Workflow > Trigger',
			endpoint: 'workflow.execute.v1',
			parameters: (options) => ({
				resource: 'workflow',
				operation: 'trigger',
				workflowId: locator('#restart_service'),
				devices: '={{ $json.device }}',
				parameters: { parameter: [{ name: 'service_name', value: 'Spooler' }] },
				options,
			}),
			items: () => bed.sim.data.devices.slice(0, 4).map((d) => ({ device: d.collectorUid })),
		},
		{
			name: 'Campaign > Trigger',
			endpoint: 'campaign.trigger',
			parameters: (options) => ({
				resource: 'campaign',
				operation: 'trigger',
				campaignNqlId: '#general_survey',
				userSids: '={{ $json.sid }}',
				expiresInMinutes: 60,
				options,
			}),
			items: () => bed.sim.data.users.slice(0, 4).map((u) => ({ sid: u.sid })),
		},
	];

	describe.each(operations)('$name: Combine Items', ({ endpoint, parameters, items }) => {
		const input = () => items().map((json) => ({ json }));

		it('is on by default in version 2: four items, one request, paired with all four', async () => {
			const [out] = await bed.run(parameters({}), input());

			expect(bed.requests(endpoint)).toHaveLength(1);
			expect(out).toHaveLength(1);
			expect(out[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		});

		it('is off by default in version 1, as workflows saved with it expect', async () => {
			const [out] = await bed.run(parameters({}), input(), { typeVersion: 1 });

			expect(bed.requests(endpoint)).toHaveLength(4);
			expect(out.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		});

		it('stays a choice in both versions', async () => {
			await bed.run(parameters({ combineItems: false }), input());
			expect(bed.requests(endpoint)).toHaveLength(4);
			bed.reset();
			await bed.run(parameters({ combineItems: true }), input(), { typeVersion: 1 });
			expect(bed.requests(endpoint)).toHaveLength(1);
		});
	});

	describe('NQL > Export: waits and gives rows by default in version 2, as the trigger does', () => {
		const exportAll = { resource: 'nql', operation: 'export', queryId: '#all_devices' };
		const fast = { options: { pollIntervalSeconds: 1 } };

		it('version 2: waits for completion, downloads, one item per row', async () => {
			bed.sim.setQueryRows('#all_devices', 3);
			const [out] = await bed.run({ ...exportAll, ...fast });

			expect(bed.requests('nql.status').length).toBeGreaterThanOrEqual(1);
			expect(out).toHaveLength(3);
			expect(out[0].json['device.name']).toEqual(expect.any(String));
		});

		it('version 1: returns the export ID at once, as workflows saved with it expect', async () => {
			const [out] = await bed.run({ ...exportAll, ...fast }, undefined, { typeVersion: 1 });

			expect(bed.requests('nql.status')).toHaveLength(0);
			expect(out).toEqual([
				expect.objectContaining({ json: expect.objectContaining({ status: 'SUBMITTED' }) }),
			]);
		});
	});

	it('shows each version its own Combine Items default in the editor', () => {
		const options = new Nexthink().description.properties
			.filter((property) => property.name === 'options')
			.flatMap(
				(property) =>
					(property.options ?? []) as Array<{
						name: string;
						default?: unknown;
						displayOptions?: IDataObject;
					}>,
			)
			.filter((option) => option.name === 'combineItems');
		const byVersion = (version: unknown) =>
			new Set(
				options
					.filter((option) => JSON.stringify(option.displayOptions) === JSON.stringify(version))
					.map((option) => option.default),
			);
		expect(byVersion({ show: { '@version': [1] } })).toEqual(new Set([false]));
		expect(byVersion({ show: { '@version': [{ _cnd: { gte: 2 } }] } })).toEqual(new Set([true]));
	});
});
