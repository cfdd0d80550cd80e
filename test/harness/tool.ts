/**
 * `runAsTool`: the node as an AI agent's tool, the way n8n runs it. The workflow holds the node's
 * tool variant (`<type>Tool`, built by HarnessNodeTypes as n8n's NodeTypes builds it) connected
 * by `ai_tool` to an agent node. The agent runs in a real `ExecuteContext` and asks n8n-core for
 * its tools (`getInputConnectionData`): n8n-core's `createNodeAsTool` wraps the node in a
 * LangChain tool (its schema from the `$fromAI()` placeholders, its description from
 * `getToolDescriptionForNode`), and each call goes through `makeHandleToolInvocation`: a
 * `SupplyDataContext` whose input item is the call's arguments, then the node's `execute`.
 * The harness plays only the model: it makes the calls it is given.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { HARNESS_PACKAGE_NAME } from './node-types';
import { ensureRuntime } from './runtime';
import type { RunNodeOptions } from './workflow-setup';
import { buildNode, prepareExecution } from './workflow-setup';
import { executeContext } from './execute';

/** What n8n-core handed the agent: one LangChain tool per connected node. */
interface AgentTool {
	name: string;
	description: string;
	schema: unknown;
	invoke(args: IDataObject): Promise<unknown>;
}

export interface ToolCallResult {
	/** The tool's answer as the agent reads it: the node's output items' JSON, as JSON text. */
	response?: string;
	/** The error the agent gets when the node throws (n8n adds the description as "Details"). */
	error?: string;
}

export interface RunAsToolResult {
	/** The tool's name and description as the agent sees them. */
	name: string;
	description: string;
	/** The argument names the agent must supply (the `$fromAI()` keys). */
	arguments: string[];
	calls: ToolCallResult[];
}

/** The agent the harness plays: it takes its tools from n8n-core and makes the given calls. */
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- the agent takes tools, it is none
class HarnessAgent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Agent',
		name: 'harnessAgent',
		group: ['transform'],
		version: 1,
		description: 'Calls its tool with the arguments the test gives, as a model would',
		defaults: { name: 'Agent' },
		inputs: [
			NodeConnectionTypes.Main,
			{ type: NodeConnectionTypes.AiTool, displayName: 'Tools', required: true },
		],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	constructor(
		private readonly calls: IDataObject[],
		private readonly result: Partial<RunAsToolResult>,
	) {}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[]];
	}

	async callTools(context: IExecuteFunctions): Promise<void> {
		const tools = (await context.getInputConnectionData(
			NodeConnectionTypes.AiTool,
			0,
		)) as AgentTool[];
		const [tool] = tools;
		const shape = (tool.schema as { shape?: Record<string, unknown> }).shape ?? {};
		Object.assign(this.result, {
			name: tool.name,
			description: tool.description,
			arguments: Object.keys(shape),
			calls: [],
		});
		for (const args of this.calls) {
			let call: ToolCallResult;
			try {
				call = { response: String(await tool.invoke(args)) };
			} catch (error) {
				call = { error: error instanceof Error ? error.message : String(error) };
			}
			this.result.calls!.push(call);
		}
	}
}

/**
 * Runs the node as an agent's tool: `parameters` as the user set up the tool (with `$fromAI()`
 * placeholders), then one tool call per entry of `calls`, in order.
 */
export async function runAsTool(
	options: RunNodeOptions & { calls: IDataObject[] },
): Promise<RunAsToolResult> {
	await ensureRuntime();
	const { node: baseNode, nodeTypes } = buildNode(options.nodeType, options);
	const toolNode: INode = { ...baseNode, type: `${baseNode.type}Tool` };
	const result: Partial<RunAsToolResult> = {};
	const agentType = new HarnessAgent(options.calls, result);
	const agentNode: INode = {
		id: 'harness-agent',
		name: 'Agent',
		type: `${HARNESS_PACKAGE_NAME}.harnessAgent`,
		typeVersion: 1,
		position: [200, 0],
		parameters: {},
	};
	nodeTypes.register(agentNode.type, agentType);
	const { workflow, additionalData, mode, items } = prepareExecution(
		options,
		nodeTypes,
		[agentNode, toolNode],
		{
			[toolNode.name]: {
				[NodeConnectionTypes.AiTool]: [
					[{ node: agentNode.name, type: NodeConnectionTypes.AiTool, index: 0 }],
				],
			},
		},
	);
	const { context, closeFunctions } = executeContext(
		{ workflow, additionalData, mode, items },
		agentNode,
		options.signal,
	);
	try {
		await agentType.callTools(context);
	} finally {
		await Promise.allSettled(closeFunctions.map(async (fn) => await fn()));
	}
	return result as RunAsToolResult;
}
