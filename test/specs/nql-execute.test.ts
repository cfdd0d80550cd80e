import { NodeApiError, NodeHelpers, NodeOperationError } from 'n8n-workflow';

import { Nexthink } from '../../nodes/Nexthink/Nexthink.node';
import { parseCsv } from '../../nodes/Nexthink/shared/csv';
import { getBinaryBuffer } from '../harness';
import { nexthinkTestbed, type NexthinkTestbed } from '../support/nexthink';

const execute = (queryId: string, extra: Record<string, unknown> = {}) => ({
	resource: 'nql',
	operation: 'execute',
	queryId,
	...extra,
});

const withParameters = (parameters: Record<string, string>) => ({
	parameters: { parameter: Object.entries(parameters).map(([name, value]) => ({ name, value })) },
});

describe('NQL > Execute', () => {
	let bed: NexthinkTestbed;

	beforeAll(async () => {
		bed = await nexthinkTestbed();
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	it('runs a saved query with parameters on v2 and returns one item per row, paired with its input', async () => {
		const [rows] = await bed.run(execute('#devices_by_os', withParameters({ $os: 'macOS' })));

		const [call] = bed.requests('nql.execute.v2');
		expect(call.body).toEqual({ queryId: '#devices_by_os', parameters: { os: 'macOS' } });
		expect(call.headers.authorization).toMatch(/^Bearer \S+/);
		expect(rows.length).toBeGreaterThan(0);
		for (const row of rows) {
			expect(row.json['device.operating_system.name']).toMatch(/macOS/);
			expect(row.pairedItem).toEqual({ item: 0 });
		}
		expect(bed.hints).toEqual([]);
	});

	it('calls v1 on request and still outputs objects keyed by field name', async () => {
		const [v2] = await bed.run(execute('#devices_by_os', withParameters({ os: 'Windows' })));
		const [v1] = await bed.run(
			execute('#devices_by_os', {
				...withParameters({ os: 'Windows' }),
				options: { apiVersion: 'v1' },
			}),
		);

		expect(bed.requests('nql.execute.v1')).toHaveLength(1);
		expect(v1.length).toBeGreaterThan(0);
		expect(v1.map((item) => item.json)).toEqual(v2.map((item) => item.json));
	});

	it('asks for UTC times with the x-utc-times header', async () => {
		await bed.run(execute('#all_devices', { options: { utcTimes: true } }));
		expect(bed.requests('nql.execute.v2')[0].headers['x-utc-times']).toBe('true');
	});

	it('returns the result as a CSV file when asked, one item per query', async () => {
		const [out] = await bed.run(
			execute('#csv_edge_cases', { options: { output: 'csvFile', binaryPropertyName: 'report' } }),
		);

		expect(bed.requests('nql.execute.v2')[0].headers.accept).toBe('text/csv');
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({
			queryId: '#csv_edge_cases',
			fileName: 'csv_edge_cases.csv',
		});
		expect(out[0].binary?.report.mimeType).toBe('text/csv');
		const csv = (await getBinaryBuffer(out[0], 'report')).toString('utf8');
		const rows = parseCsv(csv);
		expect(rows).toHaveLength(out[0].json.rows as number);
		expect(rows.map((row) => Object.values(row).join('|')).join('\n')).toContain('Zürich');
		const [asRows] = await bed.run(execute('#csv_edge_cases'));
		expect(rows).toHaveLength(asRows.length);
	});

	describe('the result and what Nexthink says of the run (Output: One Item per Query, with Metadata)', () => {
		const result = (extra: Record<string, unknown> = {}) =>
			execute('#devices_by_os', {
				...withParameters({ os: 'macOS' }),
				options: { output: 'result', ...extra },
			});

		it('returns one item: queryId, executedQuery, rows, executionDateTime and the rows under data', async () => {
			const [rows] = await bed.run(execute('#devices_by_os', withParameters({ os: 'macOS' })));
			const [out] = await bed.run(result());

			expect(out).toHaveLength(1);
			expect(out[0].pairedItem).toEqual({ item: 0 });
			expect(out[0].json).toEqual({
				queryId: '#devices_by_os',
				executedQuery: expect.stringContaining('"macOS"'),
				rows: rows.length,
				executionDateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
				data: rows.map((row) => row.json),
			});
		});

		it('gives v1 and v2 the same shape: the v1 executionDateTime object becomes the v2 string', async () => {
			const [v2] = await bed.run(result());
			const [v1] = await bed.run(result({ apiVersion: 'v1' }));

			expect(bed.requests('nql.execute.v1')).toHaveLength(1);
			expect(Object.keys(v1[0].json)).toEqual(Object.keys(v2[0].json));
			expect(v1[0].json.executionDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
			expect(v1[0].json.data).toEqual(v2[0].json.data);

			bed.sim.inject('nql.execute.v1', {
				type: 'status',
				status: 200,
				body: {
					queryId: '#devices_by_os',
					executedQuery: 'devices | list name',
					rows: 0,
					executionDateTime: { year: 24, month: 3, day: 7, hour: 6, minute: 5, second: 2 },
					headers: ['device.name'],
					data: [],
				},
			});
			const [old] = await bed.run(result({ apiVersion: 'v1' }));
			expect(old[0].json).toMatchObject({
				rows: 0,
				executionDateTime: '2024-03-07T06:05:02',
				data: [],
			});
		});

		it('gives an item for a query that returned nothing, so the next nodes run', async () => {
			const [out] = await bed.run(
				execute('#devices_by_os', {
					...withParameters({ os: 'Solaris' }),
					options: { output: 'result' },
				}),
			);

			expect(out).toEqual([
				expect.objectContaining({
					json: expect.objectContaining({ queryId: '#devices_by_os', rows: 0, data: [] }),
				}),
			]);
			expect(bed.hints.map((hint) => hint.message)).toEqual([
				expect.stringMatching(
					/^0 rows: #devices_by_os \(devices .*"Solaris".*\) returned nothing\.$/,
				),
			]);
		});
	});

	describe('lookups per input item (Output: One Item per Input Item, Rows in a Field)', () => {
		const lookup = (options: Record<string, unknown> = {}) =>
			execute('#devices_by_os', {
				...withParameters({ os: '={{ $json.os }}' }),
				options: { output: 'inputItem', ...options },
			});

		it('keeps each input item, with its rows in a list: empty when nothing is found', async () => {
			const [macs] = await bed.run(execute('#devices_by_os', withParameters({ os: 'macOS' })));
			const input = [
				{ json: { ticket: 'INC1', os: 'macOS' } },
				{ json: { ticket: 'INC2', os: 'Solaris' } },
			];
			const [out] = await bed.run(lookup(), input);

			expect(out).toEqual([
				{
					json: { ticket: 'INC1', os: 'macOS', nqlRows: macs.map((row) => row.json) },
					pairedItem: { item: 0 },
				},
				{ json: { ticket: 'INC2', os: 'Solaris', nqlRows: [] }, pairedItem: { item: 1 } },
			]);
		});

		it('tells "not found" from "failed": a failed query is an error item of its own input', async () => {
			bed.sim.inject('nql.execute.v2', { type: 'slow', delayMs: 0 });
			bed.sim.inject('nql.execute.v2', { type: 'status', status: 403 });
			const input = [
				{ json: { ticket: 'INC1', os: 'Solaris' } },
				{ json: { ticket: 'INC2', os: 'Solaris' } },
			];
			const [out] = await bed.run(lookup({ concurrency: 1, rowsField: 'devices' }), input, {
				onError: 'continueRegularOutput',
			});

			expect(
				out.map((item) => [item.pairedItem, item.json.devices, typeof item.json.error]),
			).toEqual([
				[{ item: 0 }, [], 'undefined'],
				[{ item: 1 }, undefined, 'string'],
			]);
			expect(out[1].json.error).toMatch(/\(403\)/);
		});

		it('refuses a Rows Field n8n would drop, before any request', async () => {
			const error = (await bed
				.run(lookup({ rowsField: '__proto__' }), [{ json: { os: 'macOS' } }])
				.catch((e: unknown) => e)) as NodeOperationError;

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(/^Rows Field: "__proto__" cannot be a field name/);
			expect(bed.sim.log.filter((entry) => entry.endpoint.startsWith('nql'))).toHaveLength(0);
		});
	});

	it('says which query returned 0 rows, and how to let the next nodes run', async () => {
		const input = [
			{ json: { os: 'Solaris' } },
			{ json: { os: 'Solaris' } },
			{ json: { os: 'macOS' } },
		];
		const [rows] = await bed.run(
			execute('#devices_by_os', withParameters({ os: '={{ $json.os }}' })),
			input,
		);

		expect(rows.length).toBeGreaterThan(0);
		expect(rows.every((row) => (row.pairedItem as { item: number }).item === 2)).toBe(true);
		expect(bed.hints).toHaveLength(1);
		expect(bed.hints[0].message).toMatch(
			/^0 rows: #devices_by_os \(.*"Solaris".*\) returned nothing\./,
		);
		expect(bed.hints[0].message).toContain('Settings > Always Output Data');
		expect(bed.hints[0].message).toContain('One Item per Query');
	});

	it('says when a result hits the 1,000-row cap of the execute API', async () => {
		bed.sim.setQueryRows('#all_devices', 2500);
		const [rows] = await bed.run(execute('#all_devices'));

		expect(rows).toHaveLength(1000);
		expect(bed.hints).toHaveLength(1);
		expect(bed.hints[0].message).toContain('NQL > Export');
	});

	it('fetches one token for 100 items running in parallel', async () => {
		const input = Array.from({ length: 100 }, (_, i) => ({
			json: { os: i % 2 ? 'macOS' : 'Windows' },
		}));
		const [rows] = await bed.run(
			execute('#devices_by_os', {
				...withParameters({ os: '={{ $json.os }}' }),
				options: { concurrency: 20 },
			}),
			input,
		);

		expect(bed.requests('nql.execute.v2')).toHaveLength(100);
		expect(bed.sim.tokensIssued).toBe(1);
		expect(bed.sim.count('token')).toBe(1);
		const osOf = (item: number) => bed.requests('nql.execute.v2').map((r) => r.body)[item];
		expect(osOf(0)).toBeDefined();
		// Every input item got its own rows, in input order.
		const pairs = rows.map((row) => (row.pairedItem as { item: number }).item);
		expect(pairs).toEqual([...pairs].sort((a, b) => a - b));
		expect(new Set(pairs).size).toBe(100);
	});

	it('renews an expired token once, mid-run, and retries the rejected calls', async () => {
		await bed.run(execute('#all_devices'));
		expect(bed.sim.tokensIssued).toBe(1);

		bed.sim.expireAllTokens();
		const input = Array.from({ length: 10 }, () => ({ json: {} }));
		const [rows] = await bed.run(execute('#devices_by_os', withParameters({ os: 'macOS' })), input);

		expect(bed.sim.tokensIssued).toBe(2);
		const calls = bed.requests('nql.execute.v2').slice(1);
		const rejected = calls.filter((c) => c.status === 401).length;
		expect(rejected).toBeGreaterThan(0);
		expect(rejected).toBeLessThanOrEqual(10); // at most one per item in flight
		expect(calls.filter((c) => c.status === 200)).toHaveLength(10);
		expect(new Set(rows.map((r) => (r.pairedItem as { item: number }).item)).size).toBe(10);
	});

	it('refreshes once and retries once on a persistent 401, then fails: never a loop', async () => {
		bed.sim.inject('nql.execute.v2', { type: 'status', status: 401 }, 2);

		const error = await bed.run(execute('#all_devices')).catch((e: unknown) => e);

		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('401');
		expect((error as NodeApiError).message).toContain('did not accept the credential');
		expect(bed.requests('nql.execute.v2')).toHaveLength(2);
		expect(bed.sim.tokensIssued).toBe(2);
	});

	it("turns a 403 into a NodeApiError with Nexthink's message and the permission to tick", async () => {
		bed.sim.setPermissions(['workflows', 'remoteActions', 'campaigns', 'enrichment']);

		const error = (await bed.run(execute('#all_devices')).catch((e: unknown) => e)) as NodeApiError;

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('403');
		expect(bed.requests('nql.execute.v2')[0].status).toBe(403);
		expect(error.message).toBe(
			'Permission missing for NQL Execute (403): No permission - Not authorized to execute queries.',
		);
		expect(error.description).toContain('"NQL API"');
	});

	it('names the unknown query on a 404', async () => {
		const error = (await bed
			.run(execute('#no_such_query'))
			.catch((e: unknown) => e)) as NodeApiError;

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('404');
		expect(error.description).toContain('#no_such_query');
	});

	it.each([
		['without #', 'all_devices', /Did you mean #all_devices\?/],
		['upper case', '#All_Devices', /lowercase letters/],
		['empty', '', /it is empty/],
		['NQL text', 'devices | list name', /not a valid NQL query ID/],
	])('rejects a query ID %s before any request, token included', async (_case, queryId, fix) => {
		const error = (await bed.run(execute(queryId)).catch((e: unknown) => e)) as NodeOperationError;

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^Query ID: /);
		expect(`${error.message} ${error.description}`).toMatch(fix);
		expect(bed.sim.log).toHaveLength(0);
	});

	describe('a Query ID that is not one is pointed out while editing, as the run refuses it', () => {
		const notice = new Nexthink().description.properties.find(
			(property) =>
				property.name === 'queryIdNotice' &&
				property.displayOptions?.show?.resource?.includes('nql') &&
				property.displayOptions.show.operation?.includes('execute'),
		);
		/** What n8n's editor decides (NodeHelpers.displayParameter, as it does for each field). */
		const warnsAbout = (queryId: string) =>
			NodeHelpers.displayParameter(
				{ resource: 'nql', operation: 'execute', queryId },
				notice!,
				null,
				new Nexthink().description,
			);

		it.each([
			['without #', 'all_devices', true],
			['upper case', '#All_Devices', true],
			['NQL text', 'devices | list name', true],
			['a Query ID', '#all_devices', false],
			['a Query ID with spaces around it', ' #all_devices ', false],
			['empty (Query ID is required)', '', false],
			['an expression (checked when it runs)', '={{ $json.id }}', false],
		])('%s: %s', async (_case, queryId, warned) => {
			expect(warnsAbout(queryId)).toBe(warned);
			if (queryId.startsWith('=') || queryId === '') return;
			const run = await bed.run(execute(queryId)).then(
				() => 'ran',
				(error: unknown) => (error instanceof NodeOperationError ? 'refused' : 'failed'),
			);
			expect(run).toBe(warned ? 'refused' : 'ran');
		});

		it('says what a Query ID looks like', () => {
			expect(notice?.type).toBe('notice');
			expect(notice?.displayName).toMatch(/"#" followed by 2 to 255 lowercase letters/);
		});
	});

	it('points a 400 for a missing parameter to Query Parameters, with the code once', async () => {
		const error = (await bed
			.run(execute('#devices_by_os'))
			.catch((e: unknown) => e)) as NodeApiError;

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			"Nexthink rejected NQL Execute (400): Missing value for parameter(s) 'os' of query '#devices_by_os'.",
		);
		expect(error.description).toMatch(
			/^The saved query has a \$placeholder that got no value .*: give it under Query Parameters, by its name without the \$/,
		);
		expect(error.httpCode).toBe('400');
		expect(error.errorResponse).toMatchObject({ httpCode: '400' });
		expect(error.errorResponse).not.toHaveProperty('nexthinkCode');

		const [items] = await bed.run(execute('#devices_by_os'), undefined, {
			onError: 'continueRegularOutput',
		});
		expect(items[0].json.details).toEqual({
			description: error.description,
			httpCode: '400',
			nexthinkMessage: "Missing value for parameter(s) 'os' of query '#devices_by_os'.",
		});
	});

	it('waits out a 429 as Retry-After says, in seconds and as an HTTP date', async () => {
		bed.sim.inject('nql.execute.v2', { type: 'rateLimit', retryAfter: 1 });
		bed.sim.inject('nql.execute.v2', { type: 'rateLimit', retryAfterDate: true, seconds: 1 });
		const started = Date.now();

		const [rows] = await bed.run(execute('#all_devices'));

		expect(rows.length).toBeGreaterThan(0);
		expect(bed.requests('nql.execute.v2').map((r) => r.status)).toEqual([429, 429, 200]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	it('retries a read-only call after a 503 and a dropped connection', async () => {
		bed.sim.inject('nql.execute.v2', { type: 'status', status: 503 });
		bed.sim.inject('nql.execute.v2', { type: 'drop' });

		const [rows] = await bed.run(execute('#all_devices'));

		expect(rows.length).toBeGreaterThan(0);
		expect(bed.requests('nql.execute.v2')).toHaveLength(3);
	});

	it('reports a malformed answer as such', async () => {
		bed.sim.inject('nql.execute.v2', { type: 'malformed' });
		const error = (await bed.run(execute('#all_devices')).catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain('not valid JSON');
	});

	it('keeps going with Continue On Fail: a failed item becomes an error item paired with it', async () => {
		const input = [
			{ json: { id: '#devices_by_os' } },
			{ json: { id: 'bad id' } },
			{ json: { id: '#no_such_query' } },
		];
		const [out] = await bed.run(
			execute('={{ $json.id }}', withParameters({ os: 'macOS' })),
			input,
			{ onError: 'continueRegularOutput' },
		);

		const failed = out.filter((item) => item.json.error);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(failed[0].json.error).toMatch(/^Query ID: /);
		expect(failed[1].json.details).toMatchObject({ httpCode: '404' });
		expect(
			out
				.filter((item) => !item.json.error)
				.every((item) => (item.pairedItem as { item: number }).item === 0),
		).toBe(true);
	});

	it('routes failed items to the error output in a real workflow run, with their input data', async () => {
		const input = [
			{ json: { id: '#devices_by_os', ticket: 'INC1' } },
			{ json: { id: '#no_such_query', ticket: 'INC2' } },
		];
		const { main } = await bed.runInWorkflow(
			execute('={{ $json.id }}', withParameters({ os: 'macOS' })),
			input,
			'continueErrorOutput',
		);

		const [success, errors] = main;
		expect(success.length).toBeGreaterThan(0);
		expect(errors).toHaveLength(1);
		expect(errors[0].json.ticket).toBe('INC2');
		expect(errors[0].json.error).toContain('Not found');
		expect(errors[0].json.details).toMatchObject({ httpCode: '404' });
		expect(errors[0].pairedItem).toEqual({ item: 1 });
	});

	it('never shows the client secret or a token in errors or output', async () => {
		bed.sim.inject('nql.execute.v2', { type: 'status', status: 401 }, 2);
		const error = await bed.run(execute('#all_devices')).catch((e: unknown) => e);
		const secrets = [
			bed.sim.clientSecret,
			...bed.sim.log.map((r) => (r.headers.authorization ?? '').replace(/^(Bearer|Basic) /, '')),
		].filter((s) => s.length > 8);
		const shown =
			JSON.stringify(error, Object.getOwnPropertyNames(error)) + String((error as Error).stack);
		for (const secret of secrets) expect(shown).not.toContain(secret);
	});
});
