/**
 * `IWorkflowExecuteAdditionalData` as `WorkflowExecuteAdditionalData.getBase()` builds it in
 * n8n's CLI (packages/cli/src/workflow-execute-additional-data.ts) with a default configuration:
 * base URL http://localhost:5678/, default endpoint names, no variables, SSRF protection off
 * (so no `ssrfBridge`, as in n8n), no external secrets providers.
 */
import { ExternalSecretsProxy } from 'n8n-core';
import type { INodeParameters, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { CredentialStore } from './credential-store';
import { coreService } from './runtime';

export const BASE_URL = 'http://localhost:5678/';

let executionCounter = 0;

/** A fresh execution id, like the ids n8n's executions table hands out. */
export function nextExecutionId(): string {
	executionCounter += 1;
	return String(executionCounter);
}

export interface AdditionalDataOptions {
	store?: CredentialStore;
	executionId?: string;
	workflowId?: string;
	currentNodeParameters?: INodeParameters;
}

const emptyStore = new CredentialStore([]);

export function buildAdditionalData(
	options: AdditionalDataOptions = {},
): IWorkflowExecuteAdditionalData {
	const { store = emptyStore, executionId, workflowId, currentNodeParameters } = options;
	return {
		currentNodeExecutionIndex: 0,
		credentialsHelper: store.helper,
		executeWorkflow: async () => {
			throw new UserError('The harness does not run sub-workflows');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		restApiUrl: `${BASE_URL}rest`,
		instanceBaseUrl: BASE_URL,
		formBaseUrl: `${BASE_URL}form`,
		formTestBaseUrl: `${BASE_URL}form-test`,
		formWaitingBaseUrl: `${BASE_URL}form-waiting`,
		webhookBaseUrl: `${BASE_URL}webhook`,
		webhookTestBaseUrl: `${BASE_URL}webhook-test`,
		webhookWaitingBaseUrl: `${BASE_URL}webhook-waiting`,
		mcpBaseUrl: `${BASE_URL}mcp`,
		mcpTestBaseUrl: `${BASE_URL}mcp-test`,
		currentNodeParameters,
		executionId,
		workflowId,
		variables: {},
		setExecutionStatus: () => {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new UserError('The harness has no task runners (Code node)');
		},
		externalSecretsProxy: coreService(ExternalSecretsProxy),
	};
}
