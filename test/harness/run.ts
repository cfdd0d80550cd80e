/**
 * Runs a node through n8n-core's own execution paths, the way n8n's server calls them:
 *
 * - `runNode`: `ExecuteContext` + `nodeType.execute`, as `WorkflowExecute.executeNode` does.
 * - `runWorkflowNode`: a real `WorkflowExecute` run of Start → node, so n8n's handling of
 *   `onError` (continueRegularOutput / continueErrorOutput), paired items and retries applies.
 * - `runPoll`: `PollContext` + `PollTriggerExecutor` (trigger mode, as an active workflow's poll
 *   tick) or `PollContext` + `poll()` (manual mode, as `WorkflowExecute.executePollNode`).
 * - `listSearch` / `loadOptions` / `resourceMapping`: `LoadOptionsContext` on a one-node
 *   workflow, as `DynamicNodeParametersService` does.
 * - `testCredential`: a temporary node whose `temp` property routes the credential's `test`
 *   request through `RoutingNode`, with the result mapping of `CredentialsTester`.
 */
import { randomUUID } from 'node:crypto';

import {
	BinaryDataService,
	ExecuteContext,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PollContext,
	PollTriggerExecutor,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	NodeExecutionHint,
	IPollFunctions,
	IRun,
	ITaskDataConnections,
	IWorkflowBase,
	IWorkflowSettings,
	ResourceMapperFields,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	NodeConnectionTypes,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
	createRunExecutionData,
	deepCopy,
	isNodeClassInstance,
} from 'n8n-workflow';

import { buildAdditionalData, nextExecutionId } from './additional-data';
import type { CredentialStore } from './credentials';
import type { AnyNodeType } from './node-types';
import {
	HARNESS_PACKAGE_NAME,
	HarnessNodeTypes,
	HarnessStart,
	PACKAGE_NAME,
	describe as describeNode,
	latestVersion,
} from './node-types';
import { coreService, ensureRuntime } from './runtime';

/** Id of the workflow every harness run belongs to. */
export const WORKFLOW_ID = 'harnessWorkflow1';
const WORKFLOW_NAME = 'Harness workflow';
/** Settings of a workflow created in n8n 1.x/2.x (execution order v1). */
const WORKFLOW_SETTINGS: IWorkflowSettings = { executionOrder: 'v1' };

export interface CredentialsOption {
	store: CredentialStore;
	/** Credential type name, e.g. `nexthinkApi`. */
	type: string;
	/** Id returned by `store.add`. */
	id: string;
}

export interface RunNodeOptions {
	/** Node type instance (`new Nexthink()`); versioned node types are accepted too. */
	nodeType: AnyNodeType;
	parameters: INodeParameters;
	/** Input items; default `[{ json: {} }]`. */
	input?: INodeExecutionData[];
	credentials?: CredentialsOption;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	typeVersion?: number;
	nodeName?: string;
	/** Execution mode; default `manual` (a run from the editor). Production runs use `trigger`/`webhook`. */
	mode?: WorkflowExecuteMode;
	/** runNode only: receives the execution hints the node added (shown above the output in n8n). */
	hints?: NodeExecutionHint[];
}

interface BuiltNode {
	node: INode;
	nodeTypes: HarnessNodeTypes;
}

function buildNode(
	nodeType: AnyNodeType,
	options: {
		parameters?: INodeParameters;
		credentials?: CredentialsOption;
		onError?: RunNodeOptions['onError'];
		typeVersion?: number;
		nodeName?: string;
		id?: string;
	},
): BuiltNode {
	const typeVersion = options.typeVersion ?? latestVersion(nodeType);
	const description = describeNode(nodeType, typeVersion);
	const type = `${PACKAGE_NAME}.${description.name}`;
	const node: INode = {
		id: options.id ?? randomUUID(),
		name: options.nodeName ?? description.defaults.name ?? description.displayName,
		type,
		typeVersion,
		position: [0, 0],
		parameters: deepCopy(options.parameters ?? {}),
	};
	if (options.credentials) {
		const { store, type: credentialType, id } = options.credentials;
		node.credentials = { [credentialType]: store.reference(id) };
	}
	if (options.onError) node.onError = options.onError;
	const nodeTypes = new HarnessNodeTypes().register(type, nodeType);
	return { node, nodeTypes };
}

function workflowBase(nodes: INode[], connections: IWorkflowBase['connections']): IWorkflowBase {
	const now = new Date();
	return {
		id: WORKFLOW_ID,
		name: WORKFLOW_NAME,
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: now,
		updatedAt: now,
		nodes,
		connections,
		settings: WORKFLOW_SETTINGS,
	};
}

/**
 * Runs `nodeType.execute` with a real `ExecuteContext`, as `WorkflowExecute.executeNode` does,
 * and returns what the node returned. Throws the node's error when it throws.
 */
export async function runNode(options: RunNodeOptions): Promise<INodeExecutionData[][]> {
	await ensureRuntime();
	const { node, nodeTypes } = buildNode(options.nodeType, options);
	const mode = options.mode ?? 'manual';
	const workflow = new Workflow({
		id: WORKFLOW_ID,
		name: WORKFLOW_NAME,
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: WORKFLOW_SETTINGS,
	});
	const executionId = nextExecutionId();
	const additionalData = buildAdditionalData({
		store: options.credentials?.store,
		executionId,
		workflowId: WORKFLOW_ID,
	});
	additionalData.hooks = new ExecutionLifecycleHooks(mode, executionId, workflowBase([node], {}));

	const items = deepCopy(options.input ?? [{ json: {} }]);
	const inputData: ITaskDataConnections = { main: [items] };
	const executeData: IExecuteData = { node, data: inputData, source: null };
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [] },
	});
	const closeFunctions: Array<() => Promise<void>> = [];
	const abortController = new AbortController();
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		mode,
		runExecutionData,
		0,
		items,
		inputData,
		executeData,
		closeFunctions,
		abortController.signal,
	);

	const versionedNodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (!versionedNodeType.execute) {
		throw new UnexpectedError(
			`Node type "${node.type}" has no execute method; use runPoll for triggers`,
		);
	}
	type ClassExecute = (context: ExecuteContext) => Promise<unknown>;
	let data: unknown;
	try {
		data = isNodeClassInstance(versionedNodeType)
			? await (versionedNodeType.execute as unknown as ClassExecute)(context)
			: await versionedNodeType.execute.call(context);
	} finally {
		await Promise.allSettled(closeFunctions.map(async (fn) => await fn()));
		options.hints?.push(...context.hints);
	}
	return (data ?? []) as INodeExecutionData[][];
}

export interface WorkflowNodeResult {
	/** Output branches of the node from the run data: `main[0]` success, `main[1]` the error output when enabled. */
	main: INodeExecutionData[][];
	/** The run's error when the run failed (the node's error with `onError: 'stopWorkflow'`). */
	error?: unknown;
	/** The full `IRun` WorkflowExecute returned. */
	run: IRun;
}

/**
 * Runs the node inside a real `WorkflowExecute` run: a start node feeds `input` into it, as
 * an "Execute Workflow Trigger" feeds a sub-workflow. n8n's own handling of `onError` applies.
 */
export async function runWorkflowNode(options: RunNodeOptions): Promise<WorkflowNodeResult> {
	await ensureRuntime();
	const { node, nodeTypes } = buildNode(options.nodeType, options);
	const mode = options.mode ?? 'manual';
	const startName = node.name === 'Start' ? 'Harness Start' : 'Start';
	const startType = `${HARNESS_PACKAGE_NAME}.harnessStart`;
	nodeTypes.register(startType, new HarnessStart());
	const start: INode = {
		id: randomUUID(),
		name: startName,
		type: startType,
		typeVersion: 1,
		position: [-200, 0],
		parameters: {},
	};
	const connections: IWorkflowBase['connections'] = {
		[startName]: {
			[NodeConnectionTypes.Main]: [[{ node: node.name, type: NodeConnectionTypes.Main, index: 0 }]],
		},
	};
	const workflow = new Workflow({
		id: WORKFLOW_ID,
		name: WORKFLOW_NAME,
		nodes: [start, node],
		connections,
		active: false,
		nodeTypes,
		settings: WORKFLOW_SETTINGS,
	});

	const executionId = nextExecutionId();
	const additionalData = buildAdditionalData({
		store: options.credentials?.store,
		executionId,
		workflowId: WORKFLOW_ID,
	});
	additionalData.hooks = new ExecutionLifecycleHooks(
		mode,
		executionId,
		workflowBase([start, node], connections),
	);

	const items = deepCopy(options.input ?? [{ json: {} }]);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: start, data: { main: [items] }, source: null }],
		},
	});
	const run = await new WorkflowExecute(
		additionalData,
		mode,
		runExecutionData,
	).processRunExecutionData(workflow);
	const taskData = run.data.resultData.runData[node.name]?.[0];
	const main = (taskData?.data?.[NodeConnectionTypes.Main] ?? []).map((branch) => branch ?? []);
	return { main, error: run.data.resultData.error, run };
}

export interface RunPollOptions {
	nodeType: AnyNodeType;
	parameters: INodeParameters;
	credentials?: CredentialsOption;
	/** `trigger`: a poll of an active workflow; `manual`: "Fetch Test Event" in the editor. */
	mode: 'trigger' | 'manual';
	/**
	 * The workflow's static data (all nodes; a node's bucket is under `node:<name>`). Pass the
	 * same object again for the next poll of the same active workflow; pass
	 * `reloadStaticData(savedStaticData)` to simulate an n8n restart.
	 */
	staticData?: IDataObject;
	/** How the workflow was activated (trigger mode); default `activate`. */
	activation?: WorkflowActivateMode;
	typeVersion?: number;
	nodeName?: string;
}

export interface RunPollResult {
	/** What the poll emitted (`null` when it returned `null`). */
	result: INodeExecutionData[][] | null;
	/** The live static data: the object passed in (or a new one), as the workflow left it. */
	staticData: IDataObject;
	/**
	 * What n8n wrote to the database this poll (trigger mode): n8n saves the workflow's static
	 * data only when a poll emits items (`WorkflowStaticDataService.saveStaticData` in `__emit`)
	 * and it changed. `undefined` when nothing was written — changes made by a poll that returned
	 * `null` live on in memory only, until a later emitting poll saves them.
	 */
	savedStaticData?: IDataObject;
}

/**
 * n8n's Workflow wraps static data in change-tracking proxies, written into the object itself.
 * Once the poll is over, swap them for plain copies so the caller's object stays plain data
 * (structuredClone-able); the next Workflow wraps it again.
 */
function unwrapStaticData(staticData: IDataObject): void {
	for (const key of Object.keys(staticData)) {
		staticData[key] = deepCopy(staticData[key]);
	}
}

/** A JSON copy of static data, as it comes back from n8n's database after a restart. */
export function reloadStaticData(staticData: IDataObject): IDataObject {
	return JSON.parse(JSON.stringify(staticData)) as IDataObject;
}

export async function runPoll(options: RunPollOptions): Promise<RunPollResult> {
	await ensureRuntime();
	const { node, nodeTypes } = buildNode(options.nodeType, options);
	const staticData = options.staticData ?? {};
	// In n8n the active workflow's Workflow object lives from one poll to the next, and so does its
	// "static data changed since the last save" flag; a new Workflow would reset it.
	const unsavedChanges = staticData.__dataChanged === true;
	const workflow = new Workflow({
		id: WORKFLOW_ID,
		name: WORKFLOW_NAME,
		nodes: [node],
		connections: {},
		active: options.mode === 'trigger',
		nodeTypes,
		staticData,
		settings: WORKFLOW_SETTINGS,
	});
	if (unsavedChanges) workflow.staticData.__dataChanged = true;
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (!nodeType.poll) {
		throw new UnexpectedError(`Node type "${node.type}" has no poll method`);
	}

	if (options.mode === 'manual') {
		// WorkflowExecute.executePollNode, inside a manual execution
		const additionalData = buildAdditionalData({
			store: options.credentials?.store,
			executionId: nextExecutionId(),
			workflowId: WORKFLOW_ID,
		});
		const context = new PollContext(workflow, node, additionalData, 'manual', 'manual');
		try {
			const result = await nodeType.poll.call(context);
			return { result, staticData };
		} finally {
			unwrapStaticData(staticData);
		}
	}

	// An active workflow's poll: ActiveWorkflowManager.getExecutePollFunctions builds the
	// PollContext (outside any execution, so no execution id) and ActiveWorkflowTriggers runs
	// every tick through PollTriggerExecutor.
	const additionalData = buildAdditionalData({
		store: options.credentials?.store,
		workflowId: WORKFLOW_ID,
	});
	let emitted: INodeExecutionData[][] | null = null;
	let savedStaticData: IDataObject | undefined;
	let pollError: unknown;
	let failed = false;
	const saveStaticData = () => {
		if (workflow.staticData.__dataChanged === true) {
			savedStaticData = reloadStaticData(workflow.staticData);
			workflow.staticData.__dataChanged = false;
		}
	};
	const emit: IPollFunctions['__emit'] = (data) => {
		saveStaticData();
		emitted = data;
	};
	const emitError: IPollFunctions['__emitError'] = (error) => {
		failed = true;
		pollError = error;
	};
	const context = new PollContext(
		workflow,
		node,
		additionalData,
		'trigger',
		options.activation ?? 'activate',
		emit,
		emitError,
	);
	const executePollTrigger = coreService(PollTriggerExecutor).create(
		workflow,
		node,
		context,
		() => true,
	);
	try {
		await executePollTrigger(false);
	} finally {
		unwrapStaticData(staticData);
	}
	if (failed) throw pollError;
	return { result: emitted, staticData, savedStaticData };
}

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

/** nodes-base's NoOp node as n8n loads it (its description `name` is `noOp`). */
const NO_OP_DESCRIPTION: INodeType['description'] = {
	displayName: 'No Operation, do nothing',
	name: 'noOp',
	group: ['organization'],
	version: 1,
	description: 'No Operation',
	defaults: { name: 'No Operation, do nothing' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	properties: [],
};

interface ErrorWithCause {
	message?: unknown;
	cause?: {
		code?: string;
		response?: { status: number; statusText?: string };
	};
}

/**
 * What n8n's `CredentialsTester.testCredentials` does for a credential type with a `test`
 * request, for a stored credential (the credentials controller passes the stored data).
 */
export async function testCredential(
	options: CredentialsOption,
): Promise<INodeCredentialTestResult> {
	await ensureRuntime();
	const { store, type, id } = options;
	const credentialType = store.getCredentialType(type);
	if (!credentialType.test) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}
	const testRequest = credentialType.test;

	const reference = store.reference(id);
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: reference.id,
		name: reference.name,
		type,
		data: store.get(id),
	};

	try {
		const additionalData = buildAdditionalData({ store });
		credentialsDecrypted.data = await store.helper.applyDefaultsAndOverwrites(
			additionalData,
			credentialsDecrypted.data ?? {},
			type,
			'internal',
		);
	} catch (error) {
		return { status: 'Error', message: String((error as Error).message) };
	}

	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: NO_OP_DESCRIPTION.name,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [type]: { id: reference.id, name: reference.name } },
	};
	const nodeTypeCopy: INodeType = {
		description: {
			...NO_OP_DESCRIPTION,
			credentials: [{ name: type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const mockNodeTypes: INodeTypes = {
		getKnownTypes: () => ({}),
		getByName: (name) => {
			if (name !== nodeTypeCopy.description.name) throw new UserError('Unrecognized node type');
			return nodeTypeCopy;
		},
		getByNameAndVersion: (name, version) => {
			if (name !== nodeTypeCopy.description.name) throw new UserError('Unrecognized node type');
			return NodeHelpers.getVersionedNodeType(nodeTypeCopy, version);
		},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: mockNodeTypes,
	});

	const mode = 'internal';
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const runExecutionData = createRunExecutionData({ resultData: { runData: {} } });
	const additionalData = buildAdditionalData({ store });
	const executeData: IExecuteData = { node, data: {}, source: null };
	const executeFunctions = new ExecuteContext(
		workflow,
		node,
		additionalData,
		mode,
		runExecutionData,
		0,
		[],
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (caught) {
		const error = caught as ErrorWithCause;
		if (error.cause?.response) {
			const errorResponseData = {
				statusCode: error.cause.response.status,
				statusMessage: error.cause.response.statusText,
			};
			for (const rule of testRequest.rules ?? []) {
				if (
					rule.type === 'responseCode' &&
					errorResponseData.statusCode === rule.properties.value
				) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (errorResponseData.statusCode < 199 || errorResponseData.statusCode > 299) {
				return {
					status: 'Error',
					message:
						errorResponseData.statusMessage ||
						`Received HTTP status code: ${errorResponseData.statusCode}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	}

	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const responseData = response?.[0]?.[0]?.json ?? {};
			// lodash `get` semantics for `a.b[0].c` paths
			const value = rule.properties.key
				.split(/[.[\]]+/)
				.filter(Boolean)
				.reduce<unknown>(
					(current, key) => (current as IDataObject | undefined)?.[key],
					responseData,
				);
			if (value === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}

	return { status: 'OK', message: 'Connection successful!' };
}

/** The bytes of a binary property of an output item, read back through n8n's BinaryDataService. */
export async function getBinaryBuffer(
	item: INodeExecutionData,
	property = 'data',
): Promise<Buffer> {
	const binaryData = item.binary?.[property];
	if (!binaryData) {
		throw new UserError(`The item has no binary property "${property}"`);
	}
	return await coreService(BinaryDataService).getAsBuffer(binaryData);
}
