/**
 * Use by an AI agent: the node's tool variant (`nexthinkTool`) run through n8n-core's tool path
 * (test/harness/tool.ts). Triggering operations run only on what the user listed in the AI Agent
 * Allow-List, the other operations that change something only when Allow Use by AI Agent is on,
 * read-only operations freely; a normal run ignores both fields.
 */
import { NodeHelpers, type INode, type INodeProperties } from 'n8n-workflow';

import { Nexthink } from '../../nodes/Nexthink/Nexthink.node';
import { resources } from '../../nodes/Nexthink/actions/resources';
import { TOOL_GUARDS, isToolRun } from '../../nodes/Nexthink/shared/toolGuard';
import { nexthinkTestbed, type NexthinkTestbed } from '../support/nexthink';

const fromAi = (key: string, description: string) =>
	`={{ $fromAI('${key}', '${description}', 'string') }}`;

/** Remote Action > Execute as a user sets it up as a tool: the agent gives the ID and the devices. */
const remoteActionTool = (allowList?: string) => ({
	resource: 'remoteAction',
	operation: 'execute',
	remoteActionId: {
		__rl: true,
		mode: 'id',
		value: fromAi('remote_action', 'The NQL ID of the remote action, for example #restart_service'),
	},
	devices: fromAi('devices', 'Collector UUIDs of the devices, comma-separated'),
	...(allowList === undefined ? {} : { aiAgentAllowList: allowList }),
});

describe('Use by an AI agent', () => {
	let bed: NexthinkTestbed;
	let collector: string;

	beforeAll(async () => {
		bed = await nexthinkTestbed();
		collector = bed.sim.data.devices[0].collectorUid;
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	describe('triggering operations run only on what the AI Agent Allow-List names', () => {
		it('refuses a remote action the list does not name, sends nothing, and runs one it names', async () => {
			const tool = await bed.runAsTool(remoteActionTool('#clear_browser_cache'), [
				{ remote_action: '#restart_service', devices: collector },
				{ remote_action: '#clear_browser_cache', devices: collector },
			]);

			// The agent sees what the tool does and what it must supply.
			expect(tool.name).toBe('Nexthink');
			expect(tool.description).toBe('Run a remote action on devices by collector UUID in Nexthink');
			expect(tool.arguments.sort()).toEqual(['devices', 'remote_action']);

			const [refused, allowed] = tool.calls;
			expect(refused.response).toBeUndefined();
			expect(refused.error).toMatch(
				/^AI Agent Allow-List: the AI agent asked for the remote action "#restart_service", which the list does not name; nothing was sent to Nexthink/,
			);
			expect(refused.error).toContain(
				'Details: The agent may run only #clear_browser_cache. To allow this one too, add #restart_service to AI Agent Allow-List',
			);

			expect(allowed.error).toBeUndefined();
			const [answer] = JSON.parse(allowed.response!) as Array<Record<string, unknown>>;
			expect(answer).toMatchObject({ remoteActionId: '#clear_browser_cache', deviceCount: 1 });
			const sent = bed.requests('remoteAction.execute');
			expect(sent.map((call) => (call.body as { remoteActionId: string }).remoteActionId)).toEqual([
				'#clear_browser_cache',
			]);
		});

		it('runs no remote action at all while the list is empty, as it is by default', async () => {
			const tool = await bed.runAsTool(remoteActionTool(), [
				{ remote_action: '#clear_browser_cache', devices: collector },
			]);

			expect(tool.calls[0].error).toContain(
				'The list is empty, so the agent may run no remote action. To allow this one, add #clear_browser_cache to AI Agent Allow-List',
			);
			expect(bed.requests('remoteAction.execute')).toHaveLength(0);
		});

		it('holds Workflow > Trigger and Campaign > Trigger to their lists the same way', async () => {
			const user = bed.sim.data.users[0];
			const workflow = await bed.runAsTool(
				{
					resource: 'workflow',
					operation: 'trigger',
					workflowId: { __rl: true, mode: 'id', value: fromAi('workflow', 'Workflow NQL ID') },
					devices: collector,
					aiAgentAllowList: '#onboard_new_user, #software_install_approval',
				},
				[{ workflow: '#restart_service' }],
			);
			const campaign = await bed.runAsTool(
				{
					resource: 'campaign',
					operation: 'trigger',
					campaignNqlId: fromAi('campaign', 'Campaign NQL ID'),
					userSids: user.sid,
					aiAgentAllowList: '#general_survey',
				},
				[{ campaign: '#other_survey' }, { campaign: '#general_survey' }],
			);

			expect(workflow.description).toBe('Trigger a workflow on devices or users by ID in Nexthink');
			expect(workflow.calls[0].error).toMatch(
				/^AI Agent Allow-List: the AI agent asked for the workflow "#restart_service"/,
			);
			expect(bed.requests('workflow.execute.v1', 'workflow.execute.v2')).toHaveLength(0);
			expect(campaign.calls[0].error).toMatch(/the campaign "#other_survey", which the list/);
			expect(campaign.calls[1].error).toBeUndefined();
			expect(bed.requests('campaign.trigger')).toHaveLength(1);
		});
	});

	it('never lets the agent widen its own list: an expression in the list allows nothing', async () => {
		const tool = await bed.runAsTool(
			remoteActionTool(fromAi('allowed', 'Remote actions you may run')),
			[
				{
					remote_action: '#clear_browser_cache',
					allowed: '#clear_browser_cache',
					devices: collector,
				},
			],
		);

		expect(tool.calls[0].error).toMatch(/^AI Agent Allow-List: the AI agent asked for/);
		expect(tool.calls[0].error).toContain('The list is an expression, which allows nothing');
		expect(bed.requests('remoteAction.execute')).toHaveLength(0);
	});

	describe('how the node knows it runs as a tool', () => {
		const node = (type: string) => ({ getNode: () => ({ type }) as INode });

		it("takes n8n-core's isToolExecution(), else the type n8n gives the tool variant", () => {
			expect(
				isToolRun({ ...node('n8n-nodes-nexthink.nexthink'), isToolExecution: () => true }),
			).toBe(true);
			expect(
				isToolRun({ ...node('n8n-nodes-nexthink.nexthink'), isToolExecution: () => false }),
			).toBe(false);
			// n8n 1.x has no isToolExecution(): the type names the tool variant.
			expect(isToolRun(node('n8n-nodes-nexthink.nexthinkTool'))).toBe(true);
			expect(isToolRun(node('CUSTOM.nexthinkTool'))).toBe(true);
			expect(isToolRun(node('n8n-nodes-nexthink.nexthink'))).toBe(false);
		});
	});

	describe('Schedule Deletion runs as a tool only when the user allowed it', () => {
		const deletion = (allow?: boolean) => ({
			resource: 'device',
			operation: 'scheduleDeletion',
			confirmDeletion: true,
			deviceUid: fromAi('device_uid', 'The device UID'),
			deviceName: fromAi('device_name', 'The device name'),
			...(allow === undefined ? {} : { aiAgentAllowUse: allow }),
		});

		it('refuses while Allow Use by AI Agent is off (the default), then deletes once it is on', async () => {
			const device = bed.sim.data.devices[1];
			const call = { device_uid: device.uid, device_name: device.name };
			const refused = await bed.runAsTool(deletion(), [call]);
			expect(refused.calls[0].error).toMatch(
				/^Allow Use by AI Agent: it is off, so the AI agent may not run this operation; nothing was sent to Nexthink/,
			);
			expect(refused.calls[0].error).toContain('cannot be undone');
			expect(bed.requests('dataManagement.deletions')).toHaveLength(0);

			const allowed = await bed.runAsTool(deletion(true), [call]);
			expect(allowed.calls[0].error).toBeUndefined();
			expect(bed.requests('dataManagement.deletions')).toHaveLength(1);
		});
	});

	it('leaves read-only operations unrestricted', async () => {
		const tool = await bed.runAsTool({ resource: 'remoteAction', operation: 'getMany', limit: 2 }, [
			{},
		]);
		expect(tool.calls[0].error).toBeUndefined();
		expect(JSON.parse(tool.calls[0].response!)).toHaveLength(2);
	});

	it('leaves a normal run alone: an empty allow-list restricts nothing outside the tool', async () => {
		const [out] = await bed.run(
			{
				resource: 'remoteAction',
				operation: 'execute',
				remoteActionId: { __rl: true, mode: 'id', value: '#restart_service' },
				devices: collector,
			},
			[{ json: {} }],
		);
		expect(out).toHaveLength(1);
		expect(bed.requests('remoteAction.execute')).toHaveLength(1);
	});

	describe('fields', () => {
		const properties = new Nexthink().description.properties;
		const operations = Object.entries(resources).flatMap(([resource, { operations: ops }]) =>
			Object.keys(ops).map((operation) => `${resource}.${operation}`),
		);
		const shown = (key: string, name: string): INodeProperties | undefined => {
			const [resource, operation] = key.split('.');
			return properties.find(
				(field) =>
					field.name === name &&
					field.displayOptions?.show?.resource?.includes(resource) &&
					field.displayOptions?.show?.operation?.includes(operation),
			);
		};

		it('guards exactly the operations that change something in Nexthink, with a field in the tool variant only', () => {
			for (const key of Object.keys(TOOL_GUARDS)) expect(operations).toContain(key);
			for (const [key, guard] of Object.entries(TOOL_GUARDS)) {
				const field = shown(
					key,
					guard.kind === 'allowList' ? 'aiAgentAllowList' : 'aiAgentAllowUse',
				);
				expect(field?.displayOptions?.show?.['@tool']).toEqual([true]);
				expect(field?.default).toBe(guard.kind === 'allowList' ? '' : false);
			}
			// The read-only ones carry neither field.
			for (const key of operations.filter((k) => !(k in TOOL_GUARDS))) {
				expect(shown(key, 'aiAgentAllowList')).toBeUndefined();
				expect(shown(key, 'aiAgentAllowUse')).toBeUndefined();
			}
		});

		/**
		 * What each operation's tool description must name: what the agent has to supply. n8n
		 * describes a tool only by its operation's action ("<action> in Nexthink",
		 * NodeHelpers.getToolDescriptionForNode), so the action says it. A new operation fails
		 * here until it is listed.
		 */
		const mustSupply: Record<string, RegExp> = {
			'workflow.trigger': /workflow on devices or users by ID/,
			'workflow.triggerWaitForEvent': /waiting workflow execution by UUID/,
			'workflow.get': /workflow by NQL ID/,
			'workflow.getMany': /^Get many workflows/,
			'workflow.getExecutions': /workflow request by ID/,
			'remoteAction.execute': /remote action on devices by collector UUID/,
			'remoteAction.get': /remote action by NQL ID/,
			'remoteAction.getMany': /^Get many remote actions/,
			'remoteAction.getExecutions': /remote action request by ID/,
			'campaign.trigger': /campaign to users by SID/,
			'nql.execute': /saved NQL query by query ID/,
			'nql.export': /saved NQL query by query ID/,
			'nql.getExportStatus': /NQL export by export ID/,
			'nql.downloadExport': /NQL export by export ID or file URL/,
			'enrichment.enrichFields': /fields of devices, users, binaries or packages/,
			'device.scheduleDeletion': /devices by UID and name/,
			'spark.handoff': /conversation to Spark by UPN/,
		};

		it("describes each operation to the agent, through n8n's own tool description, with what it must supply", () => {
			const nodeType = new Nexthink();
			expect(Object.keys(mustSupply).sort()).toEqual([...operations].sort());
			for (const key of operations) {
				const [resource, operation] = key.split('.');
				const node = {
					parameters: { resource, operation, descriptionType: 'auto' },
				} as unknown as INode;
				const description = NodeHelpers.getToolDescriptionForNode(node, nodeType);
				expect(description).toMatch(mustSupply[key]);
				expect(description).toMatch(/ in Nexthink$/);
			}
		});
	});
});
