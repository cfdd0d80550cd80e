/**
 * `runWorkflowNode`: a real `WorkflowExecute` run of Start → node, so n8n's handling of
 * `onError` (continueRegularOutput / continueErrorOutput), paired items and retries applies.
 */
import { randomUUID } from 'node:crypto';

import { WorkflowExecute } from 'n8n-core';
import type { INode, INodeExecutionData, IRun, IWorkflowBase } from 'n8n-workflow';
import { NodeConnectionTypes, createRunExecutionData } from 'n8n-workflow';

import { HARNESS_PACKAGE_NAME, HarnessStart } from './node-types';
import { ensureRuntime } from './runtime';
import type { RunNodeOptions } from './workflow-setup';
import { buildNode, prepareExecution } from './workflow-setup';

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
	const { workflow, additionalData, mode, items } = prepareExecution(
		options,
		nodeTypes,
		[start, node],
		connections,
	);

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
