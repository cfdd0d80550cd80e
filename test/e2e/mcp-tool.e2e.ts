/**
 * The Nexthink Tool used by an AI agent, without a model: the example
 * examples/ai-tool-mcp-server.json (an MCP Server Trigger with two Nexthink Tool nodes on its
 * `ai_tool` input), activated in a running n8n (`n8n start`, the package as a community package),
 * on each line the package supports (2.40.7, then 1.123.81; one n8n at a time). The test is the
 * MCP client an agent would use (n8n/mcp.ts: JSON-RPC over Streamable HTTP on `/mcp/<path>`):
 *  - `initialize`, then `tools/list`: one tool per Nexthink Tool node, named after the node, with
 *    the description n8n builds ("<operation action> in Nexthink") and the `$fromAI()` keys, with
 *    their descriptions, as the input schema;
 *  - `tools/call` of the remote action tool with a remote action its AI Agent Allow-List does not
 *    name: an error result naming the list, and nothing reaches Nexthink;
 *  - `tools/call` with the listed one: its request ID back, and Nexthink received exactly that
 *    execute, on the given devices;
 *  - what n8n records of those two calls: on 2.40.7 an execution each (status success even for
 *    the refusal, which is in the tool node's run); on 1.123.81 only the call that ran, because
 *    its MCP trigger resolves a tool call's webhook only when the tool succeeded, so a refused (or
 *    failed) call leaves no execution, just n8n's log line "Error while executing Tool …";
 *  - the trigger serves the older SSE transport on the same URL too (its `endpoint` event).
 * The calls are made one after the other; each call's test starts from a reset simulator.
 */
import type { LogEntry, NexthinkSimulator } from '../simulator';
import { startSimulator } from '../simulator';
import {
	lineVersion,
	loadExamples,
	MCP_TRIGGER_TYPE,
	N8N_LINES,
	N8nInstance,
	N8nRest,
	newOwner,
	say,
	SimulatorControl,
	waitFor,
	type Example,
	type NodeTypeDescription,
	type WorkflowNode,
} from './n8n';
import { McpClient, McpHttpError, sseEndpoint, type McpTool } from './n8n/mcp';
import { phase } from './support/phases';
import { e2eSetup } from './support/setup';

const OWNER = newOwner('e2e-mcp@example.com', 'MCP', 'Owner');
const TOOL_TYPE = 'n8n-nodes-nexthink.nexthinkTool';
const ALLOWED = '#clear_browser_cache';
/** Known to the simulator (API-enabled), not on the example's allow-list. */
const NOT_LISTED = '#restart_service';

const examples = loadExamples();
const example = examples.find((candidate) => candidate.isMcpServer) as Example;

/** The example's nodes, found by what they are. */
function exampleParts() {
	if (!example) throw new Error('no example in examples/ starts from an MCP Server Trigger');
	const trigger = example.workflow.nodes.find((node) => node.type === MCP_TRIGGER_TYPE);
	const tools = example.workflow.nodes.filter((node) => node.type === TOOL_TYPE);
	const remoteAction = tools.find(
		(node) =>
			node.parameters.resource === 'remoteAction' && node.parameters.operation === 'execute',
	);
	if (!trigger || !remoteAction)
		throw new Error(`${example.key} lacks an MCP Server Trigger or a Remote Action > Execute tool`);
	return { trigger, tools, remoteAction, path: String(trigger.parameters.path) };
}

/** The `$fromAI(key, description, …)` placeholders in a node's parameters. */
function fromAi(node: WorkflowNode): Record<string, string> {
	const found: Record<string, string> = {};
	for (const match of JSON.stringify(node.parameters).matchAll(
		/\$fromAI\(\s*'([\w-]+)'\s*,\s*'([^']*)'/g,
	))
		found[match[1]] = match[2];
	return found;
}

/** n8n's tool name for a node (n8n-workflow nodeNameToToolName). */
const toolName = (node: WorkflowNode) => node.name.replace(/[^a-zA-Z0-9_-]+/g, '_');

/**
 * The description n8n gives a tool node left on "Set Automatically" (NodeHelpers.makeDescription):
 * "<action of its operation> in <the node's default name>", read from the tool variant that this
 * n8n serves to its editor.
 */
function autoDescription(toolType: NodeTypeDescription, node: WorkflowNode): string {
	const properties = (toolType as unknown as { properties: ToolProperty[] }).properties;
	const defaults = (toolType as unknown as { defaults: { name: string } }).defaults;
	const operation = properties.find(
		(property) =>
			property.name === 'operation' &&
			property.displayOptions?.show?.resource?.includes(String(node.parameters.resource)),
	);
	const option = operation?.options?.find(
		(candidate) => candidate.value === node.parameters.operation,
	);
	if (!option?.action)
		throw new Error(`${toolType.name} has no action for ${String(node.parameters.operation)}`);
	return `${option.action} in ${defaults.name}`;
}

interface ToolProperty {
	name: string;
	displayOptions?: { show?: Record<string, unknown[]> };
	options?: Array<{ value: unknown; action?: string }>;
}

describe.each(N8N_LINES.map((line) => [lineVersion(line), line] as const))(
	'n8n %s: MCP Server Trigger: an MCP client lists and calls the Nexthink Tool',
	(version, line) => {
		let sim: NexthinkSimulator | undefined;
		let control: SimulatorControl;
		let n8n: N8nInstance | undefined;
		let rest: N8nRest;
		let client: McpClient | undefined;
		let mcpUrl = '';
		let tools: McpTool[] = [];
		let devices: string[] = [];

		const mcp = (): McpClient => {
			if (!client) throw new Error('the MCP session did not start (see beforeAll)');
			return client;
		};
		const executes = (log: LogEntry[]) =>
			log.filter((entry) => entry.endpoint === 'remoteAction.execute');

		beforeAll(async () => {
			const { runtime, pkg } = await e2eSetup(line);
			const { path } = exampleParts();
			const simulator = await startSimulator();
			sim = simulator;
			control = new SimulatorControl(simulator.apiBaseUrl);
			const instance = await N8nInstance.create({ runtime, pkg, mode: 'community' });
			n8n = instance;
			await phase(`mcp ${version}: import credential + ${examples.length} examples`, async () => {
				await instance.importSimulatorCredential(simulator.credentials());
				await instance.importExamples(examples, { forCli: false });
			});
			await phase(`mcp ${version}: n8n start until /healthz, owner setup, sign-in`, async () => {
				rest = new N8nRest(await instance.start(), instance.line);
				await rest.setupOwner(OWNER);
				await rest.login(OWNER.email, OWNER.password);
			});
			mcpUrl = `${instance.baseUrl}/mcp/${path}`;
			await phase(`mcp ${version}: activate ${example.key}, MCP initialize`, async () => {
				expect((await rest.activateWorkflow(example.id)).active).toBe(true);
				// The production webhook may be registered a moment after activation answers.
				client = await waitFor(`the MCP endpoint ${mcpUrl}`, 30_000, async () => {
					const candidate = new McpClient(mcpUrl);
					const failure: unknown = await candidate.initialize().then(
						() => undefined,
						(error: unknown) => error,
					);
					if (!failure) return candidate;
					if (failure instanceof McpHttpError && failure.status === 404) return undefined;
					throw failure;
				});
			});
			const sample = await control.data<{ sampleDevices: Array<{ collectorUid: string }> }>();
			devices = sample.sampleDevices.slice(0, 2).map((device) => device.collectorUid);
		}, 15 * 60_000);

		afterAll(async () => {
			await client?.close();
			await n8n?.stop();
			await sim?.stop();
		});

		it('lists one tool per Nexthink Tool node: its name, the description n8n builds, the $fromAI() keys with their descriptions', async () => {
			const { tools: nodes } = exampleParts();
			tools = await phase(`mcp ${version}: tools/list`, async () => await mcp().listTools());
			expect(tools.map((tool) => tool.name).sort()).toEqual(
				['Find_devices', 'Run_remote_action'].sort(),
			);
			expect(nodes.map(toolName).sort()).toEqual(tools.map((tool) => tool.name).sort());

			const toolType = (await rest.nodeTypes()).find((type) => type.name === TOOL_TYPE);
			if (!toolType) throw new Error(`n8n ${version} offers no ${TOOL_TYPE}`);
			for (const node of nodes) {
				const tool = tools.find((candidate) => candidate.name === toolName(node));
				if (!tool) throw new Error(`no tool for the node "${node.name}"`);
				expect({ tool: tool.name, description: tool.description }).toEqual({
					tool: tool.name,
					description: autoDescription(toolType, node),
				});
				expect(tool.description).toMatch(/ in Nexthink$/);
				const placeholders = fromAi(node);
				expect(Object.keys(placeholders).length).toBeGreaterThan(0);
				expect(tool.inputSchema.type).toBe('object');
				expect({ tool: tool.name, properties: tool.inputSchema.properties }).toEqual({
					tool: tool.name,
					properties: Object.fromEntries(
						Object.entries(placeholders).map(([key, description]) => [
							key,
							expect.objectContaining({ type: 'string', description }),
						]),
					),
				});
				expect([...(tool.inputSchema.required ?? [])].sort()).toEqual(
					Object.keys(placeholders).sort(),
				);
			}
			const remoteActionTool = tools.find((tool) => tool.name === 'Run_remote_action');
			expect(remoteActionTool?.description).toBe(
				'Run a remote action on devices by collector UUID in Nexthink',
			);
		});

		it(`refuses ${NOT_LISTED}, which the AI Agent Allow-List does not name: an error result, nothing sent to Nexthink`, async () => {
			await control.reset();
			const result = await phase(
				`mcp ${version}: tools/call Run_remote_action (not listed)`,
				async () =>
					await mcp().callTool('Run_remote_action', {
						remote_action: NOT_LISTED,
						devices: devices.join(', '),
						reason: 'The user reported that a service hangs',
					}),
			);
			const text = result.content.map((part) => part.text ?? '').join('\n');
			expect(result.isError).toBe(true);
			expect(text).toMatch(
				/AI Agent Allow-List: the AI agent asked for the remote action "#restart_service", which the list does not name; nothing was sent to Nexthink/,
			);
			expect(text).toContain(`add ${NOT_LISTED} to AI Agent Allow-List`);
			const log = await control.log();
			expect(executes(log)).toEqual([]);
			expect((await control.counters())['remoteAction.execute'] ?? 0).toBe(0);
			// Refused before any request: not even a token was asked for.
			expect(log.map((entry) => `${entry.endpoint} ${entry.path}`)).toEqual([]);
		});

		it(`runs ${ALLOWED}, which the list names: its request ID back, exactly that execute in Nexthink, on the given devices`, async () => {
			await control.reset();
			const reason = 'The user reported that web pages load stale content';
			const result = await phase(
				`mcp ${version}: tools/call Run_remote_action (listed)`,
				async () =>
					await mcp().callTool('Run_remote_action', {
						remote_action: ALLOWED,
						devices: devices.join(', '),
						reason,
					}),
			);
			const text = result.content.map((part) => part.text ?? '').join('\n');
			expect({ isError: result.isError ?? false, text }).toEqual({ isError: false, text });
			const items = JSON.parse(text) as Array<Record<string, unknown>>;
			expect(items).toHaveLength(1);
			expect(items[0]).toMatchObject({ remoteActionId: ALLOWED, deviceCount: devices.length });
			expect(items[0].requestId).toEqual(expect.any(String));

			const sent = executes(await control.log());
			expect(sent).toHaveLength(1);
			expect(sent[0].status).toBe(200);
			expect(sent[0].body).toMatchObject({
				remoteActionId: ALLOWED,
				devices,
				triggerInfo: { externalSource: 'n8n MCP server', reason },
			});
			expect((await control.counters())['remoteAction.execute']).toBe(1);
			const recorded = (
				await control.data<{
					remoteActionExecutions: Array<{
						requestId: string;
						remoteActionId: string;
						deviceCollectorUid: string;
					}>;
				}>()
			).remoteActionExecutions;
			expect(new Set(recorded.map((execution) => execution.requestId))).toEqual(
				new Set([items[0].requestId]),
			);
			expect(recorded.map((execution) => execution.deviceCollectorUid).sort()).toEqual(
				[...devices].sort(),
			);
			expect(new Set(recorded.map((execution) => execution.remoteActionId))).toEqual(
				new Set([ALLOWED]),
			);
		});

		it(
			line === '2.x'
				? "records both calls above as executions, the refused one too: status success, the refusal in the tool node's run"
				: "records only the call above that ran as an execution; the refused one is in n8n's log alone (1.123 never ends the webhook of a failed tool call)",
			async () => {
				const expected = line === '2.x' ? ['ran', 'refused'] : ['ran'];
				const executions = await waitFor(
					`${expected.length} ended execution(s) of ${example.key}`,
					30_000,
					async () => {
						const found = await rest.listExecutions({ workflowId: example.id });
						const ended = found.every(
							(execution) => execution.status !== 'running' && execution.status !== 'new',
						);
						return ended && found.length >= expected.length ? found : undefined;
					},
				);
				const outcomes = await Promise.all(
					executions.map(async (summary) => {
						const details = await rest.getExecution(summary.id);
						const runs = details.runData['Run remote action'] ?? [];
						return {
							mode: details.mode,
							status: details.status,
							tool: runs
								.map((run) =>
									!run.error
										? 'ran'
										: /^AI Agent Allow-List: /.test(run.error.message ?? '')
											? 'refused'
											: `failed: ${run.error.message}`,
								)
								.join(', '),
						};
					}),
				);
				say(`  mcp ${version}: executions ${JSON.stringify(outcomes)}`);
				expect(outcomes.map((outcome) => outcome.tool).sort()).toEqual(expected);
				for (const outcome of outcomes)
					expect(outcome).toMatchObject({ mode: 'webhook', status: 'success' });
				// Both lines log the refusal.
				expect(n8n?.logTail(500)).toMatch(
					/Error while executing Tool Run_remote_action: (NodeOperationError: )?AI Agent Allow-List: the AI agent asked for the remote action "#restart_service"/,
				);
			},
		);

		it('serves the SSE transport on the same URL too: GET opens an event stream whose endpoint event names where to post', async () => {
			const { path } = exampleParts();
			const opened = await sseEndpoint(mcpUrl);
			expect(opened.status).toBe(200);
			expect(opened.contentType).toContain('text/event-stream');
			expect(opened.event).toBe('endpoint');
			expect(opened.data).toMatch(new RegExp(`^/mcp/${path}\\?sessionId=[\\w-]+$`));
		});
	},
);
