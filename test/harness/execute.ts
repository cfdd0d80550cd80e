/**
 * `runNode`: `ExecuteContext` + `nodeType.execute`, as `WorkflowExecute.executeNode` does.
 */
import { ExecuteContext } from 'n8n-core';
import type { IExecuteData, INode, INodeExecutionData, ITaskDataConnections } from 'n8n-workflow';
import { UnexpectedError, createRunExecutionData, isNodeClassInstance } from 'n8n-workflow';

import { ensureRuntime } from './runtime';
import {
	buildNode,
	prepareExecution,
	type PreparedExecution,
	type RunNodeOptions,
} from './workflow-setup';

/**
 * A real `ExecuteContext` for `node` over the prepared execution's input items (run index 0, a
 * fresh run), as `WorkflowExecute.runNode` builds it, with the close functions it collects.
 */
export function executeContext(
	{ workflow, additionalData, mode, items }: PreparedExecution,
	node: INode,
	signal?: AbortSignal,
): { context: ExecuteContext; closeFunctions: Array<() => Promise<void>> } {
	const inputData: ITaskDataConnections = { main: [items] };
	const executeData: IExecuteData = { node, data: inputData, source: null };
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [] },
	});
	const closeFunctions: Array<() => Promise<void>> = [];
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
		signal ?? new AbortController().signal,
	);
	return { context, closeFunctions };
}

/**
 * Runs `nodeType.execute` with a real `ExecuteContext`, as `WorkflowExecute.executeNode` does,
 * and returns what the node returned. Throws the node's error when it throws.
 */
export async function runNode(options: RunNodeOptions): Promise<INodeExecutionData[][]> {
	await ensureRuntime();
	const { node, nodeTypes } = buildNode(options.nodeType, options);
	const { workflow, additionalData, mode, items } = prepareExecution(
		options,
		nodeTypes,
		[node],
		{},
	);

	const { context, closeFunctions } = executeContext(
		{ workflow, additionalData, mode, items },
		node,
		options.signal,
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
