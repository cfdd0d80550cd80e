/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test: node:zlib makes a gzip file to check the node decodes it without zlib */
import { gzipSync } from 'node:zlib';

import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { exportText, LARGE_RESULT_ROWS } from '../../nodes/Nexthink/shared/exportOutput';
import { getBinaryBuffer } from '../harness';
import { nexthinkTestbed, type NexthinkTestbed } from '../support/nexthink';

const exportParams = (extra: Record<string, unknown> = {}) => ({
	resource: 'nql',
	operation: 'export',
	queryId: '#all_devices',
	...extra,
});
const fast = { pollIntervalSeconds: 1 };

/** Node 20 has no zstd in DecompressionStream; newer runtimes may. */
function runtimeDecodesZstd(): boolean {
	try {
		new DecompressionStream('zstd' as ConstructorParameters<typeof DecompressionStream>[0]);
		return true;
	} catch {
		return false;
	}
}

describe('NQL exports', () => {
	let bed: NexthinkTestbed;

	beforeAll(async () => {
		bed = await nexthinkTestbed({ exportTimings: { submittedMs: 300, inProgressMs: 300 } });
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => bed.reset());

	describe('Export', () => {
		it('returns the export ID at once with Wait for Completion off', async () => {
			const [out] = await bed.run(
				exportParams({
					parameters: { parameter: [] },
					compression: 'GZIP',
					waitForCompletion: false,
				}),
			);

			expect(bed.requests('nql.export')[0].body).toEqual({
				queryId: '#all_devices',
				compression: 'GZIP',
			});
			expect(bed.requests('nql.status')).toHaveLength(0);
			expect(out[0].json).toMatchObject({ queryId: '#all_devices', status: 'SUBMITTED' });
			expect(out[0].json.exportId).toEqual(expect.any(String));
		});

		it('waits for completion and returns the status with the results link', async () => {
			const [out] = await bed.run(
				exportParams({ waitForCompletion: true, output: 'status', options: fast }),
			);

			expect(bed.requests('nql.status').length).toBeGreaterThanOrEqual(2);
			expect(out[0].json).toMatchObject({
				status: 'COMPLETED',
				truncated: false,
				queryId: '#all_devices',
			});
			expect(String(out[0].json.resultsFileUrl)).toContain(bed.sim.filesBaseUrl);
			// The opaque ID holds "/", "+" and "=": it must be path-escaped.
			expect(bed.requests('nql.status')[0].path).toContain(
				encodeURIComponent(String(out[0].json.exportId)),
			);
		});

		it('waits and returns the rows, parsed from a gzip file', async () => {
			bed.sim.setQueryRows('#all_devices', 3000);
			const [out] = await bed.run(
				exportParams({
					compression: 'GZIP',
					waitForCompletion: true,
					output: 'rows',
					options: fast,
				}),
			);

			expect(out).toHaveLength(3000);
			expect(Object.keys(out[0].json)).toContain('device.collector.uid');
			expect(out[2999].pairedItem).toEqual({ item: 0 });
			const download = bed.requests('nql.download')[0];
			expect(download.headers.authorization).toBeUndefined();
		});

		it('gives up waiting at the time-out and says how to follow the export', async () => {
			const slow = await nexthinkTestbed({
				exportTimings: { submittedMs: 600_000, inProgressMs: 0 },
			});
			try {
				const started = Date.now();
				// Time-out in minutes has a floor of 1: shorten the wait with a fractional value.
				const error = (await slow
					.run(
						exportParams({
							waitForCompletion: true,
							options: { pollIntervalSeconds: 1, timeoutMinutes: 0.03 },
						}),
					)
					.catch((e: unknown) => e)) as NodeApiError;
				expect(error).toBeInstanceOf(NodeApiError);
				expect(error.message).toMatch(/did not complete within 2 s \(last status SUBMITTED\)/);
				expect(error.description).toContain('Get Export Status');
				expect(Date.now() - started).toBeLessThan(10_000);
			} finally {
				await slow.close();
			}
		});

		it('stops waiting at once when the execution is cancelled, and asks for no further status', async () => {
			const slow = await nexthinkTestbed({
				exportTimings: { submittedMs: 600_000, inProgressMs: 0 },
			});
			try {
				const controller = new AbortController();
				const running = slow.run(
					exportParams({
						waitForCompletion: true,
						output: 'status',
						options: { pollIntervalSeconds: 300 },
					}),
					undefined,
					{ signal: controller.signal },
				);
				const settled = running.then(
					() => 'resolved',
					() => Date.now(),
				);
				await sleep(300);
				while (slow.requests('nql.status').length === 0) await sleep(10);
				const abortedAt = Date.now();
				controller.abort();

				const rejectedAt = await Promise.race([settled, sleep(2000).then(() => 'still waiting')]);
				expect(typeof rejectedAt).toBe('number');
				expect((rejectedAt as number) - abortedAt).toBeLessThan(1000);
				await expect(running).rejects.toThrow(/cancel/i);
				await sleep(300);
				expect(slow.requests('nql.status')).toHaveLength(1); // the check it waited after
			} finally {
				await slow.close();
			}
		});

		it('a result of 100,000 rows or more as items says what it costs and points to Output: File', async () => {
			const largeHint = () => bed.hints.find((hint) => /rows as items/.test(hint.message));
			bed.sim.setQueryRows('#all_devices', LARGE_RESULT_ROWS - 1);
			const [below] = await bed.run(
				exportParams({ waitForCompletion: true, output: 'rows', options: fast }),
			);
			expect(below).toHaveLength(LARGE_RESULT_ROWS - 1);
			expect(largeHint()).toBeUndefined();

			bed.sim.setQueryRows('#all_devices', LARGE_RESULT_ROWS);
			const [large] = await bed.run(
				exportParams({ waitForCompletion: true, output: 'rows', options: fast }),
			);
			expect(large).toHaveLength(LARGE_RESULT_ROWS);
			expect(largeHint()).toMatchObject({ location: 'outputPane' });
			expect(largeHint()?.message).toMatch(/^100,000 rows as items: .*set Output to File/);
		}, 60_000);

		describe('truncated by the licence (206): never silent', () => {
			const truncatedExport = async (output: string) => {
				// Every status call of this export answers 206.
				bed.sim.inject('nql.status', { type: 'truncated' }, 50);
				const [out] = await bed.run(
					exportParams({ waitForCompletion: true, output, options: fast }),
				);
				return out;
			};
			const hintOf = () => bed.hints.find((hint) => /is truncated/.test(hint.message));

			it('rows: each row item says truncated: true, with an execution hint', async () => {
				bed.sim.setQueryRows('#all_devices', 50);
				const out = await truncatedExport('rows');
				expect(out).toHaveLength(50);
				for (const row of out) expect(row.json.truncated).toBe(true);
				expect(Object.keys(out[0].json)).toContain('device.collector.uid');
				expect(hintOf()).toMatchObject({ type: 'warning', location: 'outputPane' });
				const exportId = decodeURIComponent(bed.requests('nql.status')[0].path.split('/').pop()!);
				expect(hintOf()?.message).toContain(`Export ${exportId} is truncated`);
			});

			it('file: the item says truncated: true, with an execution hint', async () => {
				const [item] = await truncatedExport('file');
				expect(item.json).toMatchObject({ truncated: true, queryId: '#all_devices' });
				expect(item.binary?.data.mimeType).toBe('text/csv');
				expect(hintOf()).toBeDefined();
			});

			it('status: truncated: true, with an execution hint', async () => {
				const [item] = await truncatedExport('status');
				expect(item.json).toMatchObject({ status: 'COMPLETED', truncated: true });
				expect(hintOf()).toBeDefined();
			});

			it('a complete export adds neither flag nor hint to its rows', async () => {
				bed.sim.setQueryRows('#all_devices', 20);
				const [out] = await bed.run(
					exportParams({ waitForCompletion: true, output: 'rows', options: fast }),
				);
				expect(out).toHaveLength(20);
				for (const row of out) expect(row.json).not.toHaveProperty('truncated');
				expect(hintOf()).toBeUndefined();
			});
		});

		it("surfaces an export in ERROR with Nexthink's description", async () => {
			bed.sim.inject('nql.export', {
				type: 'exportError',
				description: 'Query execution failed: timeout',
			});
			const error = (await bed
				.run(exportParams({ waitForCompletion: true, output: 'status', options: fast }))
				.catch((e: unknown) => e)) as NodeApiError;

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(
				'The NQL export failed in Nexthink: Query execution failed: timeout',
			);
		});

		it('returns a zstd export as a file, with a hint, where the runtime cannot decode zstd', async () => {
			const [out] = await bed.run(
				exportParams({
					compression: 'ZSTD',
					waitForCompletion: true,
					output: 'rows',
					options: fast,
				}),
			);
			if (runtimeDecodesZstd()) {
				expect(out.length).toBeGreaterThan(1);
			} else {
				expect(out).toHaveLength(1);
				expect(out[0].json.compression).toBe('ZSTD');
				expect(out[0].binary?.data.mimeType).toBe('application/zstd');
				expect(bed.hints[0].message).toMatch(/cannot decompress ZSTD/);
			}
		});
	});

	describe('Get Export Status', () => {
		it('reports status, link and truncation (206)', async () => {
			const [started] = await bed.run(exportParams({ waitForCompletion: false }));
			const exportId = String(started[0].json.exportId);
			const [early] = await bed.run({ resource: 'nql', operation: 'getExportStatus', exportId });
			expect(early[0].json).toMatchObject({ exportId, completed: false, resultsFileUrl: null });

			await sleep(700);
			bed.sim.inject('nql.status', { type: 'truncated' });
			const [done] = await bed.run({ resource: 'nql', operation: 'getExportStatus', exportId });
			expect(done[0].json).toMatchObject({ status: 'COMPLETED', completed: true, truncated: true });
			expect(bed.hints.map((hint) => hint.message)).toEqual([
				expect.stringContaining(`Export ${exportId} is truncated`),
			]);
		});

		it.each([['.'], ['..'], ['...'], ['  ..  '], ['   ']])(
			'refuses the export ID %j before any request, naming the field',
			async (exportId) => {
				for (const operation of ['getExportStatus', 'downloadExport']) {
					const error = (await bed
						.run({ resource: 'nql', operation, exportId })
						.catch((e: unknown) => e)) as NodeOperationError;
					expect(error).toBeInstanceOf(NodeOperationError);
					expect(error.message).toMatch(/^Export ID: /);
				}
				expect(bed.sim.log).toHaveLength(0);
			},
		);

		it('quotes a long export ID shortened', async () => {
			const error = (await bed
				.run({ resource: 'nql', operation: 'getExportStatus', exportId: '.'.repeat(5000) })
				.catch((e: unknown) => e)) as NodeOperationError;
			expect(error.message).toMatch(
				/^Export ID: "\.+\.\.\. \(5,000 characters\)" is not an export ID$/,
			);
			expect(error.message.length).toBeLessThan(150);
		});

		it('waits out a 429 from the status endpoint, Retry-After as an HTTP date', async () => {
			const [started] = await bed.run(exportParams({ waitForCompletion: false }));
			bed.sim.inject('nql.status', { type: 'rateLimit', retryAfterDate: true, seconds: 1 });
			const [out] = await bed.run({
				resource: 'nql',
				operation: 'getExportStatus',
				exportId: String(started[0].json.exportId),
			});

			expect(bed.requests('nql.status').map((r) => r.status)).toEqual([429, 200]);
			expect(out[0].json.status).toEqual(expect.any(String));
		});

		it('names an unknown export', async () => {
			const error = (await bed
				.run({ resource: 'nql', operation: 'getExportStatus', exportId: 'bm8tc3VjaC1leHBvcnQ=' })
				.catch((e: unknown) => e)) as NodeApiError;
			expect(error.httpCode).toBe('404');
			expect(error.description).toContain('bm8tc3VjaC1leHBvcnQ=');
		});
	});

	describe('Download Export', () => {
		const completedExport = async (compression = 'NONE') => {
			const [out] = await bed.run(
				exportParams({ compression, waitForCompletion: true, output: 'status', options: fast }),
			);
			return out[0].json as { exportId: string; resultsFileUrl: string };
		};

		it('downloads by export ID as rows, never sending the Nexthink token to the file host', async () => {
			bed.sim.setQueryRows('#all_devices', 1200);
			const { exportId } = await completedExport();
			const before = bed.sim.log.length;

			const [rows] = await bed.run({ resource: 'nql', operation: 'downloadExport', exportId });

			expect(rows).toHaveLength(1200);
			const downloads = bed.sim.log
				.slice(before)
				.filter((entry) => entry.endpoint === 'nql.download');
			expect(downloads).toHaveLength(1);
			expect(downloads[0].host).toBe('files');
			expect(downloads[0].headers.authorization).toBeUndefined();
			expect(downloads[0].status).toBe(200);
		});

		it('by export ID, marks a truncated export (206): rows and file say truncated: true, with a hint', async () => {
			bed.sim.setQueryRows('#all_devices', 30);
			const { exportId } = await completedExport();
			bed.sim.inject('nql.status', { type: 'truncated' }, 2);

			const [rows] = await bed.run({ resource: 'nql', operation: 'downloadExport', exportId });
			expect(rows).toHaveLength(30);
			for (const row of rows) expect(row.json.truncated).toBe(true);
			const [file] = await bed.run({
				resource: 'nql',
				operation: 'downloadExport',
				exportId,
				output: 'file',
			});
			expect(file[0].json).toMatchObject({ exportId, truncated: true });

			const truncationHints = bed.hints.filter((hint) => /is truncated/.test(hint.message));
			expect(truncationHints).toHaveLength(2);
			expect(truncationHints[0]).toMatchObject({ type: 'warning' });

			// Not truncated: the rows are the CSV's, the file says truncated: false.
			const [clean] = await bed.run({ resource: 'nql', operation: 'downloadExport', exportId });
			for (const row of clean) expect(row.json).not.toHaveProperty('truncated');
			const [cleanFile] = await bed.run({
				resource: 'nql',
				operation: 'downloadExport',
				exportId,
				output: 'file',
			});
			expect(cleanFile[0].json).toMatchObject({ exportId, truncated: false });
			expect(bed.hints.filter((hint) => /is truncated/.test(hint.message))).toHaveLength(2);
		});

		it('downloads a link as a file', async () => {
			const { resultsFileUrl } = await completedExport('GZIP');
			const [out] = await bed.run({
				resource: 'nql',
				operation: 'downloadExport',
				source: 'resultsFileUrl',
				resultsFileUrl,
				output: 'file',
				binaryPropertyName: 'export',
			});

			expect(out[0].binary?.export.mimeType).toBe('application/gzip');
			const text = await exportText(await getBinaryBuffer(out[0], 'export'));
			expect(text?.split('\r\n')[0]).toContain('device.name');
		});

		it('parses the CSV edge cases: quotes, commas, line breaks, empty values, non-ASCII', async () => {
			const [started] = await bed.run({
				resource: 'nql',
				operation: 'export',
				queryId: '#csv_edge_cases',
				waitForCompletion: true,
				output: 'status',
				options: fast,
			});
			const [rows] = await bed.run({
				resource: 'nql',
				operation: 'downloadExport',
				exportId: String(started[0].json.exportId),
			});
			const [executed] = await bed.run({
				resource: 'nql',
				operation: 'execute',
				queryId: '#csv_edge_cases',
			});

			expect(rows).toHaveLength(executed.length);
			const values = rows.map((row) => Object.values(row.json)).flat();
			expect(values).toEqual(
				expect.arrayContaining([
					'Zürich',
					'value, with a comma',
					'He said "hello"',
					'line one\nline two',
					'',
				]),
			);
		});

		it('says an expired link has expired, and what to do', async () => {
			const short = await nexthinkTestbed({
				exportTimings: { submittedMs: 0, inProgressMs: 0 },
				presignedTtlSeconds: 1,
			});
			try {
				const [out] = await short.run(
					exportParams({ waitForCompletion: true, output: 'status', options: fast }),
				);
				await sleep(1100);
				const error = (await short
					.run({
						resource: 'nql',
						operation: 'downloadExport',
						source: 'resultsFileUrl',
						resultsFileUrl: String(out[0].json.resultsFileUrl),
					})
					.catch((e: unknown) => e)) as NodeApiError;

				expect(error).toBeInstanceOf(NodeApiError);
				expect(error.message).toBe('The export results link has expired');
				expect(error.description).toContain('Get Export Status');

				// By export ID, the node asks for a fresh link itself.
				const [rows] = await short.run({
					resource: 'nql',
					operation: 'downloadExport',
					exportId: String(out[0].json.exportId),
				});
				expect(rows.length).toBeGreaterThan(0);
			} finally {
				await short.close();
			}
		});

		it('refuses a download before the export has completed', async () => {
			const [started] = await bed.run(exportParams({ waitForCompletion: false }));
			const error = (await bed
				.run({
					resource: 'nql',
					operation: 'downloadExport',
					exportId: String(started[0].json.exportId),
				})
				.catch((e: unknown) => e)) as NodeApiError;
			expect(error.message).toMatch(/has not completed yet \(status SUBMITTED\)/);
			expect(bed.requests('nql.download')).toHaveLength(0);
		});

		it('downloads and parses a large export (100,000 rows)', async () => {
			bed.sim.setQueryRows('#all_devices', 100_000);
			const [out] = await bed.run(
				exportParams({
					compression: 'GZIP',
					waitForCompletion: true,
					output: 'rows',
					options: fast,
				}),
			);

			expect(out).toHaveLength(100_000);
			expect(out[99_999].json['device.name']).toEqual(expect.any(String));
		});
	});

	describe('Options > Convert Types (CSV carries no types)', () => {
		const typedExport = (extra: Record<string, unknown> = {}) =>
			exportParams({
				queryId: '#typed_values',
				waitForCompletion: true,
				output: 'rows',
				options: { ...fast, ...extra },
			});

		it('off by default: every value is the text of the CSV, as before', async () => {
			const [rows] = await bed.run(typedExport());

			expect(rows).toHaveLength(4);
			for (const row of rows)
				for (const value of Object.values(row.json)) expect(typeof value).toBe('string');
			expect(rows[0].json).toMatchObject({
				'device.hardware.memory': '16',
				'device.is_virtual': 'true',
			});
			expect(rows[2].json['device.hardware.memory']).toBe('');
		});

		it('on: the rows NQL Execute gives, where a whole column leaves no doubt; codes like 0012 stay text', async () => {
			const [typed] = await bed.run(typedExport({ convertTypes: true }));
			const [executed] = await bed.run({
				resource: 'nql',
				operation: 'execute',
				queryId: '#typed_values',
			});

			expect(typed.map((row) => row.json['device.name'])).toEqual(['0012', '1013', '2014', '3015']);
			expect(typed.map((row) => row.json['device.#asset_code'])).toEqual([
				'0012',
				'0100',
				'0007',
				'0420',
			]);
			expect(typed.map((row) => row.json['device.hardware.memory'])).toEqual([16, 8, null, 32]);
			expect(typed.map((row) => row.json['device.cpu.usage_ratio'])).toEqual([0.25, 1.5, -0.75, 0]);
			expect(typed.map((row) => row.json['device.is_virtual'])).toEqual([true, false, true, null]);
			// A column mixing text and numbers stays text, in every row.
			expect(typed.map((row) => row.json['device.#os_build'])).toEqual([
				'10',
				'11',
				'10.0.22631',
				'12',
			]);
			expect(typed.map((row) => row.json['device.#ticket'])).toEqual(['INC1', '12', '', '']);

			// The same as Execute, but for what CSV cannot say: an empty text and a null text look alike.
			expect(executed.map((row) => row.json['device.#note'])).toEqual(['ok', null, '', 'late']);
			expect(typed.map((row) => row.json['device.#note'])).toEqual(['ok', '', '', 'late']);
			const withoutNote = (json: Record<string, unknown>) => ({ ...json, 'device.#note': '-' });
			expect(typed.map((row) => withoutNote(row.json))).toEqual(
				executed.map((row) => withoutNote(row.json)),
			);
		});

		it('applies to Download Export, and leaves a truncated mark alone', async () => {
			const [started] = await bed.run(
				exportParams({
					queryId: '#typed_values',
					waitForCompletion: true,
					output: 'status',
					options: fast,
				}),
			);
			const exportId = String(started[0].json.exportId);
			bed.sim.inject('nql.status', { type: 'truncated' });

			const [rows] = await bed.run({
				resource: 'nql',
				operation: 'downloadExport',
				exportId,
				options: { convertTypes: true },
			});

			expect(rows.map((row) => row.json['device.hardware.memory'])).toEqual([16, 8, null, 32]);
			expect(rows.every((row) => row.json.truncated === true)).toBe(true);
		});
	});

	it('decodes gzip with the runtime, without zlib in the node', async () => {
		expect(await exportText(gzipSync(Buffer.from('a,b\n1,2\n')))).toBe('a,b\n1,2\n');
	});
});
