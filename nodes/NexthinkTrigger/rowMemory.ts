/**
 * What the New or Changed Rows event remembers between polls, and the comparison of a result
 * with it. Pure functions: no n8n, no HTTP.
 *
 * The memory is one string of fixed-width records, one per key: 12 characters of a SHA-256 of
 * the key columns' values, then 8 of a SHA-256 of the other columns' values (base64url). So a
 * key costs 20 bytes of the workflow's static data whatever its rows hold, and the memory of
 * `maxKeys` keys is at most `maxKeys × 20` bytes (200 KB at the default 10,000 keys, 2 MB at
 * the most, 100,000). Two keys share a record by chance with a probability of about
 * n² / 2⁷³ (10⁻¹² for 100,000 keys); a change goes unnoticed with a probability of 2⁻⁴⁸.
 *
 * Record order: the keys of the last result first (`present` of them), then the keys that have
 * left the results, the most recently seen first. Past `maxKeys`, the keys gone longest are
 * forgotten first.
 */
import { createHash } from 'crypto';

const KEY_CHARS = 12;
const VALUE_CHARS = 8;
/** Characters (bytes: base64url is ASCII) of one remembered key. */
export const RECORD_CHARS = KEY_CHARS + VALUE_CHARS;

/** Options > Max Remembered Keys unless set, and the most it may be. */
export const DEFAULT_MAX_KEYS = 10_000;
export const MAX_KEYS_LIMIT = 100_000;

export type Change = 'new' | 'changed';

/** The memory as the static data holds it. */
export interface RowMemory {
	records: string;
	/** How many of the records (from the start) are keys of the last result. */
	present: number;
}

/** One key of a result: its hashes and the rows that have it (indexes, in result order). */
export interface KeyedRows {
	key: string;
	value: string;
	rows: number[];
}

const digest = (text: string, chars: number) =>
	createHash('sha256').update(text).digest('base64url').slice(0, chars);

/** A cell as text, whichever way it came (CSV text, or typed): null and empty are the same. */
function cellText(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value as string | number | boolean);
}

/**
 * Groups the rows by the values of `keyColumns` (rows that share them are one key) and
 * fingerprints the values of `valueColumns` of each key's rows.
 */
export function keyRows(
	rows: ReadonlyArray<Record<string, unknown>>,
	keyColumns: readonly string[],
	valueColumns: readonly string[],
): KeyedRows[] {
	const byKey = new Map<string, { rows: number[]; values: string[] }>();
	for (let index = 0; index < rows.length; index++) {
		const row = rows[index];
		const key = digest(JSON.stringify(keyColumns.map((c) => cellText(row[c]))), KEY_CHARS);
		const values = JSON.stringify(valueColumns.map((c) => cellText(row[c])));
		const entry = byKey.get(key);
		if (entry) {
			entry.rows.push(index);
			entry.values.push(values);
		} else byKey.set(key, { rows: [index], values: [values] });
	}
	const keyed: KeyedRows[] = [];
	for (const [key, entry] of byKey) {
		const values =
			entry.values.length === 1 ? entry.values[0] : JSON.stringify(entry.values.sort());
		keyed.push({ key, value: digest(values, VALUE_CHARS), rows: entry.rows });
	}
	return keyed;
}

export interface CompareOptions {
	/** Emit rows of known keys whose values changed (Emit: New or Changed Rows). */
	changed: boolean;
	/**
	 * The fingerprints compare (false when the columns they cover changed since the last poll:
	 * that poll emits new keys only and fingerprints afresh).
	 */
	compareValues: boolean;
	/** A key that left the results and comes back counts as new (and is forgotten when it leaves). */
	returningAreNew: boolean;
	/** The result may miss rows (a truncated export): absent keys are kept as present. */
	partial: boolean;
	maxKeys: number;
}

export interface Comparison {
	/** The change of each row that is to be emitted, by row index. */
	changes: Map<number, Change>;
	newKeys: number;
	changedKeys: number;
	next: RowMemory;
	/** Keys gone from the results that did not fit `maxKeys` and were forgotten. */
	forgotten: number;
}

/** The remembered records, by key: their fingerprint and whether they were in the last result. */
function recall(memory: RowMemory): Map<string, { value: string; present: boolean }> {
	const known = new Map<string, { value: string; present: boolean }>();
	const { records } = memory;
	const count = Math.floor(records.length / RECORD_CHARS);
	for (let index = 0; index < count; index++) {
		const at = index * RECORD_CHARS;
		known.set(records.slice(at, at + KEY_CHARS), {
			value: records.slice(at + KEY_CHARS, at + RECORD_CHARS),
			present: index < memory.present,
		});
	}
	return known;
}

/**
 * The result compared with the memory (`undefined`: nothing remembered, the first poll: every key
 * is recorded, none emitted), and the memory that follows. The caller has checked that the
 * result has at most `maxKeys` keys.
 */
export function compareWithMemory(
	memory: RowMemory | undefined,
	current: readonly KeyedRows[],
	options: CompareOptions,
): Comparison {
	const known = memory ? recall(memory) : undefined;
	const changes = new Map<number, Change>();
	let newKeys = 0;
	let changedKeys = 0;
	const parts: string[] = [];
	const seen = new Set<string>();
	for (const entry of current) {
		seen.add(entry.key);
		parts.push(entry.key + entry.value);
		if (!known) continue;
		const before = known.get(entry.key);
		let change: Change | undefined;
		if (!before || (!before.present && options.returningAreNew)) change = 'new';
		else if (options.changed && options.compareValues && before.value !== entry.value)
			change = 'changed';
		if (!change) continue;
		if (change === 'new') newKeys++;
		else changedKeys++;
		for (const row of entry.rows) changes.set(row, change);
	}
	let present = parts.length;
	const gone: string[] = [];
	if (memory && known) {
		const { records } = memory;
		for (let at = 0; at + RECORD_CHARS <= records.length; at += RECORD_CHARS) {
			const key = records.slice(at, at + KEY_CHARS);
			if (seen.has(key)) continue;
			const { present: wasPresent } = known.get(key)!;
			const record = records.slice(at, at + RECORD_CHARS);
			if (options.partial && wasPresent) {
				// Perhaps only cut from this result: still present.
				parts.push(record);
				present++;
			} else if (!options.returningAreNew) gone.push(record);
		}
	}
	const room = Math.max(0, options.maxKeys - parts.length);
	const forgotten = Math.max(0, gone.length - room) + Math.max(0, parts.length - options.maxKeys);
	return {
		changes,
		newKeys,
		changedKeys,
		next: {
			records: parts.slice(0, options.maxKeys).join('') + gone.slice(0, room).join(''),
			present: Math.min(present, options.maxKeys),
		},
		forgotten,
	};
}
