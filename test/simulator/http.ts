/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: the simulator is a stand-alone HTTP server, it never runs inside n8n (node:http types) */
/** Request context and response helpers shared by the three hosts. */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { SimState } from './state';
import type { EndpointKey, Fault, HostName, LogEntry } from './types';

export interface RequestContext {
	state: SimState;
	req: IncomingMessage;
	res: ServerResponse;
	host: HostName;
	method: string;
	path: string;
	url: URL;
	query: Record<string, string | string[]>;
	rawBody: Buffer;
	/** Parsed JSON or form, raw text, or undefined when the body is empty. */
	body: unknown;
	/** The body was sent as JSON (or looked like JSON) but did not parse. */
	jsonError: boolean;
	entry: LogEntry;
	endpoint?: EndpointKey;
	/** Path segments captured by the route (decoded). */
	params: string[];
	/** A behaviour fault (exportError, truncated, partial) for the handler to honour. */
	fault?: Fault;
}

export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		const buf = chunk as Buffer;
		size += buf.length;
		if (size > MAX_BODY_BYTES) throw new Error('body too large');
		chunks.push(buf);
	}
	return Buffer.concat(chunks);
}

export function parseBody(
	raw: Buffer,
	contentType: string | undefined,
): { body: unknown; jsonError: boolean } {
	if (raw.length === 0) return { body: undefined, jsonError: false };
	const text = raw.toString('utf8');
	const type = (contentType ?? '').toLowerCase();
	if (type.includes('application/x-www-form-urlencoded')) {
		return { body: Object.fromEntries(new URLSearchParams(text)), jsonError: false };
	}
	const looksJson = /^\s*[[{"]/.test(text);
	if (
		type.includes('json') ||
		(!type && looksJson) ||
		(type.startsWith('text/plain') && looksJson)
	) {
		try {
			return { body: JSON.parse(text) as unknown, jsonError: false };
		} catch {
			return { body: text, jsonError: true };
		}
	}
	return { body: text, jsonError: false };
}

export function queryObject(params: URLSearchParams): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [key, value] of params) {
		const prev = out[key];
		out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
	}
	return out;
}

export function headerObject(req: IncomingMessage): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(req.headers)) {
		if (value !== undefined)
			out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
	}
	return out;
}

export function header(ctx: RequestContext, name: string): string | undefined {
	const value = ctx.req.headers[name.toLowerCase()];
	return Array.isArray(value) ? value.join(', ') : value;
}

/** The first value of a query parameter. */
export function queryParam(ctx: RequestContext, name: string): string | undefined {
	const value = ctx.query[name];
	return Array.isArray(value) ? value[0] : value;
}

function canWrite(ctx: RequestContext): boolean {
	return !ctx.res.headersSent && !ctx.res.destroyed && !ctx.req.socket.destroyed;
}

export function sendRaw(
	ctx: RequestContext,
	status: number,
	payload: string | Buffer | undefined,
	headers: Record<string, string | number> = {},
): void {
	ctx.entry.status = status;
	if (!canWrite(ctx)) return;
	const body =
		payload === undefined
			? undefined
			: Buffer.isBuffer(payload)
				? payload
				: Buffer.from(payload, 'utf8');
	ctx.res.writeHead(status, { ...headers, 'Content-Length': body?.length ?? 0 });
	ctx.res.end(ctx.method === 'HEAD' ? undefined : body);
}

export function sendJson(
	ctx: RequestContext,
	status: number,
	body: unknown,
	headers: Record<string, string | number> = {},
): void {
	sendRaw(ctx, status, JSON.stringify(body), { 'Content-Type': 'application/json', ...headers });
}

export function sendEmpty(
	ctx: RequestContext,
	status: number,
	headers: Record<string, string | number> = {},
): void {
	sendRaw(ctx, status, undefined, headers);
}

export function sendText(
	ctx: RequestContext,
	status: number,
	text: string,
	contentType: string,
	headers: Record<string, string | number> = {},
): void {
	sendRaw(ctx, status, text, { 'Content-Type': contentType, ...headers });
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);
