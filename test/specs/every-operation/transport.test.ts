/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test: node:events counts the abort listeners on the execution's signal; timers play the user's Cancel */
/**
 * What the transport promises a fleet of workflows, through n8n-core's real execution context
 * against the simulator over HTTP: a cancel stops everything at once, a call that hangs fails
 * with its own time-out, a download cut off is told and tried again, error bodies never leak
 * tokens or flood messages, and the execution engine can tell what Nexthink may have processed.
 */
import { getEventListeners } from 'node:events';

import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { downloadPresigned } from '../../../nodes/Nexthink/transport/download';
import { isCancellation, mayHaveBeenProcessed } from '../../../nodes/Nexthink/transport/errors';
import { nexthinkRequest, type NexthinkRequest } from '../../../nodes/Nexthink/transport/request';
import { getBinaryBuffer, runNode } from '../../harness';
import { nexthinkTestbed, type NexthinkTestbed } from '../../support/nexthink';

const execute = (extra: IDataObject = {}) => ({
	resource: 'nql',
	operation: 'execute',
	queryId: '#all_devices',
	...extra,
});

/**
 * A node that calls the transport directly, for what no operation exposes yet (a short
 * time-out): run through n8n-core like any node, with the real credential.
 */
function transportProbe(call: (this: IExecuteFunctions) => Promise<IDataObject>): INodeType {
	const description: INodeTypeDescription = {
		displayName: 'Transport Probe',
		name: 'transportProbe',
		group: ['transform'],
		version: 1,
		description: 'Calls the Nexthink transport directly',
		defaults: { name: 'Transport Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'nexthinkApi', required: true }],
		properties: [],
	};
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [[{ json: await call.call(this) }]];
		},
	};
}

/** What a run ended with, and how long after `from` it ended. */
async function settle(run: Promise<unknown>, from: () => number) {
	return await run.then(
		(value) => ({ value, error: undefined as unknown, at: Date.now() - from() }),
		(error: unknown) => ({ value: undefined, error, at: Date.now() - from() }),
	);
}

const shownOf = (value: unknown) =>
	JSON.stringify(value, value instanceof Error ? Object.getOwnPropertyNames(value) : undefined) +
	(value instanceof Error ? String(value.stack) : '');

describe('Transport', () => {
	let bed: NexthinkTestbed;

	beforeAll(async () => {
		bed = await nexthinkTestbed({ exportTimings: { submittedMs: 0, inProgressMs: 0 } });
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	const probe = async (
		call: (this: IExecuteFunctions) => Promise<IDataObject>,
		options: { signal?: AbortSignal } = {},
	) =>
		await runNode({
			nodeType: transportProbe(call),
			parameters: {},
			credentials: { store: bed.store, type: 'nexthinkApi', id: bed.credentialId },
			...options,
		});

	/** Starts `run` with a cancel signal and cancels it after `afterMs`, as the user's Cancel does. */
	/** Cancels `afterMs` after the run starts, or after `seen()` first holds (a busy machine may take longer). */
	const cancelled = async (
		run: (signal: AbortSignal) => Promise<unknown>,
		afterMs = 300,
		seen: () => boolean = () => true,
	): Promise<{ error: unknown; sinceCancelMs: number }> => {
		const controller = new AbortController();
		let cancelledAt = 0;
		let timer: NodeJS.Timeout | undefined;
		const watcher = setInterval(() => {
			if (!seen()) return;
			clearInterval(watcher);
			timer = setTimeout(() => {
				cancelledAt = Date.now();
				controller.abort();
			}, afterMs);
		}, 10);
		const outcome = await settle(run(controller.signal), () => cancelledAt);
		clearInterval(watcher);
		clearTimeout(timer);
		expect(cancelledAt).toBeGreaterThan(0);
		return { error: outcome.error, sinceCancelMs: outcome.at };
	};

	const expectCancelled = (error: unknown) => {
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe('The execution was cancelled');
		expect(isCancellation(error)).toBe(true);
	};

	describe('a cancel stops everything within a second', () => {
		it.each([60, 6])(
			'NQL Execute waiting out a Retry-After of %i s stops at once and never retries',
			async (retryAfter) => {
				bed.sim.inject('nql.execute.v2', { type: 'rateLimit', retryAfter });

				const { error, sinceCancelMs } = await cancelled(
					(signal) => bed.run(execute(), undefined, { signal }),
					100,
					() => bed.requests('nql.execute.v2').length > 0,
				);

				expectCancelled(error);
				expect(sinceCancelMs).toBeLessThan(1000);
				// Past the moment the retry would have gone out (6 s), or long enough to see one start (60 s).
				await sleep(retryAfter === 6 ? 6500 : 1500);
				expect(bed.requests('nql.execute.v2').map((call) => call.status)).toEqual([429]);
			},
			20_000,
		);

		it('a backoff after a 503 ends at once too', async () => {
			bed.sim.inject('nql.execute.v2', { type: 'status', status: 503 }, 3);

			const { error, sinceCancelMs } = await cancelled(
				(signal) => bed.run(execute(), undefined, { signal }),
				// The first backoff is 250–500 ms, the second 500–1,000 ms: cancel during one of them.
				700,
			);

			expectCancelled(error);
			expect(sinceCancelMs).toBeLessThan(1000);
			const sent = bed.requests('nql.execute.v2').length;
			await sleep(2500);
			expect(bed.requests('nql.execute.v2')).toHaveLength(sent);
		});

		it('a call waiting for the shared token request stops at once, and is never sent', async () => {
			bed.sim.inject('token', { type: 'slow', delayMs: 2000 });

			const { error, sinceCancelMs } = await cancelled((signal) =>
				bed.run(execute(), [{ json: {} }, { json: {} }, { json: {} }], { signal }),
			);

			expectCancelled(error);
			expect(sinceCancelMs).toBeLessThan(1000);
			await sleep(2500);
			expect(bed.sim.count('token')).toBe(1);
			expect(bed.requests('nql.execute.v2')).toHaveLength(0);
		});

		it('a slow export download stops at once and is not tried again', async () => {
			const [started] = await bed.run({
				resource: 'nql',
				operation: 'export',
				queryId: '#all_devices',
				waitForCompletion: true,
				output: 'status',
				options: { pollIntervalSeconds: 1 },
			});
			bed.sim.inject('nql.download', { type: 'slow', delayMs: 3000 });

			const { error, sinceCancelMs } = await cancelled((signal) =>
				bed.run(
					{
						resource: 'nql',
						operation: 'downloadExport',
						source: 'resultsFileUrl',
						resultsFileUrl: String(started[0].json.resultsFileUrl),
					},
					undefined,
					{ signal },
				),
			);

			expect(isCancellation(error)).toBe(true);
			expect((error as Error).message).toBe('The execution was cancelled');
			expect(sinceCancelMs).toBeLessThan(1000);
			await sleep(3500);
			expect(bed.requests('nql.download')).toHaveLength(1);
		});

		it('a triggering call cancelled in flight says it may have been processed', async () => {
			bed.sim.inject('remoteAction.execute', { type: 'slow', delayMs: 1500 });
			const collector = bed.sim.data.devices[0].collectorUid;

			const { error, sinceCancelMs } = await cancelled((signal) =>
				probe(
					async function () {
						await nexthinkRequest.call(this, {
							method: 'POST',
							path: '/api/v1/act/execute',
							body: {
								remoteActionId: '#get_disk_space',
								params: {},
								devices: [collector],
							},
							operation: 'Remote Action Execute',
							domain: 'remoteActions',
							triggersAction: true,
						});
						return {};
					},
					{ signal },
				),
			);

			expectCancelled(error);
			expect(sinceCancelMs).toBeLessThan(1000);
			expect(mayHaveBeenProcessed(error)).toBe(true);
			expect((error as NodeOperationError).description).toContain('may have been processed');
			await sleep(1500);
			expect(bed.requests('remoteAction.execute')).toHaveLength(1);
		});

		it('adds one abort listener of its own to the execution signal, not one per request', async () => {
			const items = Array.from({ length: 8 }, () => ({ json: {} }));
			bed.sim.inject('nql.execute.v2', { type: 'rateLimit', retryAfter: 1 }, 8);
			bed.sim.inject('nql.execute.v2', { type: 'slow', delayMs: 400 }, 8);
			const controller = new AbortController();
			const warnings: Error[] = [];
			const onWarning = (warning: Error) => warnings.push(warning);
			process.on('warning', onWarning);
			let most = 0;
			const sampler = setInterval(() => {
				most = Math.max(most, getEventListeners(controller.signal, 'abort').length);
			}, 10);
			try {
				const [rows] = await bed.run(execute({ options: { concurrency: 8 } }), items, {
					signal: controller.signal,
				});
				expect(rows.length).toBeGreaterThan(0);
			} finally {
				clearInterval(sampler);
				process.off('warning', onWarning);
			}

			expect(bed.requests('nql.execute.v2')).toHaveLength(16);
			// n8n's HTTP client listens once per request in flight (8 at most); the node once.
			expect(most).toBeGreaterThan(0);
			expect(most).toBeLessThanOrEqual(8 + 1);
			expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual(
				[],
			);
		});
	});

	describe('every call has its own time-out', () => {
		const timed = (extra: Partial<NexthinkRequest>) =>
			async function (this: IExecuteFunctions) {
				const { body } = await nexthinkRequest.call(this, {
					method: 'POST',
					path: '/api/v2/nql/execute',
					body: { queryId: '#all_devices' },
					operation: 'NQL Execute',
					domain: 'nql',
					...extra,
				});
				return { rows: ((body as IDataObject).data as unknown[]).length };
			};

		it('a read-only call that does not answer in time is tried again', async () => {
			bed.sim.inject('nql.execute.v2', { type: 'slow', delayMs: 1500 });

			const [[out]] = await probe(timed({ timeoutMs: 400 }));

			expect(out.json.rows).toBeGreaterThan(0);
			expect(bed.requests('nql.execute.v2')).toHaveLength(2);
		});

		it('says so when every try timed out', async () => {
			bed.sim.inject('nql.execute.v2', { type: 'slow', delayMs: 1500 }, 4);

			const error = (await probe(timed({ timeoutMs: 300 })).catch(
				(e: unknown) => e,
			)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('Nexthink did not answer NQL Execute within 0.3 s');
			expect(error.description).toContain('Retried 3 times');
			expect(bed.requests('nql.execute.v2')).toHaveLength(4);
		});

		it('a triggering call that times out is not repeated, and may have been processed', async () => {
			bed.sim.inject('remoteAction.execute', { type: 'slow', delayMs: 1000 });
			const collector = bed.sim.data.devices[0].collectorUid;
			const before = bed.sim.data.remoteActionExecutions.length;

			const error = (await probe(async function () {
				await nexthinkRequest.call(this, {
					method: 'POST',
					path: '/api/v1/act/execute',
					body: { remoteActionId: '#get_disk_space', params: {}, devices: [collector] },
					operation: 'Remote Action Execute',
					domain: 'remoteActions',
					triggersAction: true,
					timeoutMs: 300,
				});
				return {};
			}).catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('Nexthink did not answer Remote Action Execute within 0.3 s');
			expect(error.description).toMatch(/may have been processed, so it was not repeated/);
			expect(mayHaveBeenProcessed(error)).toBe(true);
			await sleep(1000);
			expect(bed.requests('remoteAction.execute')).toHaveLength(1);
			// It was: Nexthink ran it after the node had given up.
			expect(bed.sim.data.remoteActionExecutions.length).toBe(before + 1);
		});

		it("Options > Request Timeout sets the operation's time-out", async () => {
			bed.sim.inject('remoteAction.execute', { type: 'slow', delayMs: 1600 });
			const collector = bed.sim.data.devices[0].collectorUid;

			const error = (await bed
				.run({
					resource: 'remoteAction',
					operation: 'execute',
					remoteActionId: { __rl: true, mode: 'id', value: '#get_disk_space' },
					devices: collector,
					options: { requestTimeout: 1 },
				})
				.catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('Nexthink did not answer Remote Action Execute within 1 s');
			expect(bed.requests('remoteAction.execute')).toHaveLength(1);
		});

		it('a download that does not answer in time fails with its own time-out', async () => {
			const [started] = await bed.run({
				resource: 'nql',
				operation: 'export',
				queryId: '#all_devices',
				waitForCompletion: true,
				output: 'status',
				options: { pollIntervalSeconds: 1 },
			});
			bed.sim.inject('nql.download', { type: 'slow', delayMs: 1500 }, 4);

			const error = (await probe(async function () {
				const file = await downloadPresigned.call(this, String(started[0].json.resultsFileUrl), 0, {
					timeoutMs: 300,
				});
				return { bytes: file.bytes };
			}).catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(
				'The export file host did not answer NQL Download Export within 0.3 s',
			);
			expect(bed.requests('nql.download')).toHaveLength(4);
		});
	});

	describe('a download cut off mid-body', () => {
		const completedExport = async () => {
			bed.sim.setQueryRows('#all_devices', 2000);
			const [started] = await bed.run({
				resource: 'nql',
				operation: 'export',
				queryId: '#all_devices',
				waitForCompletion: true,
				output: 'status',
				options: { pollIntervalSeconds: 1 },
			});
			return String(started[0].json.resultsFileUrl);
		};

		it('a body that stops flowing fails with the time-out, saying how much arrived', async () => {
			const resultsFileUrl = await completedExport();
			bed.sim.inject('nql.download', { type: 'cutOff', afterBytes: 4096, stallMs: 2000 }, 4);
			const before = bed.requests('nql.download').length;

			const error = (await probe(async function () {
				await downloadPresigned.call(this, resultsFileUrl, 0, {
					timeoutMs: 400,
				});
				return {};
			}).catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toMatch(
				/^The export download stalled after 4,096 bytes of [\d,]+: nothing arrived for 0.4 s$/,
			);
			expect(bed.requests('nql.download').slice(before)).toHaveLength(4);
		});

		it('streamed into binary data (output File), a body that stops flowing fails too, and is tried again', async () => {
			const resultsFileUrl = await completedExport();
			bed.sim.inject('nql.download', { type: 'cutOff', afterBytes: 4096, stallMs: 5000 }, 4);
			const before = bed.requests('nql.download').length;
			const begun = Date.now();

			const error = (await probe(async function () {
				await downloadPresigned.call(this, resultsFileUrl, 0, {
					timeoutMs: 400,
					asBinary: true,
				});
				return {};
			}).catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toMatch(/^The export download (stalled|was cut off)/);
			expect(bed.requests('nql.download').slice(before)).toHaveLength(4);
			// Four tries of 0.4 s of silence each and the backoff between them; never the 5 s stalls.
			expect(Date.now() - begun).toBeLessThan(15_000);
		});

		const download = (resultsFileUrl: string, output = 'rows') => ({
			resource: 'nql',
			operation: 'downloadExport',
			source: 'resultsFileUrl',
			resultsFileUrl,
			output,
		});

		it('is tried again, and the rows come whole', async () => {
			const link = await completedExport();
			bed.sim.inject('nql.download', { type: 'cutOff', afterBytes: 4096 });

			const [rows] = await bed.run(download(link));

			expect(rows).toHaveLength(2000);
			expect(bed.requests('nql.download').map((call) => call.fault ?? 'whole')).toEqual([
				'cutOff',
				'whole',
			]);
		});

		it('says how much arrived when every try was cut off', async () => {
			const link = await completedExport();
			const [file] = await bed.run(download(link, 'file'));
			const size = (await getBinaryBuffer(file[0], 'data')).length;
			const before = bed.requests('nql.download').length;
			bed.sim.inject('nql.download', { type: 'cutOff', afterBytes: 4096 }, 4);

			const error = (await bed.run(download(link)).catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(
				`The export download was cut off after 4,096 bytes of ${size.toLocaleString('en-US')}`,
			);
			expect(error.message).not.toMatch(/HTTP 200/);
			expect(error.description).toContain('Retried 3 times');
			expect(bed.requests('nql.download').slice(before)).toHaveLength(4);
		});
	});

	describe('error bodies never leak and never flood messages', () => {
		it("a proxy's HTML page that echoes the token: the token is nowhere in the error", async () => {
			bed.sim.inject(
				'nql.execute.v2',
				{ type: 'html', status: 502, title: '502 Bad Gateway', echoHeaders: true },
				8,
			);

			const error = (await bed.run(execute()).catch((e: unknown) => e)) as NodeApiError;
			const [items] = await bed.run(execute(), undefined, { onError: 'continueRegularOutput' });

			const tokens = bed.sim.log
				.map((call) => (call.headers.authorization ?? '').replace(/^Bearer /, ''))
				.filter((token) => token.length > 20);
			expect(tokens.length).toBeGreaterThan(0);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('502');
			expect(error.message).toBe(
				'Nexthink failed to process NQL Execute (502): the answer was an HTML page, likely from a proxy or gateway (title "502 Bad Gateway")',
			);
			expect(items).toHaveLength(1);
			expect(items[0].json.error).toBe(error.message);
			for (const shown of [
				error.message,
				String(error.description),
				shownOf(error),
				JSON.stringify(error.errorResponse),
				JSON.stringify(items),
			]) {
				for (const token of tokens) expect(shown).not.toContain(token);
				expect(shown).not.toContain('Request headers');
			}
		});

		it("a 400 keeps Nexthink's words, with the code once", async () => {
			bed.sim.inject('nql.execute.v2', {
				type: 'status',
				status: 400,
				body: { message: 'Parameter os is missing.', code: 400, source: 'nql-api' },
			});

			const error = (await bed.run(execute()).catch((e: unknown) => e)) as NodeApiError;

			expect(error.message).toBe('Nexthink rejected NQL Execute (400): Parameter os is missing.');
		});

		it('a 406 says which Accept the endpoint does not serve', async () => {
			bed.sim.inject('nql.execute.v2', { type: 'status', status: 406 });

			const error = (await bed
				.run(execute({ options: { output: 'csvFile' } }))
				.catch((e: unknown) => e)) as NodeApiError;

			expect(error.httpCode).toBe('406');
			expect(error.message).toBe(
				'Nexthink does not serve NQL Execute as "text/csv" (406 Not Acceptable)',
			);
			expect(error.description).toContain('Accept: text/csv');
			expect(bed.requests('nql.execute.v2')).toHaveLength(1);
		});
	});

	describe('the Retry-After of a 429 that was not waited out is on the error', () => {
		it('NQL Execute: a Retry-After longer than the node waits', async () => {
			bed.sim.inject('nql.execute.v2', { type: 'rateLimit', retryAfter: 61 });

			const error = (await bed.run(execute()).catch((e: unknown) => e)) as NodeApiError;

			expect(error.httpCode).toBe('429');
			expect(error.context.retryAfterMs).toBe(61_000);
			expect(mayHaveBeenProcessed(error)).toBe(false);
			expect(bed.requests('nql.execute.v2')).toHaveLength(1);
		});

		it('Get Export Status: the milliseconds Nexthink asked for', async () => {
			const [started] = await bed.run({
				resource: 'nql',
				operation: 'export',
				queryId: '#all_devices',
				waitForCompletion: false,
			});
			bed.sim.inject('nql.status', { type: 'rateLimit', retryAfter: 3600 });

			const error = (await bed
				.run({
					resource: 'nql',
					operation: 'getExportStatus',
					exportId: String(started[0].json.exportId),
				})
				.catch((e: unknown) => e)) as NodeApiError;

			expect(error.httpCode).toBe('429');
			expect(error.context.retryAfterMs).toBe(3_600_000);
		});
	});
});
