/**
 * A minimal MCP client over plain fetch, as an MCP client (Claude Desktop, an IDE, an agent)
 * speaks to n8n's MCP Server Trigger: JSON-RPC 2.0 over the Streamable HTTP transport, on the
 * production URL `<n8n>/mcp/<path>` of an active workflow.
 *
 * What the MCP Server Trigger (typeVersion 2) serves, on n8n 2.40.7 and on 1.123.81 alike
 * (@n8n/n8n-nodes-langchain's McpTrigger.node.js: the webhooks `setup` GET, `default` POST and
 * DELETE, all on the path itself; typeVersion 1 and 1.1 add `/sse` and `/messages`):
 *  - Streamable HTTP: `POST /mcp/<path>` without a session starts one (`initialize`; the answer
 *    carries `mcp-session-id`), each later POST carries that header; `DELETE` ends the session.
 *    The answer to a request is an SSE stream (`text/event-stream`, one `message` event per
 *    JSON-RPC message, closed after the answer) or plain JSON; both are read.
 *  - SSE (the older transport): `GET /mcp/<path>` opens an event stream whose first event,
 *    `endpoint`, names the URL to POST messages to (`/mcp/<path>?sessionId=…`); answers come over
 *    the stream. Only that first event is read here (`sseEndpoint`).
 */

export const MCP_PROTOCOL_VERSION = '2025-03-26';

export interface McpTool {
	name: string;
	description?: string;
	inputSchema: {
		type: string;
		properties?: Record<string, { type?: string; description?: string }>;
		required?: string[];
		[key: string]: unknown;
	};
}

export interface McpToolResult {
	content: Array<{ type: string; text?: string }>;
	isError?: boolean;
	[key: string]: unknown;
}

interface JsonRpcMessage {
	jsonrpc: '2.0';
	id?: number | string;
	method?: string;
	params?: Record<string, unknown>;
	result?: unknown;
	error?: { code: number; message: string; data?: unknown };
}

/** An HTTP answer that is not a JSON-RPC answer (404 before the webhook is registered, 4xx, 5xx). */
export class McpHttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: string,
		what: string,
	) {
		super(`MCP ${what} answered HTTP ${status}: ${body.slice(0, 500)}`);
	}
}

/** The JSON-RPC messages in an SSE body (`data:` lines of each event, joined). */
export function sseMessages(text: string): JsonRpcMessage[] {
	return text
		.split(/\r?\n\r?\n/)
		.map((event) =>
			event
				.split(/\r?\n/)
				.filter((line) => line.startsWith('data:'))
				.map((line) => line.slice(5).replace(/^ /, ''))
				.join('\n'),
		)
		.filter((data) => data.trim() !== '')
		.map((data) => JSON.parse(data) as JsonRpcMessage);
}

async function readJsonAnswer(
	response: Response,
	id: number,
): Promise<{ answer?: JsonRpcMessage; text: string }> {
	const text = await response.text();
	const messages = [JSON.parse(text) as JsonRpcMessage | JsonRpcMessage[]].flat();
	return { answer: messages.find((message) => message.id === id), text };
}

/** Reads the stream until the answer to `id` arrives (or the stream ends), then lets it go. */
async function readSseAnswer(
	response: Response,
	id: number,
): Promise<{ answer?: JsonRpcMessage; text: string }> {
	if (!response.body) return { text: '' };
	const reader = response.body.getReader();
	const decoder = new TextDecoder();
	let text = '';
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (value) text += decoder.decode(value, { stream: true }).replace(/\r/g, '');
			// Only complete events: each ends with a blank line.
			const complete = text.slice(0, Math.max(0, text.lastIndexOf('\n\n')));
			const answer = sseMessages(complete).find((message) => message.id === id);
			if (answer) return { answer, text };
			if (done) return { answer: sseMessages(text).find((message) => message.id === id), text };
		}
	} finally {
		await reader.cancel().catch(() => undefined);
	}
}

export class McpClient {
	/** Set by `initialize` from the `mcp-session-id` answer header. */
	sessionId: string | undefined;
	protocolVersion: string | undefined;
	private nextId = 1;

	constructor(
		/** `<n8n>/mcp/<path>`: the MCP Server Trigger's production URL. */
		readonly url: string,
		private readonly timeoutMs = 60_000,
	) {}

	private headers(): Record<string, string> {
		return {
			'content-type': 'application/json',
			accept: 'application/json, text/event-stream',
			...(this.sessionId ? { 'mcp-session-id': this.sessionId } : {}),
			...(this.protocolVersion ? { 'mcp-protocol-version': this.protocolVersion } : {}),
		};
	}

	private async post(message: JsonRpcMessage, what: string): Promise<Response> {
		const response = await fetch(this.url, {
			method: 'POST',
			headers: this.headers(),
			body: JSON.stringify(message),
			signal: AbortSignal.timeout(this.timeoutMs),
		});
		if (response.status >= 400)
			throw new McpHttpError(response.status, await response.text(), what);
		return response;
	}

	/** One JSON-RPC request; resolves to its `result`, throws on a JSON-RPC error. */
	async request<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
		const id = this.nextId++;
		const response = await this.post({ jsonrpc: '2.0', id, method, params }, method);
		const type = response.headers.get('content-type') ?? '';
		const { answer, text } = type.includes('text/event-stream')
			? await readSseAnswer(response, id)
			: await readJsonAnswer(response, id);
		if (!answer)
			throw new Error(
				`MCP ${method}: no answer with id ${id} in HTTP ${response.status} (${type}): ${text.slice(0, 500)}`,
			);
		if (answer.error)
			throw new Error(`MCP ${method} failed: ${answer.error.code} ${answer.error.message}`);
		if (method === 'initialize') {
			this.sessionId = response.headers.get('mcp-session-id') ?? undefined;
			if (!this.sessionId) throw new Error('MCP initialize: the answer carries no mcp-session-id');
		}
		return answer.result as T;
	}

	/** A JSON-RPC notification (no answer expected: HTTP 202). */
	async notify(method: string, params: Record<string, unknown> = {}): Promise<number> {
		const response = await this.post({ jsonrpc: '2.0', method, params }, method);
		await response.body?.cancel();
		return response.status;
	}

	/** `initialize` then `notifications/initialized`, as every MCP client starts. */
	async initialize(): Promise<{
		protocolVersion: string;
		serverInfo: { name: string; version: string };
		capabilities: Record<string, unknown>;
	}> {
		const result = await this.request<{
			protocolVersion: string;
			serverInfo: { name: string; version: string };
			capabilities: Record<string, unknown>;
		}>('initialize', {
			protocolVersion: MCP_PROTOCOL_VERSION,
			capabilities: {},
			clientInfo: { name: 'nexthink-e2e', version: '1.0.0' },
		});
		this.protocolVersion = result.protocolVersion;
		await this.notify('notifications/initialized');
		return result;
	}

	async listTools(): Promise<McpTool[]> {
		return (await this.request<{ tools: McpTool[] }>('tools/list')).tools;
	}

	async callTool(name: string, args: Record<string, unknown>): Promise<McpToolResult> {
		return await this.request<McpToolResult>('tools/call', { name, arguments: args });
	}

	/** `DELETE` with the session header: ends the session (best effort). */
	async close(): Promise<void> {
		if (!this.sessionId) return;
		const response = await fetch(this.url, {
			method: 'DELETE',
			headers: this.headers(),
			signal: AbortSignal.timeout(10_000),
		}).catch(() => undefined);
		await response?.body?.cancel();
		this.sessionId = undefined;
	}
}

/**
 * The SSE transport's handshake: `GET <url>` opens the event stream; its first event is
 * `endpoint`, whose data is where the client POSTs its messages. The stream is closed after it.
 */
export async function sseEndpoint(
	url: string,
	timeoutMs = 30_000,
): Promise<{ status: number; contentType: string; event: string; data: string }> {
	const controller = new AbortController();
	const timer = AbortSignal.timeout(timeoutMs);
	timer.addEventListener('abort', () => controller.abort(timer.reason));
	const response = await fetch(url, {
		headers: { accept: 'text/event-stream' },
		signal: controller.signal,
	});
	const contentType = response.headers.get('content-type') ?? '';
	if (response.status >= 400 || !response.body)
		throw new McpHttpError(response.status, await response.text(), 'GET (SSE)');
	const reader = response.body.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (value) buffer += decoder.decode(value, { stream: true });
			const end = buffer.search(/\r?\n\r?\n/);
			if (end >= 0) {
				const lines = buffer.slice(0, end).split(/\r?\n/);
				const field = (name: string) =>
					lines
						.filter((line) => line.startsWith(`${name}:`))
						.map((line) => line.slice(name.length + 1).trim())
						.join('\n');
				return { status: response.status, contentType, event: field('event'), data: field('data') };
			}
			if (done) throw new Error(`GET ${url}: the event stream ended before its first event`);
		}
	} finally {
		controller.abort();
		await reader.cancel().catch(() => undefined);
	}
}
