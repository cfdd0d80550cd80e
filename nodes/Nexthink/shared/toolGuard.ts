/**
 * Safe use by an AI agent. n8n derives a tool variant of the node (type `…nexthinkTool`, see
 * n8n's packages/cli/src/node-types.ts and tool-generation/ai-tools.ts) and runs its `execute`
 * when the agent calls the tool. In that variant:
 * - Remote Action > Execute, Workflow > Trigger and Campaign > Trigger run only on the remote
 *   actions, workflows and campaigns listed in their AI Agent Allow-List (empty: none);
 * - the other operations that change something in Nexthink (Schedule Deletion, Enrich Fields,
 *   Spark Handoff, Trigger Wait-for-Event) run only when their Allow Use by AI Agent is on;
 * - every other operation only reads, and is unrestricted.
 * The fields show only in the tool variant (`@tool` display option); a normal run ignores them.
 * Each refusal is thrown before any request leaves, naming the field and the fix.
 */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import {
	CAMPAIGN_NQL_ID,
	REMOTE_ACTION_NQL_ID,
	WORKFLOW_NQL_ID,
	type Identifier,
} from './identifiers';
import { readList } from './parameters';
import { quote } from './text';

export const ALLOW_LIST_FIELD = 'aiAgentAllowList';
export const ALLOW_USE_FIELD = 'aiAgentAllowUse';
const ALLOW_LIST_LABEL = 'AI Agent Allow-List';
const ALLOW_USE_LABEL = 'Allow Use by AI Agent';

/** Shown in the tool variant only (n8n reads `@tool` as "the node type's name ends in Tool"). */
const TOOL_ONLY = { show: { '@tool': [true] } };

interface AllowListGuard {
	kind: 'allowList';
	/** "remote action": what the list holds. */
	noun: string;
	identifier: Identifier;
}

interface OptInGuard {
	kind: 'optIn';
	/** What the agent could do: "delete devices from the Nexthink inventory". */
	does: string;
}

export type ToolGuard = AllowListGuard | OptInGuard;

/**
 * Every operation that changes something in Nexthink (those whose requests the engine runs with
 * `triggersAction`), by `resource.operation`. Any operation not here only reads.
 */
export const TOOL_GUARDS = {
	'remoteAction.execute': {
		kind: 'allowList',
		noun: 'remote action',
		identifier: REMOTE_ACTION_NQL_ID,
	},
	'workflow.trigger': { kind: 'allowList', noun: 'workflow', identifier: WORKFLOW_NQL_ID },
	'campaign.trigger': { kind: 'allowList', noun: 'campaign', identifier: CAMPAIGN_NQL_ID },
	'device.scheduleDeletion': {
		kind: 'optIn',
		does: 'delete devices and their data from the Nexthink inventory, which cannot be undone',
	},
	'enrichment.enrichFields': {
		kind: 'optIn',
		does: 'change the values of fields of devices, users, binaries or packages in Nexthink',
	},
	'spark.handoff': { kind: 'optIn', does: 'hand conversations with users over to Spark' },
	'workflow.triggerWaitForEvent': {
		kind: 'optIn',
		does: 'resume workflow executions that wait for an event',
	},
} satisfies Record<string, ToolGuard>;

export type GuardedOperation = keyof typeof TOOL_GUARDS;

function guardOf(resource: string, operation: string): ToolGuard | undefined {
	const key = `${resource}.${operation}`;
	return Object.prototype.hasOwnProperty.call(TOOL_GUARDS, key)
		? (TOOL_GUARDS as Record<string, ToolGuard>)[key]
		: undefined;
}

/** The guard's field of an operation, for its `properties` (shown in the tool variant only). */
export function toolGuardField(operation: GuardedOperation): INodeProperties {
	const guard: ToolGuard = TOOL_GUARDS[operation];
	if (guard.kind === 'optIn')
		return {
			displayName: ALLOW_USE_LABEL,
			name: ALLOW_USE_FIELD,
			type: 'boolean',
			noDataExpression: true,
			default: false,
			displayOptions: TOOL_ONLY,
			description: `Whether the AI agent may run this operation, which can ${guard.does}. Off: the agent's calls are refused and nothing is sent.`,
		};
	return {
		displayName: ALLOW_LIST_LABEL,
		name: ALLOW_LIST_FIELD,
		type: 'string',
		noDataExpression: true,
		default: '',
		placeholder: `${guard.identifier.example}\n#another_${guard.noun.replace(/ /g, '_')}`,
		typeOptions: { rows: 3 },
		displayOptions: TOOL_ONLY,
		description: `The NQL IDs of the ${guard.noun}s the AI agent may run, one per line or comma-separated. Empty: none; the agent's calls for any other ${guard.noun} are refused before anything is sent.`,
	};
}

type ToolContext = Pick<IExecuteFunctions, 'getNode'> & {
	isToolExecution?: () => boolean;
};

/**
 * Whether the node runs as an AI agent's tool: n8n-core's `isToolExecution()` (true in the
 * SupplyDataContext n8n gives a tool, n8n-core ≥ 1.9x), else the node's type, which n8n names
 * `<type>Tool` for the tool variant (n8n-workflow's `isToolType`), for older n8n.
 */
export function isToolRun(context: ToolContext): boolean {
	if (typeof context.isToolExecution === 'function' && context.isToolExecution() === true)
		return true;
	const type = context.getNode().type ?? '';
	return (type.split('.').pop() ?? '').endsWith('Tool');
}

/**
 * A guard field's value as the user saved it. An expression (`={{ … }}`, `$fromAI()` among them)
 * counts as nothing allowed: the agent must not be able to widen its own permissions.
 */
function fixedValue(context: ToolContext, name: string): unknown {
	const value = context.getNode().parameters[name];
	return typeof value === 'string' && value.startsWith('=') ? undefined : value;
}

/** Opt-in operations: refuses an agent's call unless Allow Use by AI Agent is on. */
export function checkToolUse(context: ToolContext, resource: string, operation: string): void {
	const guard = guardOf(resource, operation);
	if (guard?.kind !== 'optIn' || !isToolRun(context)) return;
	if (fixedValue(context, ALLOW_USE_FIELD) === true) return;
	throw new NodeOperationError(
		context.getNode(),
		`${ALLOW_USE_LABEL}: it is off, so the AI agent may not run this operation; nothing was sent to Nexthink`,
		{
			description: `This operation can ${guard.does}. To let the agent run it, turn on ${ALLOW_USE_LABEL} in the tool's settings.`,
		},
	);
}

/**
 * Allow-list operations: refuses an agent's call for a remote action, workflow or campaign the
 * AI Agent Allow-List does not name. Called with the ID as checked, before any request.
 */
export function checkAllowedForTool(
	context: ToolContext,
	operation: GuardedOperation,
	id: string,
	itemIndex: number,
): void {
	const guard: ToolGuard = TOOL_GUARDS[operation];
	if (guard.kind !== 'allowList' || !isToolRun(context)) return;
	const listed = readList(fixedValue(context, ALLOW_LIST_FIELD));
	const { identifier } = guard;
	if (listed.some((entry) => identifier.same(entry, id))) return;
	throw new NodeOperationError(
		context.getNode(),
		`${ALLOW_LIST_LABEL}: the AI agent asked for the ${guard.noun} ${quote(id)}, which the list does not name; nothing was sent to Nexthink`,
		{
			itemIndex,
			description:
				(fixedValue(context, ALLOW_LIST_FIELD) === undefined &&
				context.getNode().parameters[ALLOW_LIST_FIELD] !== undefined
					? 'The list is an expression, which allows nothing: the agent must not widen its own list. Write the NQL IDs as fixed text. '
					: '') +
				(listed.length === 0
					? `The list is empty, so the agent may run no ${guard.noun}. To allow this one, add ${id} to ${ALLOW_LIST_LABEL} in the tool's settings.`
					: `The agent may run only ${listed.join(', ')}. To allow this one too, add ${id} to ${ALLOW_LIST_LABEL} in the tool's settings.`),
		},
	);
}
