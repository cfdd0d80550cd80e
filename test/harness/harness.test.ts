/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: never runs inside n8n; the test starts a node:http server */
/**
 * Proves that test/harness runs nodes through n8n-core itself: small node and credential
 * types defined here talk to a tiny HTTP server, and every behaviour checked below
 * (expressions, credential pre-authentication and 401 retry, continueOnFail, error output,
 * polling state, list search, credential test, binary data) is n8n-core's, not the harness's.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	CredentialStore,
	getBinaryBuffer,
	listSearch,
	loadOptions,
	reloadStaticData,
	runAsTool,
	runNode,
	runPoll,
	runWorkflowNode,
	testCredential,
} from '.';

// ---------------------------------------------------------------- HTTP server

interface ServerState {
	tokensIssued: number;
	tokenRequests: number;
	apiRequests: number;
	validTokens: Set<string>;
	events: Array<{ id: number; title: string }>;
	authorizations: string[];
}

const state: ServerState = {
	tokensIssued: 0,
	tokenRequests: 0,
	apiRequests: 0,
	validTokens: new Set(),
	events: [],
	authorizations: [],
};

const ITEMS = [
	{ id: '1', name: 'alpha' },
	{ id: '2', name: 'beta' },
	{ id: '3', name: 'gamma' },
	{ id: '4', name: 'bravo' },
];

async function readBody(req: IncomingMessage): Promise<IDataObject> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	return text ? (JSON.parse(text) as IDataObject) : {};
}

function send(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
) {
	const payload = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, {
		'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
		...headers,
	});
	res.end(payload);
}

async function handle(req: IncomingMessage, res: ServerResponse) {
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	if (req.method === 'POST' && url.pathname === '/oauth/token') {
		state.tokenRequests++;
		const body = await readBody(req);
		if (body.clientId !== 'client' || body.clientSecret !== 'good-secret') {
			return send(res, 401, { message: 'invalid client' });
		}
		state.tokensIssued++;
		const token = `token-${state.tokensIssued}`;
		state.validTokens.add(token);
		return send(res, 200, { access_token: token, expires_in: 3600 });
	}

	state.apiRequests++;
	const authorization = req.headers.authorization ?? '';
	state.authorizations.push(authorization);
	if (!state.validTokens.has(authorization.replace(/^Bearer /, ''))) {
		return send(res, 401, { message: 'token expired' });
	}

	if (url.pathname === '/api/me') return send(res, 200, { user: 'harness' });
	if (url.pathname === '/api/items') {
		const filter = url.searchParams.get('filter') ?? '';
		const matching = ITEMS.filter((item) => item.name.includes(filter));
		const offset = Number(url.searchParams.get('cursor') ?? '0');
		const page = matching.slice(offset, offset + 2);
		const next = offset + 2 < matching.length ? String(offset + 2) : undefined;
		return send(res, 200, { items: page, next });
	}
	const itemMatch = /^\/api\/items\/(.+)$/.exec(url.pathname);
	if (itemMatch) {
		const item = ITEMS.find((candidate) => candidate.id === itemMatch[1]);
		return item ? send(res, 200, item) : send(res, 404, { message: `no item ${itemMatch[1]}` });
	}
	if (url.pathname === '/api/events') {
		const since = Number(url.searchParams.get('since') ?? '0');
		return send(res, 200, { events: state.events.filter((event) => event.id > since) });
	}
	if (url.pathname === '/api/report') {
		return send(res, 200, 'id,name\n1,alpha\n');
	}
	return send(res, 404, { message: 'not found' });
}

let server: Server;
let baseUrl = '';

beforeAll(async () => {
	server = createServer((req, res) => {
		handle(req, res).catch((error: Error) => send(res, 500, { message: error.message }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
	state.tokenRequests = 0;
	state.apiRequests = 0;
	state.authorizations = [];
	state.events = [
		{ id: 1, title: 'first' },
		{ id: 2, title: 'second' },
	];
});

// ------------------------------------------------------- credential and nodes

class HarnessApi implements ICredentialType {
	name = 'harnessApi';

	displayName = 'Harness API';

	icon = 'fa:key' as const;

	documentationUrl = 'https://example.com/docs/harness';

	properties: INodeProperties[] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${credentials.baseUrl as string}/oauth/token`,
			body: { clientId: credentials.clientId, clientSecret: credentials.clientSecret },
			json: true,
		})) as { access_token: string };
		return { accessToken: response.access_token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/api/me' },
	};
}

async function apiRequest(
	context: IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions,
	path: string,
	qs: IDataObject = {},
): Promise<IDataObject> {
	const credentials = await context.getCredentials('harnessApi');
	return (await context.helpers.httpRequestWithAuthentication.call(context, 'harnessApi', {
		url: `${credentials.baseUrl as string}${path}`,
		qs,
		json: true,
	})) as IDataObject;
}

class HarnessItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Items',
		name: 'harnessItems',
		icon: 'fa:box',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["itemId"]}}',
		description: 'Reads items from the harness API',
		defaults: { name: 'Harness Items' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'harnessApi', required: true }],
		properties: [
			{
				displayName: 'Item',
				name: 'itemId',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				modes: [
					{
						displayName: 'From List',
						name: 'list',
						type: 'list',
						typeOptions: { searchListMethod: 'searchItems', searchable: true },
					},
					{ displayName: 'ID', name: 'id', type: 'string' },
				],
			},
			{
				displayName: 'Label',
				name: 'label',
				type: 'string',
				default: '',
				description: 'Text added to every output item',
			},
			{
				displayName: 'Category',
				name: 'category',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getCategories' },
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			},
			{
				displayName: 'Download Report',
				name: 'download',
				type: 'boolean',
				default: false,
				description: 'Whether to attach the report as binary data',
			},
		],
	};

	methods = {
		listSearch: {
			async searchItems(
				this: ILoadOptionsFunctions,
				filter?: string,
				paginationToken?: string,
			): Promise<INodeListSearchResult> {
				const qs: IDataObject = { filter: filter ?? '' };
				if (paginationToken) qs.cursor = paginationToken;
				const response = await apiRequest(this, '/api/items', qs);
				const items = response.items as Array<{ id: string; name: string }>;
				return {
					results: items.map((item) => ({ name: item.name, value: item.id })),
					paginationToken: response.next as string | undefined,
				};
			},
		},
		loadOptions: {
			async getCategories(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const label = this.getCurrentNodeParameter('label') as string;
				return [{ name: `${label || 'none'} / ${this.getNode().name}`, value: 'c1' }];
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const itemId = this.getNodeParameter('itemId', i, '', { extractValue: true }) as string;
				const label = this.getNodeParameter('label', i) as string;
				const response = await apiRequest(this, `/api/items/${itemId}`);
				const output: INodeExecutionData = {
					json: { ...response, label, mode: this.getMode() },
					pairedItem: { item: i },
				};
				if (this.getNodeParameter('download', i) as boolean) {
					const credentials = await this.getCredentials('harnessApi');
					const report = (await this.helpers.httpRequestWithAuthentication.call(
						this,
						'harnessApi',
						{
							url: `${credentials.baseUrl as string}/api/report`,
							encoding: 'arraybuffer',
							json: false,
						},
					)) as ArrayBuffer;
					output.binary = {
						data: await this.helpers.prepareBinaryData(
							Buffer.from(report),
							'report.csv',
							'text/csv',
						),
					};
				}
				returnData.push(output);
			} catch (error) {
				if (this.continueOnFail()) {
					returnData.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex: i });
			}
		}
		return [returnData];
	}
}

class HarnessEventsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Events Trigger',
		name: 'harnessEventsTrigger',
		icon: 'fa:bolt',
		group: ['trigger'],
		version: 1,
		description: 'Polls the harness API for new events',
		defaults: { name: 'Harness Events Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'harnessApi', required: true }],
		properties: [],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const mode = this.getMode();
		const nodeState = this.getWorkflowStaticData('node');
		if (mode === 'manual') {
			const { events } = (await apiRequest(this, '/api/events')) as { events: IDataObject[] };
			const sample = events.slice(-1).map((event) => ({ ...event, mode }));
			return [this.helpers.returnJsonArray(sample)];
		}
		const lastId = nodeState.lastId as number | undefined;
		const { events } = (await apiRequest(this, '/api/events', { since: lastId ?? 0 })) as {
			events: Array<{ id: number }>;
		};
		const newest = events.reduce((max, event) => Math.max(max, event.id), lastId ?? 0);
		if (lastId === undefined) {
			nodeState.lastId = newest; // first poll after activation: remember where we are
			return null;
		}
		if (events.length === 0) return null;
		nodeState.lastId = newest;
		return [this.helpers.returnJsonArray(events.map((event) => ({ ...event, mode })))];
	}
}

class HarnessDeclarative implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Declarative',
		name: 'harnessDeclarative',
		icon: 'fa:box',
		group: ['transform'],
		version: 1,
		description: 'Reads an item through routing only',
		defaults: { name: 'Harness Declarative' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'harnessApi', required: true }],
		requestDefaults: { baseURL: '={{$credentials.baseUrl}}', json: true },
		properties: [
			{
				displayName: 'Item ID',
				name: 'itemId',
				type: 'string',
				default: '',
				routing: { request: { method: 'GET', url: '=/api/items/{{$value}}' } },
			},
		],
	};
}

function newStore(data: Partial<ICredentialDataDecryptedObject> = {}) {
	const store = new CredentialStore([new HarnessApi()]);
	const { id } = store.add('harnessApi', {
		baseUrl,
		clientId: 'client',
		clientSecret: 'good-secret',
		accessToken: '',
		...data,
	});
	return { store, credentials: { store, type: 'harnessApi', id } };
}

const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });

// ------------------------------------------------------------------------ tests

describe('harness runs nodes through n8n-core', () => {
	test('as a tool: the `…Tool` variant, its $fromAI() schema and description, a call through SupplyDataContext', async () => {
		const { credentials } = newStore();
		const tool = await runAsTool({
			nodeType: new HarnessItems(),
			parameters: {
				itemId: byId("={{ $fromAI('item', 'The item ID', 'string') }}"),
				label: 'from-agent',
			},
			credentials,
			calls: [{ item: '3' }],
		});
		expect(tool.name).toBe('Harness_Items');
		// No resource or operation: n8n takes the node's own description.
		expect(tool.description).toBe('Reads items from the harness API');
		expect(tool.arguments).toEqual(['item']);
		expect(tool.calls).toHaveLength(1);
		// The agent reads the output items' JSON; the mode is the execution's.
		expect(JSON.parse(tool.calls[0].response!)).toEqual([
			{ id: '3', name: 'gamma', label: 'from-agent', mode: 'manual' },
		]);
	});

	test('execute: parameters and expressions resolve per item, pairedItem is kept', async () => {
		const { credentials } = newStore();
		const output = await runNode({
			nodeType: new HarnessItems(),
			parameters: {
				itemId: { __rl: true, mode: 'id', value: '={{ $json.ref }}' },
				label: '={{ "label-" + $json.ref + "-" + $itemIndex }}',
			},
			input: [{ json: { ref: '1' } }, { json: { ref: '3' } }],
			credentials,
		});
		expect(output).toEqual([
			[
				{
					json: { id: '1', name: 'alpha', label: 'label-1-0', mode: 'manual' },
					pairedItem: { item: 0 },
				},
				{
					json: { id: '3', name: 'gamma', label: 'label-3-1', mode: 'manual' },
					pairedItem: { item: 1 },
				},
			],
		]);
	});

	test('preAuthentication runs once for an empty token; the stored token is reused after', async () => {
		const { store, credentials } = newStore();
		const parameters = { itemId: byId('2') };
		const input = [{ json: {} }, { json: {} }];

		await runNode({ nodeType: new HarnessItems(), parameters, input, credentials });
		expect(store.preAuthenticationCalls).toBe(1);
		expect(store.updates).toBe(1);
		expect(store.get(credentials.id).accessToken).toMatch(/^token-\d+$/);
		const token = store.get(credentials.id).accessToken as string;

		await runNode({ nodeType: new HarnessItems(), parameters, input, credentials });
		expect(store.preAuthenticationCalls).toBe(1);
		expect(state.tokenRequests).toBe(1);
		expect(state.apiRequests).toBe(4);
		expect(state.authorizations).toEqual(Array(4).fill(`Bearer ${token}`));
	});

	test('a 401 triggers exactly one refresh and one retry', async () => {
		const { store, credentials } = newStore({ accessToken: 'expired-token' });
		const output = await runNode({
			nodeType: new HarnessItems(),
			parameters: { itemId: byId('1') },
			credentials,
		});
		expect(output[0][0].json.name).toBe('alpha');
		expect(store.preAuthenticationCalls).toBe(1);
		expect(state.tokenRequests).toBe(1);
		expect(state.apiRequests).toBe(2);
		expect(state.authorizations[0]).toBe('Bearer expired-token');
		expect(state.authorizations[1]).toBe(
			`Bearer ${store.get(credentials.id).accessToken as string}`,
		);
	});

	test('without continueOnFail the node error is thrown; with it the error becomes an item', async () => {
		const { credentials } = newStore();
		const parameters = { itemId: byId('missing') };

		await expect(
			runNode({ nodeType: new HarnessItems(), parameters, credentials }),
		).rejects.toThrow(NodeApiError);

		const output = await runNode({
			nodeType: new HarnessItems(),
			parameters,
			credentials,
			onError: 'continueRegularOutput',
		});
		expect(output[0]).toHaveLength(1);
		expect(output[0][0].pairedItem).toEqual({ item: 0 });
		// the message n8n-core's NodeApiError gives a 404
		expect(output[0][0].json.error).toBe('The resource you are requesting could not be found');
	});

	test('runWorkflowNode: continueErrorOutput routes the failed item to the error output', async () => {
		const { credentials } = newStore();
		const result = await runWorkflowNode({
			nodeType: new HarnessItems(),
			parameters: { itemId: { __rl: true, mode: 'id', value: '={{ $json.ref }}' } },
			input: [{ json: { ref: '1' } }, { json: { ref: 'missing' } }, { json: { ref: '4' } }],
			credentials,
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();
		expect(result.main).toHaveLength(2);
		expect(result.main[0].map((item) => item.json.name)).toEqual(['alpha', 'bravo']);
		expect(result.main[1]).toHaveLength(1);
		// n8n merges the failed item's input json into the error item
		expect(result.main[1][0].json.ref).toBe('missing');
		expect(result.main[1][0].json.error).toBeDefined();
	});

	test('runWorkflowNode: a node that throws under continueErrorOutput passes its input on the success output', async () => {
		class AlwaysThrows implements INodeType {
			description: INodeTypeDescription = {
				displayName: 'Always Throws',
				name: 'alwaysThrows',
				icon: 'fa:bomb',
				group: ['transform'],
				version: 1,
				description: 'Throws, ignoring continueOnFail',
				defaults: { name: 'Always Throws' },
				usableAsTool: true,
				inputs: [NodeConnectionTypes.Main],
				outputs: [NodeConnectionTypes.Main],
				properties: [],
			};

			async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
				throw new NodeOperationError(this.getNode(), 'boom');
			}
		}
		const result = await runWorkflowNode({
			nodeType: new AlwaysThrows(),
			parameters: {},
			input: [{ json: { ref: 'a' } }],
			onError: 'continueErrorOutput',
		});
		// n8n's handleNodeExecutionError: the input items go on, unchanged, on output 0 and nothing
		// reaches the error output; the task keeps the error, and as this node is the last one the
		// run ends with status "error" (WorkflowExecute keeps the last node's error)
		expect(result.main).toEqual([[{ json: { ref: 'a' }, pairedItem: { item: 0 } }]]);
		expect(result.run.data.resultData.runData['Always Throws'][0].error?.message).toBe('boom');
		expect(result.run.status).toBe('error');
		expect(result.error).toMatchObject({ name: 'NodeOperationError', message: 'boom' });
	});

	test('runWorkflowNode: stopWorkflow fails the run with the node error', async () => {
		const { credentials } = newStore();
		const result = await runWorkflowNode({
			nodeType: new HarnessItems(),
			parameters: { itemId: byId('missing') },
			credentials,
		});
		// n8n records the error as a plain copy of the NodeApiError
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '404',
			message: 'The resource you are requesting could not be found',
		});
		expect(result.main).toEqual([]);
		expect(result.run.status).toBe('error');
	});

	test('runPoll: static data persists across polls; manual mode leaves it alone', async () => {
		const { credentials } = newStore();
		const nodeType = new HarnessEventsTrigger();
		const key = 'node:Harness Events Trigger';

		const first = await runPoll({ nodeType, parameters: {}, credentials, mode: 'trigger' });
		expect(first.result).toBeNull();
		expect(first.staticData[key]).toEqual({ lastId: 2 });
		// a poll that emits nothing is not written to the database by n8n
		expect(first.savedStaticData).toBeUndefined();

		state.events.push({ id: 3, title: 'third' });
		const second = await runPoll({
			nodeType,
			parameters: {},
			credentials,
			mode: 'trigger',
			staticData: first.staticData,
		});
		expect(second.result).toEqual([[{ json: { id: 3, title: 'third', mode: 'trigger' } }]]);
		expect(second.staticData[key]).toEqual({ lastId: 3 });
		expect(second.savedStaticData).toEqual({ [key]: { lastId: 3 } });

		const manual = await runPoll({
			nodeType,
			parameters: {},
			credentials,
			mode: 'manual',
			staticData: second.staticData,
		});
		expect(manual.result).toEqual([[{ json: { id: 3, title: 'third', mode: 'manual' } }]]);
		expect(manual.staticData[key]).toEqual({ lastId: 3 });

		// the live object is plain data again once the poll is over
		expect(structuredClone(manual.staticData)).toEqual({ [key]: { lastId: 3 } });

		// n8n restarts: the static data comes back from the database
		const afterRestart = await runPoll({
			nodeType,
			parameters: {},
			credentials,
			mode: 'trigger',
			staticData: reloadStaticData(second.savedStaticData as IDataObject),
		});
		expect(afterRestart.result).toBeNull();
	});

	test('runPoll: an error thrown by poll() reaches the caller', async () => {
		const { credentials } = newStore({ clientSecret: 'wrong' });
		await expect(
			runPoll({
				nodeType: new HarnessEventsTrigger(),
				parameters: {},
				credentials,
				mode: 'trigger',
			}),
		).rejects.toThrow();
	});

	test('listSearch and loadOptions run with a LoadOptionsContext', async () => {
		const { credentials } = newStore();
		const page1 = await listSearch({
			nodeType: new HarnessItems(),
			method: 'searchItems',
			credentials,
		});
		expect(page1).toEqual({
			results: [
				{ name: 'alpha', value: '1' },
				{ name: 'beta', value: '2' },
			],
			paginationToken: '2',
		});
		const page2 = await listSearch({
			nodeType: new HarnessItems(),
			method: 'searchItems',
			credentials,
			paginationToken: page1.paginationToken as string,
		});
		expect(page2.results.map((result) => result.name)).toEqual(['gamma', 'bravo']);
		const filtered = await listSearch({
			nodeType: new HarnessItems(),
			method: 'searchItems',
			credentials,
			filter: 'ta',
		});
		expect(filtered.results.map((result) => result.name)).toEqual(['beta']);

		const options = await loadOptions({
			nodeType: new HarnessItems(),
			method: 'getCategories',
			parameters: { label: 'L' },
			credentials,
		});
		expect(options).toEqual([{ name: 'L / Temp-Node', value: 'c1' }]);
	});

	test('testCredential: OK with a good secret, Error with a bad one', async () => {
		const good = newStore();
		expect(await testCredential(good.credentials)).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(good.store.preAuthenticationCalls).toBe(1);

		const bad = newStore({ clientSecret: 'wrong' });
		const result = await testCredential(bad.credentials);
		expect(result.status).toBe('Error');
		expect(result.message).toBe('Unauthorized');
		expect(bad.store.updates).toBe(0);
	});

	test('testCredential uses a stored token as is (n8n only forces preAuthentication for a node typed n8n-nodes-base.noOp, and its test node is typed noOp)', async () => {
		const { store, credentials } = newStore();
		await runNode({ nodeType: new HarnessItems(), parameters: { itemId: byId('1') }, credentials });
		expect(store.preAuthenticationCalls).toBe(1);
		store.set(credentials.id, { ...store.get(credentials.id), clientSecret: 'wrong' });
		expect((await testCredential(credentials)).status).toBe('OK');
		expect(store.preAuthenticationCalls).toBe(1);
	});

	test('a declarative node runs through RoutingNode with the same credential handling', async () => {
		const { store, credentials } = newStore();
		const output = await runNode({
			nodeType: new HarnessDeclarative(),
			parameters: { itemId: '={{ $json.ref }}' },
			input: [{ json: { ref: '2' } }],
			credentials,
		});
		expect(output).toEqual([[{ json: { id: '2', name: 'beta' } }]]);
		expect(store.preAuthenticationCalls).toBe(1);
	});

	test('prepareBinaryData output can be read back', async () => {
		const { credentials } = newStore();
		const output = await runNode({
			nodeType: new HarnessItems(),
			parameters: { itemId: byId('1'), download: true },
			credentials,
		});
		const item = output[0][0];
		expect(item.binary?.data).toMatchObject({ fileName: 'report.csv', mimeType: 'text/csv' });
		expect((await getBinaryBuffer(item, 'data')).toString('utf8')).toBe('id,name\n1,alpha\n');
	});
});
