/**
 * One place that wires the package's node and credential to the simulator and the n8n-core
 * harness, so each operation's tests read as "given these parameters and items, Nexthink
 * received this and the node returned that".
 */
import type {
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	NodeApiError,
	NodeExecutionHint,
	NodeOperationError,
} from 'n8n-workflow';

import { NexthinkApi } from '../../credentials/NexthinkApi.credentials';
import { clearNexthinkTokenCache } from '../../credentials/nexthinkToken';
import { Nexthink } from '../../nodes/Nexthink/Nexthink.node';
import { NexthinkTrigger } from '../../nodes/NexthinkTrigger/NexthinkTrigger.node';
import {
	CredentialStore,
	runAsTool,
	runNode,
	runPoll,
	runWorkflowNode,
	type RunAsToolResult,
	type RunNodeOptions,
	type RunPollResult,
} from '../harness';
import { startSimulator, type NexthinkSimulator, type SimulatorOptions } from '../simulator';
import { ALL_PERMISSIONS, type Permission } from '../simulator/types';
import { expectSimulatorRejections } from './strict';

export { allowSimulatorRejections, expectSimulatorRejections } from './strict';

/** The error a run ended with (the test fails if the run succeeded). */
export async function failureOf(run: Promise<unknown>): Promise<NodeApiError & NodeOperationError> {
	return (await run.then(
		() => {
			throw new Error('the run succeeded');
		},
		(error: unknown) => error,
	)) as NodeApiError & NodeOperationError;
}

/** Every API credential permission but `missing`: for the 403 of the one an operation needs. */
export const allPermissionsBut = (missing: Permission): Permission[] =>
	ALL_PERMISSIONS.filter((permission) => permission !== missing);

export interface NexthinkTestbed {
	sim: NexthinkSimulator;
	store: CredentialStore;
	credentialId: string;
	/** Runs the Nexthink node once through ExecuteContext. */
	run(
		parameters: INodeParameters,
		input?: INodeExecutionData[],
		options?: Partial<RunNodeOptions>,
	): Promise<INodeExecutionData[][]>;
	/** Runs the Nexthink node inside a real WorkflowExecute run (n8n's own onError handling). */
	runInWorkflow(
		parameters: INodeParameters,
		input: INodeExecutionData[],
		onError: RunNodeOptions['onError'],
	): ReturnType<typeof runWorkflowNode>;
	/**
	 * Runs the Nexthink node as an AI agent's tool (its `nexthinkTool` variant, through n8n-core's
	 * tool path): `parameters` as the user set the tool up, one tool call per entry of `calls`.
	 */
	runAsTool(parameters: INodeParameters, calls: IDataObject[]): Promise<RunAsToolResult>;
	/** One poll of the Nexthink Trigger (pass the same staticData to continue an active workflow). */
	poll(
		parameters: INodeParameters,
		mode: 'trigger' | 'manual',
		staticData?: IDataObject,
	): Promise<RunPollResult>;
	/** Requests the API host received for these endpoint keys, in order. */
	requests(...endpoints: string[]): NexthinkSimulator['log'];
	/** A fresh credential (empty token) and a fresh token cache. */
	resetCredential(overrides?: Record<string, string>): void;
	/** Between tests: simulator log, faults and recordings cleared, fresh credential, no hints. */
	reset(): void;
	hints: NodeExecutionHint[];
	/**
	 * The running test makes the simulator reject requests on purpose (strict mode is on: see
	 * test/support/strict.ts); without this call such a rejection fails the test.
	 */
	expectRejections(): void;
	close(): Promise<void>;
}

export async function nexthinkTestbed(options: SimulatorOptions = {}): Promise<NexthinkTestbed> {
	const sim = await startSimulator({ strict: true, ...options });
	const store = new CredentialStore([new NexthinkApi()]);
	const nodeType = new Nexthink();
	const testbed: NexthinkTestbed = {
		sim,
		store,
		credentialId: '',
		hints: [],
		async run(parameters, input, runOptions = {}) {
			return await runNode({
				nodeType,
				parameters,
				input,
				credentials: { store, type: 'nexthinkApi', id: testbed.credentialId },
				hints: testbed.hints,
				...runOptions,
			});
		},
		async runInWorkflow(parameters, input, onError) {
			return await runWorkflowNode({
				nodeType,
				parameters,
				input,
				onError,
				credentials: { store, type: 'nexthinkApi', id: testbed.credentialId },
			});
		},
		async runAsTool(parameters, calls) {
			return await runAsTool({
				nodeType,
				parameters,
				calls,
				credentials: { store, type: 'nexthinkApi', id: testbed.credentialId },
			});
		},
		async poll(parameters, mode, staticData) {
			return await runPoll({
				nodeType: new NexthinkTrigger(),
				parameters,
				mode,
				staticData,
				credentials: { store, type: 'nexthinkApi', id: testbed.credentialId },
			});
		},
		requests(...endpoints) {
			return sim.log.filter((entry) => endpoints.includes(entry.endpoint));
		},
		reset() {
			sim.reset();
			testbed.resetCredential();
			testbed.hints.length = 0;
		},
		resetCredential(overrides = {}) {
			clearNexthinkTokenCache();
			testbed.credentialId = store.add('nexthinkApi', {
				...sim.credentials(),
				accessToken: '',
				...overrides,
			}).id;
		},
		expectRejections: expectSimulatorRejections,
		async close() {
			await sim.stop();
		},
	};
	testbed.resetCredential();
	return testbed;
}
