/**
 * Node-type registry playing the part of n8n's `NodeTypes` + `LoadNodesAndCredentials`
 * (packages/cli/src/node-types.ts, packages/cli/src/load-nodes-and-credentials.ts).
 */
import { DirectoryLoader, RoutingNode } from 'n8n-core';
import type { ExecuteContext } from 'n8n-core';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, UnexpectedError } from 'n8n-workflow';

/** Package prefix n8n gives the package's nodes when it is installed as a community package. */
export const PACKAGE_NAME = 'n8n-nodes-nexthink';

/** Prefix of the harness's own helper nodes (the start node of `runWorkflowNode`). */
export const HARNESS_PACKAGE_NAME = 'n8n-nodes-harness';

export type AnyNodeType = INodeType | IVersionedNodeType;

/** What `DirectoryLoader.loadNodeFromFile` does to every node class it loads. */
interface LoaderHooks {
	addLoadOptionsMethods(node: INodeType): void;
	applySpecialNodeParameters(node: INodeType): void;
}
const loaderHooks = DirectoryLoader.prototype as unknown as LoaderHooks;

const prepared = new WeakSet<object>();

function isVersioned(nodeType: AnyNodeType): nodeType is IVersionedNodeType {
	return 'nodeVersions' in nodeType;
}

/**
 * Applies to a node type instance what n8n's loader applies when it loads the class from disk:
 * `__loadOptionsMethods`, the "Poll Times" parameter for polling nodes, the "Request Options"
 * block for declarative nodes. Idempotent per instance.
 */
export function prepareNodeType(nodeType: AnyNodeType): AnyNodeType {
	if (prepared.has(nodeType)) return nodeType;
	const versions = isVersioned(nodeType) ? Object.values(nodeType.nodeVersions) : [nodeType];
	for (const version of versions) {
		loaderHooks.addLoadOptionsMethods.call(DirectoryLoader.prototype, version);
		loaderHooks.applySpecialNodeParameters.call(DirectoryLoader.prototype, version);
	}
	prepared.add(nodeType);
	return nodeType;
}

/** The type version n8n gives a new node: `defaultVersion`, else the highest version. */
export function latestVersion(nodeType: AnyNodeType): number {
	if (isVersioned(nodeType)) return nodeType.currentVersion;
	const { version, defaultVersion } = nodeType.description;
	if (defaultVersion !== undefined) return defaultVersion;
	return Array.isArray(version) ? Math.max(...version) : version;
}

export function describe(nodeType: AnyNodeType, version?: number): INodeTypeDescription {
	return NodeHelpers.getVersionedNodeType(nodeType, version).description;
}

/** `shouldAssignExecuteMethod` from packages/cli/src/utils.ts. */
function shouldAssignExecuteMethod(nodeType: INodeType): boolean {
	const isDeclarativeNode = nodeType?.description?.requestDefaults !== undefined;
	return (
		!nodeType.execute &&
		!nodeType.poll &&
		!nodeType.trigger &&
		(!nodeType.webhook || isDeclarativeNode) &&
		(!nodeType.methods || isDeclarativeNode)
	);
}

/**
 * The tool variant n8n derives from a node with `usableAsTool`, as n8n's `NodeTypes` builds it
 * when a workflow names `<type>Tool` (packages/cli/src/node-types.ts: the description cloned by
 * prototype, then `convertNodeToAiTool` of packages/cli/src/tool-generation/ai-tools.ts: name and
 * display name suffixed, no inputs, one `ai_tool` output, the Tool Description fields added).
 * Its `execute` is the node's own.
 */
export function aiToolNodeType(nodeType: INodeType): INodeType {
	if (!nodeType.description.usableAsTool) {
		throw new UnexpectedError('Node cannot be used as a tool', {
			extra: { nodeType: nodeType.description.name },
		});
	}
	const properties = Object.create(nodeType.description.properties) as INodeProperties[];
	const description = Object.create(nodeType.description, {
		properties: { value: properties, writable: false },
	}) as INodeTypeDescription;
	const tool = Object.create(nodeType, { description: { value: description } }) as INodeType;
	description.name += 'Tool';
	description.inputs = [];
	description.outputs = [NodeConnectionTypes.AiTool];
	description.displayName += ' Tool';
	delete description.usableAsTool;
	if (!properties.some((property) => property.name === 'toolDescription')) {
		const descriptionType: INodeProperties = {
			displayName: 'Tool Description',
			name: 'descriptionType',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Set Automatically', value: 'auto' },
				{ name: 'Set Manually', value: 'manual' },
			],
			default: 'auto',
		};
		const toolDescription: INodeProperties = {
			displayName: 'Description',
			name: 'toolDescription',
			type: 'string',
			default: nodeType.description.description,
			required: true,
			typeOptions: { rows: 2 },
		};
		const hasResource = properties.some((property) => property.name === 'resource');
		const hasOperation = properties.some((property) => property.name === 'operation');
		properties.splice(0, 0, toolDescription);
		if (hasResource || hasOperation) {
			properties.splice(0, 0, descriptionType);
			toolDescription.displayOptions = { show: { descriptionType: ['manual'] } };
		}
	}
	return tool;
}

export class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, AnyNodeType>();
	private readonly tools = new Map<string, INodeType>();

	register(fullName: string, nodeType: AnyNodeType): this {
		this.types.set(fullName, prepareNodeType(nodeType));
		return this;
	}

	getByName(nodeType: string): AnyNodeType {
		const type = this.types.get(nodeType);
		if (!type) {
			throw new UnexpectedError(`Unrecognized node type: ${nodeType}`, { tags: { nodeType } });
		}
		return type;
	}

	/** As `NodeTypes.getByNameAndVersion` in n8n's CLI, including the declarative `execute`. */
	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		// A synthetic tool: `<type>Tool` when only `<type>` is registered, as n8n's NodeTypes does.
		if (nodeType.endsWith('Tool') && !this.types.has(nodeType)) {
			const key = `${nodeType}?version=${version ?? 'default'}`;
			let tool = this.tools.get(key);
			if (!tool) {
				tool = aiToolNodeType(this.getByNameAndVersion(nodeType.slice(0, -'Tool'.length), version));
				this.tools.set(key, tool);
			}
			return tool;
		}
		const versionedNodeType = NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
		if (shouldAssignExecuteMethod(versionedNodeType)) {
			versionedNodeType.execute = async function (this: IExecuteFunctions) {
				const routingNode = new RoutingNode(this as ExecuteContext, versionedNodeType);
				const data = await routingNode.runNode();
				return data ?? [];
			};
		}
		return versionedNodeType;
	}

	getKnownTypes(): IDataObject {
		const known: IDataObject = {};
		for (const name of this.types.keys()) known[name] = { className: name, sourcePath: '' };
		return known;
	}
}

/**
 * The node that starts `runWorkflowNode`'s workflow: it passes on the items it is given, as
 * n8n's "Execute Workflow Trigger" (v1) does for the items a parent workflow sends.
 */
export class HarnessStart implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Start',
		name: 'harnessStart',
		group: ['trigger'],
		version: 1,
		description: 'Feeds the test input into the node under test',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}
