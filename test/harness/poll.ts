/**
 * `runPoll`: `PollContext` + `PollTriggerExecutor` (trigger mode, as an active workflow's poll
 * tick) or `PollContext` + `poll()` (manual mode, as `WorkflowExecute.executePollNode`), and the
 * workflow's static data as n8n keeps it in memory and saves it to its database.
 */
import { PollContext, PollTriggerExecutor } from 'n8n-core';
import type {
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	IPollFunctions,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { UnexpectedError, deepCopy } from 'n8n-workflow';

import { buildAdditionalData, nextExecutionId } from './additional-data';
import type { AnyNodeType } from './node-types';
import { coreService, ensureRuntime } from './runtime';
import type { CredentialsOption } from './workflow-setup';
import { WORKFLOW_ID, buildNode, harnessWorkflow } from './workflow-setup';

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
	const workflow = harnessWorkflow([node], {}, nodeTypes, {
		active: options.mode === 'trigger',
		staticData,
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
