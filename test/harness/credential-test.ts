/**
 * `testCredential`: a temporary node whose `temp` property routes the credential's `test`
 * request through `RoutingNode`, with the result mapping of `CredentialsTester`.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	ITaskDataConnections,
} from 'n8n-workflow';
import {
	NodeConnectionTypes,
	NodeHelpers,
	UserError,
	Workflow,
	createRunExecutionData,
} from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { ensureRuntime } from './runtime';
import type { CredentialsOption } from './workflow-setup';

/** nodes-base's NoOp node as n8n loads it (its description `name` is `noOp`). */
const NO_OP_DESCRIPTION: INodeType['description'] = {
	displayName: 'No Operation, do nothing',
	name: 'noOp',
	group: ['organization'],
	version: 1,
	description: 'No Operation',
	defaults: { name: 'No Operation, do nothing' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	properties: [],
};

interface ErrorWithCause {
	message?: unknown;
	cause?: {
		code?: string;
		response?: { status: number; statusText?: string };
	};
}

/**
 * What n8n's `CredentialsTester.testCredentials` does for a credential type with a `test`
 * request, for a stored credential (the credentials controller passes the stored data).
 */
export async function testCredential(
	options: CredentialsOption,
): Promise<INodeCredentialTestResult> {
	await ensureRuntime();
	const { store, type, id } = options;
	const credentialType = store.getCredentialType(type);
	if (!credentialType.test) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}
	const testRequest = credentialType.test;

	const reference = store.reference(id);
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: reference.id,
		name: reference.name,
		type,
		data: store.get(id),
	};

	try {
		const additionalData = buildAdditionalData({ store });
		credentialsDecrypted.data = await store.helper.applyDefaultsAndOverwrites(
			additionalData,
			credentialsDecrypted.data ?? {},
			type,
			'internal',
		);
	} catch (error) {
		return { status: 'Error', message: String((error as Error).message) };
	}

	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: NO_OP_DESCRIPTION.name,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [type]: { id: reference.id, name: reference.name } },
	};
	const nodeTypeCopy: INodeType = {
		description: {
			...NO_OP_DESCRIPTION,
			credentials: [{ name: type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const mockNodeTypes: INodeTypes = {
		getKnownTypes: () => ({}),
		getByName: (name) => {
			if (name !== nodeTypeCopy.description.name) throw new UserError('Unrecognized node type');
			return nodeTypeCopy;
		},
		getByNameAndVersion: (name, version) => {
			if (name !== nodeTypeCopy.description.name) throw new UserError('Unrecognized node type');
			return NodeHelpers.getVersionedNodeType(nodeTypeCopy, version);
		},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: mockNodeTypes,
	});

	const mode = 'internal';
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const runExecutionData = createRunExecutionData({ resultData: { runData: {} } });
	const additionalData = buildAdditionalData({ store });
	const executeData: IExecuteData = { node, data: {}, source: null };
	const executeFunctions = new ExecuteContext(
		workflow,
		node,
		additionalData,
		mode,
		runExecutionData,
		0,
		[],
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (caught) {
		const error = caught as ErrorWithCause;
		if (error.cause?.response) {
			const errorResponseData = {
				statusCode: error.cause.response.status,
				statusMessage: error.cause.response.statusText,
			};
			for (const rule of testRequest.rules ?? []) {
				if (
					rule.type === 'responseCode' &&
					errorResponseData.statusCode === rule.properties.value
				) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (errorResponseData.statusCode < 199 || errorResponseData.statusCode > 299) {
				return {
					status: 'Error',
					message:
						errorResponseData.statusMessage ||
						`Received HTTP status code: ${errorResponseData.statusCode}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	}

	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const responseData = response?.[0]?.[0]?.json ?? {};
			// lodash `get` semantics for `a.b[0].c` paths
			const value = rule.properties.key
				.split(/[.[\]]+/)
				.filter(Boolean)
				.reduce<unknown>(
					(current, key) => (current as IDataObject | undefined)?.[key],
					responseData,
				);
			if (value === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}

	return { status: 'OK', message: 'Connection successful!' };
}
