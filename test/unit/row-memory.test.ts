import {
	compareWithMemory,
	keyRows,
	RECORD_CHARS,
	type CompareOptions,
	type RowMemory,
} from '../../nodes/NexthinkTrigger/rowMemory';

const options = (extra: Partial<CompareOptions> = {}): CompareOptions => ({
	changed: true,
	compareValues: true,
	returningAreNew: false,
	partial: false,
	maxKeys: 100,
	...extra,
});
const rows = (...entries: Array<[string, string]>) =>
	entries.map(([name, gb]) => ({ 'device.name': name, gb }));
const keyed = (...entries: Array<[string, string]>) =>
	keyRows(rows(...entries), ['device.name'], ['gb']);
/** The remembered keys, in order, as the names they stand for. */
const namesIn = (memory: RowMemory, names: string[]) => {
	const byKey = new Map(
		keyed(...names.map((n): [string, string] => [n, ''])).map((k, i) => [k.key, names[i]]),
	);
	const out: string[] = [];
	for (let at = 0; at < memory.records.length; at += RECORD_CHARS)
		out.push(byKey.get(memory.records.slice(at, at + 12)) ?? '?');
	return out;
};

describe('row memory: a compact fingerprint per key', () => {
	it('takes 20 ASCII characters per key, whatever the rows hold', () => {
		const long = 'x'.repeat(10_000);
		const first = compareWithMemory(undefined, keyed(['A', long], ['B', '1']), options());
		expect(first.next.records).toMatch(/^[A-Za-z0-9_-]{40}$/);
		expect(first.next.present).toBe(2);
		expect(first.changes.size).toBe(0); // the first poll records only
	});

	it('treats null, empty and the text of a number alike, so CSV and typed values compare equal', () => {
		const text = keyRows([{ k: '1', v: '', n: '12' }], ['k'], ['n', 'v']);
		const typed = keyRows([{ k: 1, v: null, n: 12 }], ['k'], ['n', 'v']);
		expect(typed).toEqual(text);
	});

	it('makes rows that share a key one key, whatever their order', () => {
		const [one] = keyed(['A', '1'], ['A', '2']);
		const [other] = keyed(['A', '2'], ['A', '1']);
		expect(one.rows).toEqual([0, 1]);
		expect(other.value).toBe(one.value);
	});

	it('keeps the last result first, then the keys gone, the most recently seen first, and forgets the oldest past maxKeys', () => {
		const names = ['A', 'B', 'C', 'D', 'E'];
		let memory = compareWithMemory(
			undefined,
			keyed(['A', '1'], ['B', '1'], ['C', '1']),
			options(),
		).next;
		memory = compareWithMemory(memory, keyed(['B', '1'], ['C', '1']), options()).next; // A gone
		memory = compareWithMemory(memory, keyed(['C', '1']), options()).next; // B gone
		expect(namesIn(memory, names)).toEqual(['C', 'B', 'A']);
		expect(memory.present).toBe(1);

		const full = compareWithMemory(memory, keyed(['C', '1'], ['D', '1']), options({ maxKeys: 3 }));
		expect(namesIn(full.next, names)).toEqual(['C', 'D', 'B']);
		expect(full.forgotten).toBe(1);
		expect([...full.changes.values()]).toEqual(['new']);
	});

	it('keeps the keys a partial result (a truncated export) lacks as present', () => {
		const memory = compareWithMemory(undefined, keyed(['A', '1'], ['B', '1']), options()).next;
		const partial = compareWithMemory(
			memory,
			keyed(['A', '1']),
			options({ partial: true, returningAreNew: true }),
		);
		expect(partial.next.present).toBe(2);
		const back = compareWithMemory(
			partial.next,
			keyed(['A', '1'], ['B', '1']),
			options({ returningAreNew: true }),
		);
		expect(back.changes.size).toBe(0);
	});
});
