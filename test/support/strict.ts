/**
 * The suite's contract check: no test may make the node send a request the simulator rejects as
 * breaking the Nexthink contract (a required field missing, a value off its pattern or bounds, an
 * unknown field, a path the API does not have…), unless the test says it expects one.
 *
 * How it works: jest runs `installStrictCheck()` before every test file (jest.config.js,
 * `setupFilesAfterEnv`). From then on every simulator started in the file is watched; after each
 * test, the rejections the watched simulators added during it (and the hooks before it) fail the
 * test, with the request and the reason. Rejections made outside any test fail the file's afterAll.
 *
 * Opting out, always explicitly:
 * - `expectSimulatorRejections()` (or `bed.expectRejections()`) inside a test: that test sends bad
 *   requests on purpose; it then fails if the simulator rejected none.
 * - `allowSimulatorRejections(reason)` at the top of a file: the whole file sends bad requests on
 *   purpose (the simulator's own tests).
 */
import { onSimulatorStart, type NexthinkSimulator, type StrictRejection } from '../simulator';

interface Watched {
	sim: NexthinkSimulator;
	/** Rejections already accounted for. */
	seen: number;
}

const watched: Watched[] = [];
let fileAllowance: string | undefined;
let expectedInTest = false;

/** The whole test file sends requests the simulator rejects on purpose (say why). */
export function allowSimulatorRejections(reason: string): void {
	if (!reason.trim()) throw new Error('allowSimulatorRejections needs the reason');
	fileAllowance = reason;
}

/** The running test sends requests the simulator rejects on purpose; it fails if none is rejected. */
export function expectSimulatorRejections(): void {
	expectedInTest = true;
}

function takeFresh(): StrictRejection[] {
	const fresh: StrictRejection[] = [];
	for (const entry of watched) {
		fresh.push(...entry.sim.rejections.slice(entry.seen));
		entry.seen = entry.sim.rejections.length;
	}
	return fresh;
}

const line = (r: StrictRejection) =>
	`  ${r.method} ${r.path} → ${r.status}${r.code ? ` ${r.code}` : ''}: ${r.reason}`;

function failure(fresh: StrictRejection[], when: string): Error {
	return new Error(
		`The simulator rejected ${fresh.length} request(s) as breaking the Nexthink contract ${when}:\n${fresh.map(line).join('\n')}\n` +
			'Fix the request the node builds; a test that sends bad requests on purpose calls expectSimulatorRejections() (bed.expectRejections()).',
	);
}

let installed = false;

export function installStrictCheck(): void {
	if (installed) return;
	installed = true;
	onSimulatorStart((sim) => watched.push({ sim, seen: sim.rejections.length }));
	afterEach(() => {
		const fresh = takeFresh();
		const expected = expectedInTest;
		expectedInTest = false;
		if (fileAllowance !== undefined) return;
		if (expected) {
			if (fresh.length === 0)
				throw new Error(
					'The test called expectSimulatorRejections(), but the simulator rejected no request.',
				);
			return;
		}
		if (fresh.length > 0) throw failure(fresh, 'during this test (or the hooks before it)');
	});
	afterAll(() => {
		const fresh = takeFresh();
		watched.length = 0;
		if (fileAllowance === undefined && fresh.length > 0)
			throw failure(fresh, "outside any test (in the file's beforeAll or afterAll)");
	});
}
