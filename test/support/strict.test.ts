/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: runs jest in a child process (through the e2e tooling's spawner), never runs inside n8n */
/**
 * The suite's contract check (strict.ts, installed by jest.config.js) proven end to end: jest runs
 * fixtures/strict-check.fixture.ts with the project's own configuration, and the outcome of each
 * of its tests is what the check promises.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { spawnProcess } from '../e2e/n8n/child-process';

interface Report {
	testResults: Array<{
		message: string;
		assertionResults: Array<{ title: string; status: string; failureMessages: string[] }>;
	}>;
}

const root = join(__dirname, '..', '..');

function runFixture(): Promise<Report> {
	const dir = mkdtempSync(join(tmpdir(), 'strict-check-'));
	const output = join(dir, 'report.json');
	return new Promise<Report>((resolve, reject) => {
		const child = spawnProcess(
			process.execPath,
			[
				require.resolve('jest/bin/jest'),
				'--config',
				join(root, 'jest.config.js'),
				'--rootDir',
				root,
				'--testMatch',
				'**/test/support/fixtures/strict-check.fixture.ts',
				'--json',
				'--outputFile',
				output,
			],
			{ cwd: root, stdio: 'ignore' },
		);
		child.once('error', reject);
		child.once('exit', () => {
			try {
				resolve(JSON.parse(readFileSync(output, 'utf8')) as Report);
			} catch (error) {
				reject(error as Error);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		});
	});
}

describe("the suite's contract check", () => {
	let results: Record<string, { status: string; failure: string }>;

	beforeAll(async () => {
		const report = await runFixture();
		results = Object.fromEntries(
			report.testResults.flatMap((file) =>
				file.assertionResults.map((test) => [
					test.title,
					{ status: test.status, failure: test.failureMessages.join('\n') },
				]),
			),
		);
	}, 120_000);

	it('fails a test during which the simulator rejected a request, naming it and the reason', () => {
		expect(results['an unexpected rejection'].status).toBe('failed');
		expect(results['an unexpected rejection'].failure).toContain(
			"POST /api/v2/nql/execute → 400: queryId 'not a query id' is invalid",
		);
		expect(results['an unexpected rejection'].failure).toContain('expectSimulatorRejections()');
	});

	it('lets a test that expects the rejection pass, and fails one whose expected rejection never came', () => {
		expect(results['an expected rejection'].status).toBe('passed');
		expect(results['an expected rejection that does not come']).toEqual({
			status: 'failed',
			failure: expect.stringContaining('the simulator rejected no request'),
		});
	});

	it('does not count a business answer (an unknown query, 404) as a rejection', () => {
		expect(results['a business answer'].status).toBe('passed');
	});
});
