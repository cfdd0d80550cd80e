/**
 * n8n's credentials database + `CredentialsHelper` (packages/cli/src/credentials-helper.ts) +
 * `CredentialTypes` (packages/cli/src/credential-types.ts), reduced to what a community package
 * can reach, with the same algorithms:
 *
 * - `getDecrypted` reads the stored data afresh on every call (as the DB does), adds the type's
 *   defaults with `NodeHelpers.getNodeParameters` and resolves `={{ }}` expressions.
 * - `authenticate` applies a function-style `authenticate`, or the `generic` one: every key and
 *   value is resolved as an expression with `$credentials` and merged into
 *   `headers` / `qs` / `body` / `auth`.
 * - `preAuthentication` finds the hidden `typeOptions.expirable` property and runs the type's
 *   `preAuthentication` when that property is empty, when `credentialsExpired` is true (after a
 *   401), or when the node is n8n's credential-test node. Its output is persisted through
 *   `updateCredentials` only if it contains the expirable property. n8n keeps no expiry time and
 *   has no single-flight: parallel requests with an empty token each fetch one.
 */
import { getAdditionalKeys } from 'n8n-core';
import type {
	CredentialInformation,
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IVersionedNodeType,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentials,
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
	getCredentialOwnRequestAllowedDomains,
	isExpression,
	jsonParse,
} from 'n8n-workflow';

/** The reference a node carries in `node.credentials[type]`. */
export interface CredentialReference {
	id: string;
	name: string;
}

interface StoredCredential {
	id: string;
	name: string;
	type: string;
	/** Serialised like the DB column (n8n encrypts it; the harness does not need to). */
	data: string;
}

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

/** `injectDomainRestrictionFields` (packages/cli/src/load-nodes-and-credentials.ts). */
const DOMAIN_RESTRICTION_FIELDS: INodeProperties[] = [
	{
		displayName: 'Allowed HTTP Request Domains',
		name: 'allowedHttpRequestDomains',
		type: 'options',
		options: [
			{
				name: 'All',
				value: 'all',
				description: 'Allow all requests when used in the HTTP Request node',
			},
			{
				name: 'Specific Domains',
				value: 'domains',
				description: 'Restrict requests to specific domains',
			},
			{
				name: 'None',
				value: 'none',
				description: 'Block all requests when used in the HTTP Request node',
			},
		],
		default: 'all',
		description: 'Control which domains this credential can be used with in HTTP Request nodes',
	},
	{
		displayName: 'Allowed Domains',
		name: 'allowedDomains',
		type: 'string',
		default: '',
		placeholder: 'example.com, *.subdomain.com',
		description: 'Comma-separated list of allowed domains (supports wildcards with *)',
		displayOptions: { show: { allowedHttpRequestDomains: ['domains'] } },
	},
];

/**
 * n8n's loader adds the two domain-restriction fields to every credential type with
 * `authenticate`, `genericAuth` or an OAuth parent. The harness does it on a derived object so
 * the caller's instance stays untouched.
 */
function loadCredentialType(type: ICredentialType): ICredentialType {
	const shouldAdd =
		type.authenticate !== undefined ||
		type.genericAuth === true ||
		(Array.isArray(type.extends) &&
			['oAuth2Api', 'oAuth1Api', 'googleOAuth2Api'].some((parent) =>
				type.extends?.includes(parent),
			));
	if (
		!shouldAdd ||
		type.hideDomainRestrictionFields === true ||
		type.properties.some((property) => property.name === 'allowedHttpRequestDomains')
	) {
		return type;
	}
	const loaded = Object.create(type) as ICredentialType;
	loaded.properties = [...type.properties, ...DOMAIN_RESTRICTION_FIELDS];
	return loaded;
}

/** A stored credential as `CredentialsHelper.getCredentials` hands it out. */
class StoredCredentials extends ICredentials {
	async getData(): Promise<ICredentialDataDecryptedObject> {
		return jsonParse<ICredentialDataDecryptedObject>(this.data ?? '{}');
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: this.data };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.data = JSON.stringify(data);
	}

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: string[] = [],
	): Promise<void> {
		const data = { ...(await this.getData()), ...toUpdate };
		for (const key of toDelete) delete data[key];
		await this.setData(data as ICredentialDataDecryptedObject);
	}
}

/**
 * `restrictToCredentialDomains` (packages/cli/src/credentials-helper.ts): the helpers a
 * credential's `preAuthentication` gets.
 */
function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions) => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) {
					return await helpers.helpers.httpRequest(requestOptions);
				}
				if (requestOptions.allowedDomains !== undefined) {
					throw new UserError(
						'This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	} as IHttpRequestHelper;
}

/** The `additionalData.credentialsHelper` the harness gives n8n-core. */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: CredentialStore) {
		super();
	}

	private getType(name: string): ICredentialType {
		return this.store.getCredentialType(name);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions;
		const credentialType = this.getType(typeName);

		if (credentialType.authenticate) {
			if (typeof credentialType.authenticate === 'function') {
				return await credentialType.authenticate(
					credentials,
					requestOptions as IHttpRequestOptions,
				);
			}

			if (typeof credentialType.authenticate === 'object') {
				if (!workflow || !node) {
					throw new UnexpectedError(
						'Workflow and node are required for declarative credential authentication',
					);
				}
				const { authenticate } = credentialType;
				if (requestOptions.headers === undefined) {
					requestOptions.headers = {};
				}

				if (authenticate.type === 'generic') {
					const target = requestOptions as unknown as Record<string, IDataObject | undefined>;
					for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
						for (const [key, value] of Object.entries(outerValue as IDataObject)) {
							const keyResolved = this.resolveValue(
								key,
								{ $credentials: credentials },
								workflow,
								node,
							);
							const valueResolved = this.resolveValue(
								value as string,
								{ $credentials: credentials },
								workflow,
								node,
							);
							if (!target[outerKey]) {
								target[outerKey] = {};
							}
							(target[outerKey] as IDataObject)[keyResolved] = valueResolved;
						}
					}
				}
			}
		}

		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getType(typeName);

		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property?.typeOptions?.expirable === true,
		);

		if (expirableProperty?.name === undefined) {
			return undefined;
		}

		// n8n: "check if the node is the mockup node used for testing"
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';

		if (credentialType.preAuthentication) {
			if (typeof credentialType.preAuthentication === 'function') {
				if (
					credentials[expirableProperty?.name] === '' ||
					credentialsExpired ||
					isTestingCredentials
				) {
					this.store.preAuthenticationCalls++;
					const output = await credentialType.preAuthentication.call(
						restrictToCredentialDomains(helpers, credentials),
						credentials,
					);

					// only an output carrying the expirable property gets stored
					if (output[expirableProperty.name] === undefined) {
						return undefined;
					}

					if (node.credentials) {
						const nodeCredentials = node.credentials[credentialType.name];
						// never overwrite a field stored as an expression with its resolved value
						const storedData = await (
							await this.getCredentials(nodeCredentials, credentialType.name)
						).getData();
						const dataToPersist: ICredentialDataDecryptedObject = { ...storedData };
						for (const [key, value] of Object.entries(output as ICredentialDataDecryptedObject)) {
							if (key === expirableProperty.name || !isExpression(storedData[key])) {
								dataToPersist[key] = value;
							}
						}

						await this.updateCredentials(nodeCredentials, credentialType.name, dataToPersist);
						return Object.assign(credentials, output);
					}
				}
			}
		}
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getType(typeName);
		if (typeof credentialType.preAuthentication !== 'function') {
			return undefined;
		}
		this.store.preAuthenticationCalls++;
		const output = await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		return (output as ICredentialDataDecryptedObject) ?? undefined;
	}

	private resolveValue(
		parameterValue: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(parameterValue)) {
			return parameterValue;
		}

		const returnValue = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			additionalKeys,
			undefined,
			'',
		);

		if (!returnValue) {
			return '';
		}

		return returnValue.toString();
	}

	getParentTypes(typeName: string): string[] {
		return this.store.getParentTypes(typeName);
	}

	async getCredentials(
		nodeCredential: INodeCredentialsDetails,
		type: string,
	): Promise<StoredCredentials> {
		const credential = this.store.getEntity(nodeCredential, type);
		return new StoredCredentials(
			{ id: credential.id, name: credential.name },
			credential.type,
			credential.data,
		);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		let typeDef: ICredentialType;
		try {
			typeDef = this.getType(credentialType);
		} catch {
			return true;
		}
		if (!typeDef.restrictToSupportedNodes) return true;
		return (typeDef.supportedNodes ?? []).some(
			(supported) => supported === nodeType || nodeType.endsWith(`.${supported}`),
		);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialTypeData = this.getType(type);

		if (credentialTypeData.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
				return [
					...credentialTypeData.properties,
					{
						displayName: 'oauthTokenData',
						name: 'oauthTokenData',
						type: 'json',
						required: false,
						default: {},
					},
				];
			}
			return credentialTypeData.properties;
		}

		const combineProperties = [] as INodeProperties[];
		for (const credentialsTypeName of credentialTypeData.extends) {
			const mergeCredentialProperties = this.getCredentialsProperties(credentialsTypeName);
			NodeHelpers.mergeNodeProperties(combineProperties, mergeCredentialProperties);
		}
		NodeHelpers.mergeNodeProperties(combineProperties, credentialTypeData.properties);
		return combineProperties;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		// No dynamic-credential resolver is configured, so n8n hands the stored data on unchanged.
		const decryptedDataOriginal = await credentials.getData();

		if (raw === true) {
			return decryptedDataOriginal;
		}

		return await this.applyDefaultsAndOverwrites(
			additionalData,
			decryptedDataOriginal,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** `CredentialsHelper.applyDefaultsAndOverwrites` (no credential overwrites configured). */
	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credentialsProperties = this.getCredentialsProperties(type);

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

		const parsedJsonLeafExpressionFields = this.parseJsonLeafExpressionFields(
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
				decryptedData = this.resolveCredentialExpressions(
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

	private resolveCredentialExpressions(
		workflow: Workflow,
		credentialsProperties: INodeProperties[],
		decryptedData: ICredentialDataDecryptedObject,
		mode: WorkflowExecuteMode,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
	): ICredentialDataDecryptedObject {
		try {
			return workflow.expression.getComplexParameterValue(
				mockNode,
				decryptedData as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				decryptedData,
			) as ICredentialDataDecryptedObject;
		} catch (originalError) {
			// resolve field by field so that fields marked ignoreCredentialExpressionResolveError can be dropped
			const propertiesByName = new Map(credentialsProperties.map((p) => [p.name, p]));
			const resolvedData: ICredentialDataDecryptedObject = {};
			for (const [propertyName, propertyValue] of Object.entries(decryptedData)) {
				try {
					const resolvedProperty = workflow.expression.getComplexParameterValue(
						mockNode,
						{ [propertyName]: propertyValue } as INodeParameters,
						mode,
						additionalKeys,
						undefined,
						undefined,
						decryptedData,
					) as ICredentialDataDecryptedObject;
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

	private parseJsonLeafExpressionFields(
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

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.setData(data);
		this.store.save(credentials.getDataToSave());
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.updateData({ oauthTokenData: data.oauthTokenData });
		this.store.save(credentials.getDataToSave());
	}
}

/** Plays n8n's credentials table plus its `CredentialsHelper`. */
export class CredentialStore {
	/** How many times a credential type's `preAuthentication` ran. */
	preAuthenticationCalls = 0;

	/** How many times `updateCredentials` stored new data. */
	updates = 0;

	/** The object n8n-core receives as `additionalData.credentialsHelper`. */
	readonly helper: HarnessCredentialsHelper;

	private readonly types = new Map<string, ICredentialType>();

	private readonly rows = new Map<string, StoredCredential>();

	private nextId = 1;

	constructor(types: ICredentialType[]) {
		for (const type of types) this.types.set(type.name, loadCredentialType(type));
		this.helper = new HarnessCredentialsHelper(this);
	}

	/** Stores a credential; returns the reference to put in `node.credentials[type]`. */
	add(type: string, data: ICredentialDataDecryptedObject, id?: string): CredentialReference {
		const credentialType = this.getCredentialType(type);
		const credentialId = id ?? String(this.nextId++);
		if (this.rows.has(credentialId)) {
			throw new UserError(`A credential with ID "${credentialId}" is already stored`);
		}
		const name = `${credentialType.displayName} account ${credentialId}`;
		this.rows.set(credentialId, { id: credentialId, name, type, data: JSON.stringify(data) });
		return { id: credentialId, name };
	}

	/** The stored data (a copy), including what preAuthentication stored. */
	get(id: string): ICredentialDataDecryptedObject {
		const row = this.rows.get(id);
		if (!row) throw new UserError(`No credential with ID "${id}" is stored`);
		return jsonParse<ICredentialDataDecryptedObject>(row.data);
	}

	/** Overwrites the stored data, as a user editing the credential would. */
	set(id: string, data: ICredentialDataDecryptedObject): void {
		const row = this.rows.get(id);
		if (!row) throw new UserError(`No credential with ID "${id}" is stored`);
		row.data = JSON.stringify(data);
	}

	/** The reference of a stored credential. */
	reference(id: string): CredentialReference {
		const row = this.rows.get(id);
		if (!row) throw new UserError(`No credential with ID "${id}" is stored`);
		return { id: row.id, name: row.name };
	}

	/** `CredentialTypes.getByName`, with n8n's loader additions. */
	getCredentialType(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) throw new UnexpectedError(`Unrecognized credential type: ${name}`);
		return type;
	}

	/** `CredentialTypes.getParentTypes`. */
	getParentTypes(typeName: string): string[] {
		const extendsArr = this.types.get(typeName)?.extends ?? [];
		const parents = [...extendsArr];
		for (const type of extendsArr) parents.push(...this.getParentTypes(type));
		return parents;
	}

	/** `CredentialsHelper.getCredentialsEntity`: the row for that id and type. */
	getEntity(nodeCredential: INodeCredentialsDetails, type: string): StoredCredential {
		if (!nodeCredential.id) {
			throw new UserError(`Credential "${nodeCredential.name}" of type "${type}" has no ID`);
		}
		const row = this.rows.get(nodeCredential.id);
		if (!row || row.type !== type) {
			throw new UserError(
				`Credential with ID "${nodeCredential.id}" does not exist for type "${type}".`,
			);
		}
		return { ...row };
	}

	/** The repository's `update`. */
	save(data: ICredentialsEncrypted): void {
		const row = data.id === undefined ? undefined : this.rows.get(data.id);
		if (!row || data.data === undefined) {
			throw new UnexpectedError('Cannot update a credential that is not stored');
		}
		row.data = data.data;
		this.updates++;
	}
}
