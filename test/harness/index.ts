/**
 * Runs the package's nodes and credentials through n8n-core's real execution code
 * (ExecuteContext, WorkflowExecute, PollContext + PollTriggerExecutor, LoadOptionsContext,
 * RoutingNode, httpRequestWithAuthentication, BinaryDataService). Nothing of n8n is mocked; the
 * harness only plays the parts n8n's server plays around n8n-core (credentials DB and
 * CredentialsHelper, additionalData, node-type registry). test/harness/harness.test.ts shows each entry
 * point at work.
 *
 * Entry points, each running a node through n8n-core's own execution paths the way n8n's server
 * calls them; one file each (workflow-setup.ts holds what they share):
 * - `runNode` (execute.ts): `ExecuteContext` + `nodeType.execute`, as `WorkflowExecute.executeNode` does.
 * - `runWorkflowNode` (workflow.ts): a real `WorkflowExecute` run of Start → node, so n8n's
 *   handling of `onError` (continueRegularOutput / continueErrorOutput), paired items and retries applies.
 * - `runPoll` (poll.ts): `PollContext` + `PollTriggerExecutor` (trigger mode, as an active
 *   workflow's poll tick) or `PollContext` + `poll()` (manual mode, as `WorkflowExecute.executePollNode`).
 * - `listSearch` / `loadOptions` / `resourceMapping` (load-options.ts): `LoadOptionsContext` on a
 *   one-node workflow, as `DynamicNodeParametersService` does.
 * - `testCredential` (credential-test.ts): a temporary node whose `temp` property routes the
 *   credential's `test` request through `RoutingNode`, with the result mapping of `CredentialsTester`.
 * - `getBinaryBuffer` (binary.ts): an output item's binary data, read back through BinaryDataService.
 * - `runAsTool` (tool.ts): the node's `<type>Tool` variant connected to an agent, each tool call
 *   through n8n-core's `getInputConnectionData` / `createNodeAsTool` / `SupplyDataContext`.
 *
 * The parts the harness plays: `CredentialStore` (credential-store.ts: the credentials table and
 * credential types, with n8n's loader additions from credential-types.ts), `HarnessCredentialsHelper`
 * (credentials-helper.ts, with credential-decryption.ts), `buildAdditionalData`
 * (additional-data.ts), `HarnessNodeTypes` (node-types.ts), n8n-core's DI container (runtime.ts).
 *
 * Things that follow n8n and may surprise:
 * - `runWorkflowNode(...).error` is the run's error as n8n records it: a plain copy
 *   (`{ name: 'NodeApiError', message, httpCode, … }`), not an Error instance.
 * - `runPoll` in trigger mode: `savedStaticData` is what n8n would have written to its database;
 *   n8n saves static data only when a poll emits. Simulate a restart with
 *   `reloadStaticData(savedStaticData)` (or of the live object, if you want the optimistic case).
 * - `testCredential` does not force `preAuthentication`: n8n's check is for a node typed
 *   `n8n-nodes-base.noOp` but its test node is typed `noOp`, so a stored token is used as is.
 * - Set DEBUG_HARNESS=1 to see n8n's debug log.
 */
export { CredentialStore } from './credential-store';
export type { CredentialReference } from './credential-store';
export { HarnessCredentialsHelper } from './credentials-helper';
export { WORKFLOW_ID } from './workflow-setup';
export type { CredentialsOption, RunNodeOptions } from './workflow-setup';
export { runNode } from './execute';
export { runWorkflowNode } from './workflow';
export type { WorkflowNodeResult } from './workflow';
export { reloadStaticData, runPoll } from './poll';
export type { RunPollOptions, RunPollResult } from './poll';
export { listSearch, loadOptions, resourceMapping } from './load-options';
export type { ListSearchOptions, LoadOptionsOptions } from './load-options';
export { testCredential } from './credential-test';
export { getBinaryBuffer } from './binary';
export { runAsTool } from './tool';
export type { RunAsToolResult, ToolCallResult } from './tool';
export { BASE_URL, buildAdditionalData } from './additional-data';
export { HarnessNodeTypes, PACKAGE_NAME, prepareNodeType } from './node-types';
