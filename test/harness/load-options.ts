/**
 * `listSearch` / `loadOptions` / `resourceMapping`: `LoadOptionsContext` on a one-node workflow,
 * as `DynamicNodeParametersService` does.
 */
import { LoadOptionsContext } from 'n8n-core';
import type {
	INodeListSearchResult,
	INodeParameters,
	INodeProperties,
	INodePropertyOptions,
	ResourceMapperFields,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError, Workflow, deepCopy } from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import type { AnyNodeType } from './node-types';
import { describe as describeNode } from './node-types';
import { ensureRuntime } from './runtime';
import type { CredentialsOption } from './workflow-setup';
import { buildNode } from './workflow-setup';

export interface LoadOptionsOptions {
	nodeType: AnyNodeType;
	method: string;
	/** The node's current parameters, as the editor sends them. */
	parameters?: INodeParameters;
	credentials?: CredentialsOption;
	typeVersion?: number;
	/** Path of the parameter asking (`parameters.<name>`); found from the description when omitted. */
	path?: string;
}

export interface ListSearchOptions extends LoadOptionsOptions {
	filter?: string;
	paginationToken?: string;
}

type MethodKind = 'listSearch' | 'loadOptions' | 'resourceMapping';

function findParameterPath(
	properties: INodeProperties[],
	kind: MethodKind,
	method: string,
	prefix: string,
): string | undefined {
	for (const property of properties) {
		const path = `${prefix}.${property.name}`;
		const uses =
			(kind === 'loadOptions' && property.typeOptions?.loadOptionsMethod === method) ||
			(kind === 'listSearch' &&
				(property.modes ?? []).some((mode) => mode.typeOptions?.searchListMethod === method)) ||
			(kind === 'resourceMapping' &&
				property.typeOptions?.resourceMapper?.resourceMapperMethod === method);
		if (uses) return path;
		for (const option of property.options ?? []) {
			if ('values' in option && Array.isArray(option.values)) {
				const found = findParameterPath(option.values, kind, method, `${path}.${option.name}`);
				if (found) return found;
			} else if ('type' in option && 'name' in option) {
				const found = findParameterPath([option as INodeProperties], kind, method, path);
				if (found) return found;
			}
		}
	}
	return undefined;
}

/** `DynamicNodeParametersService.getWorkflow` + `getThisArg`. */
async function loadOptionsContext(options: LoadOptionsOptions, kind: MethodKind) {
	await ensureRuntime();
	const { node, nodeTypes } = buildNode(options.nodeType, {
		parameters: options.parameters,
		credentials: options.credentials,
		typeVersion: options.typeVersion,
		nodeName: 'Temp-Node',
		id: 'uuid-1234',
	});
	const description = describeNode(options.nodeType, node.typeVersion);
	// the editor keeps a node's parameters with their defaults filled in
	const currentNodeParameters =
		NodeHelpers.getNodeParameters(
			description.properties,
			deepCopy(options.parameters ?? {}),
			true,
			false,
			node,
			description,
		) ?? {};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = buildAdditionalData({
		store: options.credentials?.store,
		currentNodeParameters,
	});
	const path =
		options.path ??
		findParameterPath(description.properties, kind, options.method, 'parameters') ??
		'parameters';
	const context = new LoadOptionsContext(
		workflow,
		workflow.nodes['Temp-Node'],
		additionalData,
		path,
	);
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const method = nodeType.methods?.[kind]?.[options.method];
	if (typeof method !== 'function') {
		throw new UnexpectedError('Node type does not have method defined', {
			tags: { nodeType: description.name },
			extra: { methodName: options.method },
		});
	}
	return { context, method: method as (...args: unknown[]) => Promise<unknown> };
}

export async function listSearch(options: ListSearchOptions): Promise<INodeListSearchResult> {
	const { context, method } = await loadOptionsContext(options, 'listSearch');
	return (await method.call(
		context,
		options.filter,
		options.paginationToken,
	)) as INodeListSearchResult;
}

export async function loadOptions(options: LoadOptionsOptions): Promise<INodePropertyOptions[]> {
	const { context, method } = await loadOptionsContext(options, 'loadOptions');
	return (await method.call(context)) as INodePropertyOptions[];
}

/** `getResourceMappingFields`, including n8n's removal of duplicate field ids. */
export async function resourceMapping(options: LoadOptionsOptions): Promise<ResourceMapperFields> {
	const { context, method } = await loadOptionsContext(options, 'resourceMapping');
	const fields = (await method.call(context)) as ResourceMapperFields;
	const seen = new Set<string>();
	return {
		...fields,
		fields: fields.fields?.filter((field) => {
			if (seen.has(field.id)) return false;
			seen.add(field.id);
			return true;
		}),
	};
}
