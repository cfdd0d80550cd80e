import { NodeApiError, type INode } from 'n8n-workflow';

import { chunk, mapWithConcurrency } from '../../nodes/Nexthink/transport/batching';
import { nexthinkApiError, readNexthinkError } from '../../nodes/Nexthink/transport/errors';
import { parseRetryAfter } from '../../nodes/Nexthink/transport/retry';

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

describe('batching', () => {
	it('chunks 25,000 devices into requests of at most 10,000', () => {
		const sizes = chunk(
			Array.from({ length: 25000 }, (_, i) => i),
			10000,
		).map((c) => c.length);
		expect(sizes).toEqual([10000, 10000, 5000]);
	});

	it('never runs more than the limit at once and keeps input order', async () => {
		let running = 0;
		let peak = 0;
		const results = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (value) => {
			running++;
			peak = Math.max(peak, running);
			await Promise.resolve();
			await Promise.resolve();
			running--;
			if (value === 2) throw new Error('two');
			return value * 10;
		});
		expect(peak).toBe(3);
		expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([
			50,
			10,
			40,
			'failed',
			30,
			0,
			60,
		]);
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
			'Permission missing for NQL Execute (403): Not authorized to execute queries. [403]',
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
