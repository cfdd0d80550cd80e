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

export class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, AnyNodeType>();

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
