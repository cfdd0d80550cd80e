/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test: node:events counts the abort listeners on a signal */
import { getEventListeners } from 'node:events';

import {
	ManualExecutionCancelledError,
	NodeApiError,
	NodeOperationError,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import {
	cancelledError,
	ExecutionCancelledError,
	onCancel,
	unlessCancelled,
	waitUnlessCancelled,
} from '../../nodes/Nexthink/transport/cancel';
import {
	isCancellation,
	mayHaveBeenProcessed,
	nexthinkApiError,
	readNexthinkError,
	redact,
	wasSent,
	type FailureContext,
	type HttpFailure,
} from '../../nodes/Nexthink/transport/errors';
import { unwrap, type NexthinkContext } from '../../nodes/Nexthink/transport/request';
import { parseRetryAfter, seconds } from '../../nodes/Nexthink/transport/retry';

const node: INode = {
	id: '1',
	name: 'Nexthink',
	type: 'n8n-nodes-nexthink.nexthink',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-11-25T10:00:00Z');
	it('reads delta-seconds', () => {
		expect(parseRetryAfter({ 'Retry-After': '7' }, now)).toBe(7000);
	});
	it('reads an HTTP date, as Nexthink documents it', () => {
		expect(parseRetryAfter({ 'retry-after': 'Wed, 25 Nov 2026 10:00:30 GMT' }, now)).toBe(30000);
	});
	it('treats a date in the past as no wait and garbage as absent', () => {
		expect(parseRetryAfter({ 'retry-after': 'Wed, 25 Nov 2026 09:00:00 GMT' }, now)).toBe(0);
		expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
		expect(parseRetryAfter({}, now)).toBeUndefined();
	});
});

describe('Nexthink error bodies', () => {
	it.each([
		['NQL', { message: 'No permission', code: 403, source: 'nql-api' }, '403', 'No permission'],
		[
			'workflows',
			{ code: 'FORBIDDEN', details: 'Workflow is not API enabled' },
			'FORBIDDEN',
			'Workflow is not API enabled',
		],
		[
			'remote actions',
			{ code: 'INVALID_REQUEST', message: 'devices must not be empty' },
			'INVALID_REQUEST',
			'devices must not be empty',
		],
		[
			'enrichment',
			{ message: 'Reached maximum objects per request.', code: 'ENRICH_042' },
			'ENRICH_042',
			'Reached maximum objects per request.',
		],
		[
			'okta',
			{ error: 'invalid_client', error_description: 'Invalid value' },
			'invalid_client',
			'Invalid value',
		],
	])('reads the %s shape', (_name, body, code, message) => {
		const read = readNexthinkError(JSON.stringify(body));
		expect(read.code).toBe(code);
		expect(read.message).toBe(message);
	});

	it('summarises an enrichment 400 where every object failed', () => {
		const read = readNexthinkError({
			status: 'error',
			errors: [
				{
					identification: [],
					errors: [{ message: "Wrong type for field 'x'", code: 'ENRICH_011' }],
				},
			],
		});
		expect(read.message).toContain("Wrong type for field 'x'");
		expect(read.code).toBe('ENRICH_011');
		expect(read.objectErrors).toHaveLength(1);
	});

	it('keeps Nexthink code and message and says what to change', () => {
		const error = nexthinkApiError(
			node,
			{
				status: 403,
				data: '{"message":"Not authorized to execute queries.","code":403,"source":"nql"}',
			},
			{ operation: 'NQL Execute', domain: 'nql', triggersAction: false },
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Permission missing for NQL Execute (403): Not authorized to execute queries.',
		);
		expect(error.description).toContain('"NQL API"');
		expect(error.httpCode).toBe('403');
	});

	it("keeps its own words for network failures instead of n8n's generic text", () => {
		const error = nexthinkApiError(
			node,
			{ networkCode: 'ECONNREFUSED' },
			{ operation: 'Remote Action Execute', domain: 'remoteActions', triggersAction: true },
		);
		expect(error.message).toBe('Could not reach Nexthink for Remote Action Execute (ECONNREFUSED)');
		expect(error.description).toContain('not repeated automatically');
	});
});

const nql: FailureContext = { operation: 'NQL Execute', domain: 'nql', triggersAction: false };
const remoteAction: FailureContext = {
	operation: 'Remote Action Execute',
	domain: 'remoteActions',
	triggersAction: true,
};
const errorOf = (failure: HttpFailure, context: FailureContext = nql) =>
	nexthinkApiError(node, failure, context);

describe('Error messages', () => {
	it("keeps Nexthink's code once: NQL's code is the HTTP status, a domain code is added", () => {
		const nql400 = errorOf({
			status: 400,
			data: { message: 'Invalid parameter os', code: 400, source: 'nql-api' },
		});
		expect(nql400.message).toBe('Nexthink rejected NQL Execute (400): Invalid parameter os');
		const enrichment = errorOf(
			{
				status: 400,
				data: { message: 'Reached maximum objects per request.', code: 'ENRICH_042' },
			},
			{ operation: 'Enrich Fields', domain: 'enrichment', triggersAction: true },
		);
		expect(enrichment.message).toBe(
			'Nexthink rejected Enrich Fields (400): Reached maximum objects per request. [ENRICH_042]',
		);
	});

	it('says which Accept a 406 refused, and how to fix it', () => {
		const error = errorOf({ status: 406 }, { ...nql, accept: 'text/csv' });
		expect(error.message).toBe(
			'Nexthink does not serve NQL Execute as "text/csv" (406 Not Acceptable)',
		);
		expect(error.description).toContain('Accept: text/csv');
		expect(error.description).toContain('application/json and text/csv');
		expect(error.description).toMatch(/proxy/);
	});

	it('says a time-out is one, and whether the call was repeated', () => {
		const read = errorOf(
			{ networkCode: 'ECONNABORTED', timedOut: true },
			{
				...nql,
				timeoutMs: 60_000,
				retries: 3,
			},
		);
		expect(read.message).toBe('Nexthink did not answer NQL Execute within 60 s');
		expect(read.description).toContain('Retried 3 times');
		const trigger = errorOf(
			{ networkCode: 'ECONNABORTED', timedOut: true },
			{
				...remoteAction,
				timeoutMs: 300,
			},
		);
		expect(trigger.message).toBe('Nexthink did not answer Remote Action Execute within 0.3 s');
		expect(trigger.description).toMatch(/may have been processed, so it was not repeated/);
	});

	it("shortens Nexthink's message to 300 characters", () => {
		const error = errorOf({ status: 400, data: { message: 'x'.repeat(5000), code: 'BAD' } });
		expect(error.message.length).toBeLessThan(400);
		expect(error.message).toContain('(5,000 characters)');
		expect(String((error.errorResponse as JsonObject).nexthinkMessage).length).toBeLessThan(320);
	});

	it('describes an HTML page instead of quoting it, with its title', () => {
		const page =
			'<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><pre>authorization: Bearer abc.def.ghi</pre><p>secret internal host db-7</p></body></html>';
		const read = readNexthinkError(page);
		expect(read.notJson).toEqual({
			kind: 'html',
			title: '502 Bad Gateway',
			characters: page.length,
		});
		expect(read.message).toBeUndefined();
		const error = errorOf(
			{ status: 502, data: page, contentType: 'text/html' },
			{ ...nql, retries: 3 },
		);
		expect(error.message).toBe(
			'Nexthink failed to process NQL Execute (502): the answer was an HTML page, likely from a proxy or gateway (title "502 Bad Gateway")',
		);
		expect(error.description).toContain('Retried 3 times');
		expect(error.description).toContain('not shown');
		const shown = JSON.stringify(error, Object.getOwnPropertyNames(error));
		expect(shown).not.toContain('db-7');
		expect(shown).not.toContain('abc.def.ghi');
	});

	it('never quotes plain text either', () => {
		const error = errorOf({ status: 500, data: 'stack trace: at Foo.bar (internal.java:42)' });
		expect(error.message).toBe(
			"Nexthink failed to process NQL Execute (500): the answer was plain text (42 characters), not Nexthink's JSON",
		);
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('internal.java');
	});

	it('removes tokens, Authorization and Cookie values from anything it quotes', () => {
		const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzaW0tY2xpZW50In0.c2lnbmF0dXJlLXZhbHVl';
		for (const text of [
			`Authorization: Bearer ${jwt}`,
			`{"authorization":"Bearer ${jwt}"}`,
			`token ${jwt} refused`,
			'Cookie: session=c2Vzc2lvbi0xMjM0NTY3ODk; other=1',
			'proxy-authorization: Basic c2ltLWNsaWVudC1pZDpzaW0tc2VjcmV0',
			'access_token=abc123def456&scope=x',
			'{"client_secret": "s3cr3t-value"}',
		]) {
			const clean = redact(text);
			for (const secret of [
				jwt,
				'c2Vzc2lvbi0xMjM0NTY3ODk',
				'c2ltLWNsaWVudC1pZDpzaW0tc2VjcmV0',
				'abc123def456',
				's3cr3t-value',
			])
				expect(clean).not.toContain(secret);
			expect(clean).toContain('[redacted]');
		}
		// Words stay words.
		expect(redact('Send a Bearer token with HTTP Basic authentication')).toBe(
			'Send a Bearer token with HTTP Basic authentication',
		);
		const error = errorOf({
			status: 403,
			data: { message: `Token Bearer ${jwt} has no permission`, code: 'FORBIDDEN' },
		});
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(jwt);
	});

	it('says durations as people read them', () => {
		expect(seconds(60_000)).toBe('60 s');
		expect(seconds(300_000)).toBe('300 s');
		expect(seconds(300)).toBe('0.3 s');
		expect(seconds(2_500)).toBe('2.5 s');
	});
});

describe("Reading the HTTP client's failures", () => {
	it('tells a time-out from other network errors, through the NodeApiError n8n wraps it in', () => {
		const timeout = Object.assign(new Error('timeout of 300ms exceeded'), { code: 'ECONNABORTED' });
		const wrapped = new NodeApiError(node, timeout as unknown as JsonObject);
		expect(unwrap(wrapped).failure).toEqual({ networkCode: 'ECONNABORTED', timedOut: true });
		const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		expect(unwrap(reset).failure).toEqual({ networkCode: 'ECONNRESET' });
	});

	it('reads a failed 2xx as an answer cut off, not as "HTTP 200"', () => {
		const aborted = Object.assign(new Error('stream has been aborted'), {
			code: 'ERR_BAD_RESPONSE',
			response: { status: 200, headers: { 'content-length': '5000' } },
		});
		const { failure } = unwrap(aborted);
		expect(failure).toEqual({ networkCode: 'ERR_BAD_RESPONSE', cutOff: { expectedBytes: 5000 } });
		expect(errorOf(failure).message).toBe(
			"Nexthink's answer to NQL Execute was cut off before its end (5,000 bytes announced)",
		);
	});
});

describe('What Nexthink may have processed (mayHaveBeenProcessed, wasSent)', () => {
	it.each<[string, HttpFailure, boolean]>([
		['a 500', { status: 500 }, true],
		['a 502 from a proxy', { status: 502, data: '<html></html>' }, true],
		['a 503', { status: 503 }, true],
		['a time-out', { networkCode: 'ECONNABORTED', timedOut: true }, true],
		['an answer cut off', { networkCode: 'ECONNRESET', cutOff: { expectedBytes: 10 } }, true],
		['a malformed 200', { malformed: true, data: '{"a":' }, true],
		['a connection reset', { networkCode: 'ECONNRESET' }, true],
		['a 400', { status: 400 }, false],
		['a 401', { status: 401 }, false],
		['a 403', { status: 403 }, false],
		['a 404', { status: 404 }, false],
		['a 406', { status: 406 }, false],
		['a 429', { status: 429 }, false],
		['a refused connection', { networkCode: 'ECONNREFUSED' }, false],
		['an unknown host', { networkCode: 'ENOTFOUND' }, false],
		['a token error', { tokenError: 'Nexthink rejected the client ID or secret' }, false],
	])('%s', (_case, failure, expected) => {
		const error = errorOf(failure, remoteAction);
		expect(mayHaveBeenProcessed(error)).toBe(expected);
		expect(wasSent(error)).toBe(expected);
	});

	it('keeps the answer when the error is wrapped again, as operations do', () => {
		const inner = errorOf({ networkCode: 'ECONNREFUSED' });
		const wrapped = new NodeApiError(node, inner as unknown as JsonObject);
		expect(mayHaveBeenProcessed(wrapped)).toBe(false);
		const rewrapped = new NodeOperationError(node, errorOf({ status: 504 }));
		expect(mayHaveBeenProcessed(rewrapped)).toBe(true);
	});

	it('a cancel while the request was in flight may have been processed; between tries not', () => {
		expect(mayHaveBeenProcessed(cancelledError(node, { requestInFlight: true }))).toBe(true);
		expect(mayHaveBeenProcessed(cancelledError(node, { requestInFlight: false }))).toBe(false);
		expect(
			cancelledError(node, { requestInFlight: true, triggersAction: true }).description,
		).toContain('may have been processed');
	});

	it('errors from elsewhere: bad input was not sent, a NodeApiError by its status', () => {
		expect(mayHaveBeenProcessed(new NodeOperationError(node, 'Query ID: it is empty'))).toBe(false);
		expect(mayHaveBeenProcessed(new Error('boom'))).toBe(false);
		expect(mayHaveBeenProcessed(new NodeApiError(node, {}, { httpCode: '500' }))).toBe(true);
		expect(mayHaveBeenProcessed(new NodeApiError(node, {}, { httpCode: '404' }))).toBe(false);
	});
});

describe('Cancellation', () => {
	it('recognises a cancel whatever wraps it, and nothing else', () => {
		const transportError = cancelledError(node, { requestInFlight: false });
		expect(transportError).toBeInstanceOf(NodeOperationError);
		expect(transportError.message).toBe('The execution was cancelled');
		expect(isCancellation(transportError)).toBe(true);
		expect(isCancellation(new ExecutionCancelledError())).toBe(true);
		expect(isCancellation(new NodeApiError(node, transportError as unknown as JsonObject))).toBe(
			true,
		);
		expect(isCancellation(new ManualExecutionCancelledError('1'))).toBe(true);
		expect(isCancellation(errorOf({ status: 500 }))).toBe(false);
		expect(isCancellation(new Error('The execution was cancelled?'))).toBe(false);
		expect(isCancellation(undefined)).toBe(false);
	});

	it('adds one abort listener to the signal, whatever the number of waits and races', async () => {
		const controller = new AbortController();
		const context = {
			getExecutionCancelSignal: () => controller.signal,
		} as unknown as NexthinkContext;
		const called: number[] = [];
		for (let i = 0; i < 50; i++) onCancel(context, () => called.push(i));
		const waits = Array.from({ length: 50 }, () => waitUnlessCancelled(context, 60_000));
		const races = Array.from({ length: 50 }, () =>
			unlessCancelled(context, new Promise<never>(() => undefined)),
		);
		expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);

		controller.abort();
		const settled = await Promise.allSettled([...waits, ...races]);
		expect(called).toHaveLength(50);
		expect(
			settled.every(
				(outcome) =>
					outcome.status === 'rejected' && outcome.reason instanceof ExecutionCancelledError,
			),
		).toBe(true);
	});
});
