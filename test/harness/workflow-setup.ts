/**
 * What the entry points share: the node under test as n8n's editor saves it, the one workflow
 * every harness run belongs to, and the set-up n8n's server does around an execution (a fresh
 * execution id, additionalData, lifecycle hooks).
 */
import { randomUUID } from 'node:crypto';

import { ExecutionLifecycleHooks } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	NodeExecutionHint,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow, deepCopy } from 'n8n-workflow';

import { buildAdditionalData, nextExecutionId } from './additional-data';
import type { CredentialStore } from './credential-store';
import type { AnyNodeType } from './node-types';
import {
	HarnessNodeTypes,
	PACKAGE_NAME,
	describe as describeNode,
	latestVersion,
} from './node-types';

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
	/** runNode only: the execution's cancel signal (abort it to play the user's Cancel). */
	signal?: AbortSignal;
}

interface BuiltNode {
	node: INode;
	nodeTypes: HarnessNodeTypes;
}

export function buildNode(
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

/** The harness workflow: inactive and without static data unless told otherwise. */
export function harnessWorkflow(
	nodes: INode[],
	connections: IWorkflowBase['connections'],
	nodeTypes: HarnessNodeTypes,
	state: { active?: boolean; staticData?: IDataObject } = {},
): Workflow {
	return new Workflow({
		id: WORKFLOW_ID,
		name: WORKFLOW_NAME,
		nodes,
		connections,
		active: state.active ?? false,
		nodeTypes,
		staticData: state.staticData,
		settings: WORKFLOW_SETTINGS,
	});
}

export interface PreparedExecution {
	workflow: Workflow;
	additionalData: IWorkflowExecuteAdditionalData;
	mode: WorkflowExecuteMode;
	/** A copy of `options.input` (default `[{ json: {} }]`). */
	items: INodeExecutionData[];
}

/**
 * An execution of the harness workflow made of `nodes`: a fresh execution id, the additionalData
 * carrying the caller's credential store, and lifecycle hooks built on the same workflow data.
 */
export function prepareExecution(
	options: RunNodeOptions,
	nodeTypes: HarnessNodeTypes,
	nodes: INode[],
	connections: IWorkflowBase['connections'],
): PreparedExecution {
	const mode = options.mode ?? 'manual';
	const workflow = harnessWorkflow(nodes, connections, nodeTypes);
	const executionId = nextExecutionId();
	const additionalData = buildAdditionalData({
		store: options.credentials?.store,
		executionId,
		workflowId: WORKFLOW_ID,
	});
	additionalData.hooks = new ExecutionLifecycleHooks(
		mode,
		executionId,
		workflowBase(nodes, connections),
	);
	const items = deepCopy(options.input ?? [{ json: {} }]);
	return { workflow, additionalData, mode, items };
}
