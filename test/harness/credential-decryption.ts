/**
 * The data half of `CredentialsHelper.getDecrypted` (packages/cli/src/credentials-helper.ts):
 * `applyDefaultsAndOverwrites` adds the type's defaults with `NodeHelpers.getNodeParameters`,
 * keeps the fields n8n pins or manages itself, and resolves `={{ }}` expressions.
 */
import { getAdditionalKeys } from 'n8n-core';
import type {
	CredentialInformation,
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	IExecuteData,
	INode,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError, Workflow, jsonParse } from 'n8n-workflow';

/** `OAUTH_PINNED_FIELDS` (packages/cli/src/oauth/dcr-managed-fields.ts). */
const OAUTH_PINNED_FIELDS = [
	'authUrl',
	'accessTokenUrl',
	'grantType',
	'authentication',
	'requestTokenUrl',
	'signatureMethod',
];
/** `DCR_MANAGED_CREDENTIAL_FIELDS` (same file). */
const DCR_MANAGED_CREDENTIAL_FIELDS = [
	'authUrl',
	'accessTokenUrl',
	'grantType',
	'authentication',
	'usePkce',
	'clientId',
	'clientSecret',
];

const INVALID_JSON_VALUE = Symbol('invalidJsonValue');

/** `createMockNodeTypes()` (packages/cli/src/credentials/mock-node-types.ts). */
function createMockNodeTypes(): INodeTypes {
	const mockType = { description: { properties: [] as INodeProperties[] } } as unknown as INodeType;
	return {
		getKnownTypes: () => ({}),
		getByName: (nodeType: string): INodeType | IVersionedNodeType => {
			if (nodeType !== 'mock') throw new UnexpectedError('Unrecognized node type');
			return mockType;
		},
		getByNameAndVersion: (nodeType: string, version?: number): INodeType => {
			if (nodeType !== 'mock') throw new UnexpectedError('Unrecognized node type');
			return NodeHelpers.getVersionedNodeType(mockType, version);
		},
	};
}

const mockNode = {
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
} as INode;

const mockNodeTypes = createMockNodeTypes();

/**
 * `CredentialsHelper.applyDefaultsAndOverwrites` (no credential overwrites configured), given
 * the type's properties with those of its parents (`getCredentialsProperties`).
 */
export async function applyDefaultsAndOverwrites(
	credentialsProperties: INodeProperties[],
	additionalData: IWorkflowExecuteAdditionalData,
	decryptedDataOriginal: ICredentialDataDecryptedObject,
	mode: WorkflowExecuteMode,
	executeData?: IExecuteData,
	expressionResolveValues?: ICredentialsExpressionResolveValues,
): Promise<ICredentialDataDecryptedObject> {
	const storedData = { ...decryptedDataOriginal };
	for (const field of OAUTH_PINNED_FIELDS) {
		if (credentialsProperties.some((p) => p.name === field && p.type === 'hidden')) {
			delete storedData[field];
		}
	}

	let decryptedData = NodeHelpers.getNodeParameters(
		credentialsProperties,
		storedData as INodeParameters,
		true,
		false,
		null,
		null,
	) as ICredentialDataDecryptedObject;

	if (decryptedDataOriginal.oauthTokenData !== undefined) {
		decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
	}
	if (
		decryptedData.allowedHttpRequestDomains === undefined &&
		decryptedDataOriginal.allowedHttpRequestDomains !== undefined
	) {
		decryptedData.allowedHttpRequestDomains = decryptedDataOriginal.allowedHttpRequestDomains;
	}
	if (
		decryptedData.allowedDomains === undefined &&
		decryptedDataOriginal.allowedDomains !== undefined
	) {
		decryptedData.allowedDomains = decryptedDataOriginal.allowedDomains;
	}
	if (decryptedData.useDynamicClientRegistration) {
		for (const field of DCR_MANAGED_CREDENTIAL_FIELDS) {
			decryptedData[field] = decryptedDataOriginal[field];
		}
	}

	const parsedJsonLeafExpressionFields = parseJsonLeafExpressionFields(
		credentialsProperties,
		decryptedData,
	);

	const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });

	if (expressionResolveValues) {
		try {
			decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
				decryptedData as INodeParameters,
				expressionResolveValues.runExecutionData,
				expressionResolveValues.runIndex,
				expressionResolveValues.itemIndex,
				expressionResolveValues.node.name,
				expressionResolveValues.connectionInputData,
				mode,
				additionalKeys,
				executeData,
				false,
				decryptedData,
			) as ICredentialDataDecryptedObject;
		} catch (e) {
			(e as Error).message += ' [Error resolving credentials]';
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- as n8n's CredentialsHelper: the expression error itself, message extended
			throw e;
		}
	} else {
		const workflow = new Workflow({
			nodes: [mockNode],
			connections: {},
			active: false,
			nodeTypes: mockNodeTypes,
		});
		await workflow.expression.acquireIsolate();
		try {
			decryptedData = resolveCredentialExpressions(
				workflow,
				credentialsProperties,
				decryptedData,
				mode,
				additionalKeys,
			);
		} finally {
			await workflow.expression.releaseIsolate();
		}
	}

	for (const [propertyName, originalValue] of parsedJsonLeafExpressionFields) {
		const serializedValue = JSON.stringify(decryptedData[propertyName]);
		decryptedData[propertyName] = serializedValue ?? originalValue;
	}

	return decryptedData;
}

function resolveCredentialExpressions(
	workflow: Workflow,
	credentialsProperties: INodeProperties[],
	decryptedData: ICredentialDataDecryptedObject,
	mode: WorkflowExecuteMode,
	additionalKeys: IWorkflowDataProxyAdditionalKeys,
): ICredentialDataDecryptedObject {
	const resolve = (parameters: INodeParameters) =>
		workflow.expression.getComplexParameterValue(
			mockNode,
			parameters,
			mode,
			additionalKeys,
			undefined,
			undefined,
			decryptedData,
		) as ICredentialDataDecryptedObject;
	try {
		return resolve(decryptedData as INodeParameters);
	} catch (originalError) {
		// resolve field by field so that fields marked ignoreCredentialExpressionResolveError can be dropped
		const propertiesByName = new Map(credentialsProperties.map((p) => [p.name, p]));
		const resolvedData: ICredentialDataDecryptedObject = {};
		for (const [propertyName, propertyValue] of Object.entries(decryptedData)) {
			try {
				const resolvedProperty = resolve({ [propertyName]: propertyValue } as INodeParameters);
				if (Object.prototype.hasOwnProperty.call(resolvedProperty, propertyName)) {
					resolvedData[propertyName] = resolvedProperty[propertyName];
				}
			} catch {
				if (
					propertiesByName.get(propertyName)?.typeOptions
						?.ignoreCredentialExpressionResolveError === true
				) {
					continue;
				}
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- as n8n's CredentialsHelper: the original expression error
				throw originalError;
			}
		}
		return resolvedData;
	}
}

function parseJsonLeafExpressionFields(
	credentialsProperties: INodeProperties[],
	decryptedData: ICredentialDataDecryptedObject,
): Map<string, string> {
	const parsedFields = new Map<string, string>();
	for (const property of credentialsProperties) {
		if (!property.typeOptions?.resolveCredentialJsonLeaves) continue;
		const value = decryptedData[property.name];
		if (typeof value !== 'string' || value === '') continue;
		const parsed = jsonParse<CredentialInformation | typeof INVALID_JSON_VALUE>(value, {
			fallbackValue: INVALID_JSON_VALUE,
		});
		if (parsed === INVALID_JSON_VALUE) continue;
		parsedFields.set(property.name, value);
		decryptedData[property.name] = parsed;
	}
	return parsedFields;
}
