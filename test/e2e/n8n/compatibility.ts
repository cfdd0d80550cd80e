/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: checks what an installed n8n offers the package (its n8n-workflow and n8n-core), never runs inside n8n */
/**
 * What the package relies on from n8n at run time, checked against an installed n8n line, two ways:
 *
 *  - a probe run by the runtime's Node 24 inside that n8n: the values the package imports from
 *    n8n-workflow (NodeApiError, NodeOperationError, NodeConnectionTypes, sleep,
 *    updateDisplayOptions) and the context methods and helpers the nodes call, on real
 *    n8n-core contexts (ExecuteContext, PollContext, LoadOptionsContext) built on a one-node
 *    workflow;
 *  - the package's sources (nodes/, credentials/) type-checked against that n8n's own
 *    n8n-workflow types: any API the package uses that the line lacks is an error.
 *
 * What a line lacks must be something the package detects and works without (see
 * FEATURE_DETECTED): community-package.e2e.ts asserts exactly that list per line.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';

import { run, tail } from './processes';
import { REPO_ROOT, type N8nLine, type N8nRuntime } from './runtime';

/** Every run-time feature the probe checks, by the name the package's code uses. */
export const RUNTIME_FEATURES = [
	'n8n-workflow NodeApiError',
	'n8n-workflow NodeOperationError',
	'n8n-workflow NodeConnectionTypes.Main',
	'n8n-workflow NodeConnectionTypes.AiTool',
	'n8n-workflow sleep',
	'n8n-workflow updateDisplayOptions',
	'execute getNodeParameter',
	'execute getInputData',
	'execute getNode',
	'execute getCredentials',
	'execute continueOnFail',
	'execute getExecutionCancelSignal',
	'execute addExecutionHints',
	'execute helpers.httpRequest',
	'execute helpers.httpRequestWithAuthentication',
	'execute helpers.prepareBinaryData',
	'poll getNodeParameter',
	'poll getMode',
	'poll getNode',
	'poll getWorkflow',
	'poll getWorkflowStaticData',
	'poll getPollBudgetMs',
	'poll logger.warn',
	'poll helpers.httpRequestWithAuthentication',
	'loadOptions getNodeParameter',
	'loadOptions getCurrentNodeParameter',
	'loadOptions helpers.httpRequestWithAuthentication',
] as const;

export type RuntimeFeature = (typeof RUNTIME_FEATURES)[number];

/**
 * What each line lacks, and what the package does without it. Nothing else may be missing.
 * `poll getPollBudgetMs` (n8n 2.40 on): the trigger's "Fetch Test Event" waits for its export
 * at most min(120 s, budget − 10 s); without it, 110 s (NexthinkTrigger/poll.ts, pollBudgetMs).
 */
export const FEATURE_DETECTED: Record<N8nLine, RuntimeFeature[]> = {
	'2.x': [],
	'1.x': ['poll getPollBudgetMs'],
};

/** The type errors the package's sources give against a line's n8n-workflow: those of FEATURE_DETECTED, where the code tests for the member before it calls it. */
export const EXPECTED_TYPE_ERRORS: Record<N8nLine, string[]> = {
	'2.x': [],
	'1.x': [
		"nodes/NexthinkTrigger/poll.ts: TS2339: Property 'getPollBudgetMs' does not exist on type 'IPollFunctions'.",
	],
};

/** Runs inside n8n's own node_modules (PROBE_ROOT): prints one JSON line, feature → present. */
const PROBE = String.raw`
const from = require.resolve('n8n/package.json', { paths: [process.env.PROBE_ROOT] });
const w = require(require.resolve('n8n-workflow', { paths: [from] }));
const core = require(require.resolve('n8n-core', { paths: [from] }));
const found = {};
const has = (prefix, target, names) => {
	for (const name of names) {
		const [head, member] = name.split('.');
		const value = member ? target?.[head]?.[member] : target?.[head];
		found[prefix + ' ' + name] = typeof value === 'function' || (typeof value === 'string' && value.length > 0);
	}
};
has('n8n-workflow', w, ['NodeApiError', 'NodeOperationError', 'sleep', 'updateDisplayOptions', 'NodeConnectionTypes.Main', 'NodeConnectionTypes.AiTool']);
const node = { id: 'probe-node', name: 'Probe', type: 'probe.node', typeVersion: 1, position: [0, 0], parameters: {} };
const nodeType = { description: { name: 'probe.node', displayName: 'Probe', group: [], version: 1, description: '', defaults: {}, inputs: ['main'], outputs: ['main'], properties: [] } };
const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) };
const workflow = new w.Workflow({ id: 'probe', nodes: [node], connections: {}, active: false, nodeTypes });
const base = 'http://127.0.0.1:9/';
const additionalData = { credentialsHelper: {}, executionId: 'probe', restApiUrl: base + 'rest', instanceBaseUrl: base, webhookBaseUrl: base + 'webhook', webhookTestBaseUrl: base + 'webhook-test', webhookWaitingBaseUrl: base + 'webhook-waiting', formWaitingBaseUrl: base + 'form-waiting', variables: {} };
const items = [{ json: {} }];
const runExecutionData = { resultData: { runData: {} }, executionData: { contextData: {}, nodeExecutionStack: [], metadata: {}, waitingExecution: {}, waitingExecutionSource: {} } };
const execute = new core.ExecuteContext(workflow, node, additionalData, 'manual', runExecutionData, 0, items, { main: [items] }, { node, data: { main: [items] }, source: null }, [], new AbortController().signal);
has('execute', execute, ['getNodeParameter', 'getInputData', 'getNode', 'getCredentials', 'continueOnFail', 'getExecutionCancelSignal', 'addExecutionHints', 'helpers.httpRequest', 'helpers.httpRequestWithAuthentication', 'helpers.prepareBinaryData']);
const poll = new core.PollContext(workflow, node, additionalData, 'trigger', 'activate');
has('poll', poll, ['getNodeParameter', 'getMode', 'getNode', 'getWorkflow', 'getWorkflowStaticData', 'getPollBudgetMs', 'logger.warn', 'helpers.httpRequestWithAuthentication']);
const loadOptions = new core.LoadOptionsContext(workflow, node, additionalData, 'parameters');
has('loadOptions', loadOptions, ['getNodeParameter', 'getCurrentNodeParameter', 'helpers.httpRequestWithAuthentication']);
process.stdout.write('PROBE ' + JSON.stringify(found) + '\n');
process.exit(0);
`;

/** Which RUNTIME_FEATURES the runtime's n8n offers (probe run with its Node, from its folder). */
export async function probeRuntimeFeatures(
	runtime: N8nRuntime,
): Promise<Record<RuntimeFeature, boolean>> {
	const folder = mkdtempSync(join(tmpdir(), 'n8n-nexthink-probe-'));
	try {
		const result = await run(runtime.nodeBin, ['-e', PROBE], {
			cwd: folder,
			// n8n-core writes an encryption key into the user folder when it loads.
			env: runtime.env({ PROBE_ROOT: runtime.n8nRoot, N8N_USER_FOLDER: folder }),
			timeoutMs: 120_000,
		});
		const line = result.stdout.split('\n').find((text) => text.startsWith('PROBE '));
		if (result.code !== 0 || !line)
			throw new Error(
				`The feature probe failed in n8n ${runtime.n8nVersion} (exit ${result.code ?? result.signal}):\n${tail(`${result.stdout}\n${result.stderr}`)}`,
			);
		const found = JSON.parse(line.slice('PROBE '.length)) as Record<string, boolean>;
		return Object.fromEntries(
			RUNTIME_FEATURES.map((feature) => [feature, found[feature] === true]),
		) as Record<RuntimeFeature, boolean>;
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}

/**
 * The package's sources type-checked against the runtime's n8n-workflow (the copy n8n itself
 * loads, which is the one a community package gets): the errors, as "file: TSxxxx: message"
 * (no line numbers, so that edits elsewhere in a file do not change them).
 */
export async function typecheckAgainstRuntime(runtime: N8nRuntime): Promise<string[]> {
	const folder = mkdtempSync(join(tmpdir(), 'n8n-nexthink-tsc-'));
	try {
		// Node's resolution from n8n's package: its own copy if it has one, else the hoisted one.
		const workflowDir = [
			join(runtime.n8nRoot, 'node_modules', 'n8n', 'node_modules', 'n8n-workflow'),
			join(runtime.n8nRoot, 'node_modules', 'n8n-workflow'),
		].find((candidate) => existsSync(join(candidate, 'package.json')));
		if (!workflowDir)
			throw new Error(`n8n ${runtime.n8nVersion} in ${runtime.n8nRoot} has no n8n-workflow`);
		const config = join(folder, 'tsconfig.json');
		writeFileSync(
			config,
			JSON.stringify(
				{
					extends: join(REPO_ROOT, 'tsconfig.json'),
					compilerOptions: {
						noEmit: true,
						incremental: false,
						declaration: false,
						sourceMap: false,
						baseUrl: REPO_ROOT,
						paths: { 'n8n-workflow': [workflowDir] },
						typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
					},
					include: [
						join(REPO_ROOT, 'nodes', '**', '*.ts'),
						join(REPO_ROOT, 'credentials', '**', '*.ts'),
					],
				},
				null,
				2,
			),
		);
		const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
		const result = await run(process.execPath, [tsc, '-p', config, '--pretty', 'false'], {
			cwd: REPO_ROOT,
			timeoutMs: 5 * 60_000,
		});
		const errors = result.stdout
			.split('\n')
			.map((text) => /^(.+?)\(\d+,\d+\): error (TS\d+): (.*)$/.exec(text.trim()))
			.filter((match): match is RegExpExecArray => match !== null)
			.map(
				([, file, code, message]) =>
					`${relative(REPO_ROOT, isAbsolute(file) ? file : join(REPO_ROOT, file))}: ${code}: ${message}`,
			);
		if (result.code !== 0 && errors.length === 0)
			throw new Error(
				`tsc against n8n ${runtime.n8nVersion}'s n8n-workflow failed:\n${tail(`${result.stdout}\n${result.stderr}`)}`,
			);
		return [...new Set(errors)].sort();
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}
