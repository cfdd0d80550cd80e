/**
 * Runs the package's nodes and credentials through n8n-core's real execution code
 * (ExecuteContext, WorkflowExecute, PollContext + PollTriggerExecutor, LoadOptionsContext,
 * RoutingNode, httpRequestWithAuthentication, BinaryDataService). Nothing of n8n is mocked; the
 * harness only plays the parts n8n's server plays around n8n-core (credentials DB and
 * CredentialsHelper, additionalData, node-type registry). test/harness.test.ts shows each entry
 * point at work.
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
export { CredentialStore, HarnessCredentialsHelper } from './credentials';
export type { CredentialReference } from './credentials';
export {
	WORKFLOW_ID,
	getBinaryBuffer,
	listSearch,
	loadOptions,
	reloadStaticData,
	resourceMapping,
	runNode,
	runPoll,
	runWorkflowNode,
	testCredential,
} from './run';
export type {
	CredentialsOption,
	ListSearchOptions,
	LoadOptionsOptions,
	RunNodeOptions,
	RunPollOptions,
	RunPollResult,
	WorkflowNodeResult,
} from './run';
export { BASE_URL, buildAdditionalData } from './additional-data';
export { HarnessNodeTypes, PACKAGE_NAME, prepareNodeType } from './node-types';
