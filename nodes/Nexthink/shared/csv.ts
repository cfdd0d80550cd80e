/**
 * RFC 4180 CSV, as Nexthink writes NQL results: quoted fields may hold commas, quotes ("") and
 * line breaks; lines end in CRLF or LF; a UTF-8 byte order mark may lead. One pass over the
 * text, no regular expressions per field, so a million rows stay fast.
 */

const QUOTE = 34; // "
const COMMA = 44; // ,
const CR = 13;
const LF = 10;

/** Calls `onRow` for every record, header included; returns the number of records. */
export function forEachCsvRecord(
	text: string,
	onRow: (fields: string[], index: number) => void,
): number {
	let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	const length = text.length;
	let count = 0;
	let fields: string[] = [];
	let field = '';
	let fieldStart = position;
	let quoted = false;
	let inQuotes = false;

	/** The record holds a quoted field: `""` alone is an empty value, not a blank line. */
	let recordQuoted = false;
	/** Fields of the header (the first record). */
	let width = 0;

	const endField = (end: number) => {
		fields.push(quoted ? field : text.slice(fieldStart, end));
		if (quoted) recordQuoted = true;
		field = '';
		quoted = false;
	};
	const endRecord = () => {
		// A blank line is no record (a stray line break), except in a one-column file, where it
		// is an empty value: dropping it would drop a row.
		const blank = fields.length === 1 && fields[0] === '' && !recordQuoted;
		if (!blank || (count > 0 && width === 1)) {
			if (count === 0) width = fields.length;
			onRow(fields, count++);
		}
		fields = [];
		recordQuoted = false;
	};

	while (position < length) {
		const code = text.charCodeAt(position);
		if (inQuotes) {
			if (code === QUOTE) {
				if (text.charCodeAt(position + 1) === QUOTE) {
					field += '"';
					position += 2;
					continue;
				}
				inQuotes = false;
				position++;
				continue;
			}
			// Copy the run of ordinary characters at once.
			let next = text.indexOf('"', position);
			if (next === -1) next = length;
			field += text.slice(position, next);
			position = next;
			continue;
		}
		if (code === QUOTE && position === fieldStart) {
			inQuotes = true;
			quoted = true;
			position++;
			continue;
		}
		if (code === COMMA) {
			endField(position);
			position++;
			fieldStart = position;
			continue;
		}
		if (code === CR || code === LF) {
			endField(position);
			endRecord();
			position += code === CR && text.charCodeAt(position + 1) === LF ? 2 : 1;
			fieldStart = position;
			continue;
		}
		if (quoted) {
			// Text after a closing quote ("ab"c): keep it, as lenient parsers do.
			field += text[position];
		}
		position++;
	}
	if (position > fieldStart || fields.length > 0 || quoted) {
		endField(position);
		endRecord();
	}
	return count;
}

/** Parses CSV into objects keyed by the header row. Missing cells are empty strings. */
export function parseCsv(text: string): Array<Record<string, string>> {
	const rows: Array<Record<string, string>> = [];
	let header: string[] = [];
	forEachCsvRecord(text, (fields, index) => {
		if (index === 0) {
			header = fields;
			return;
		}
		const row: Record<string, string> = {};
		for (let column = 0; column < header.length; column++)
			row[header[column]] = fields[column] ?? '';
		for (let extra = header.length; extra < fields.length; extra++)
			row[`column_${extra + 1}`] = fields[extra];
		rows.push(row);
	});
	return rows;
}

/** Data rows of a CSV text (header excluded). */
export function countCsvRows(text: string): number {
	return Math.max(0, forEachCsvRecord(text, () => undefined) - 1);
}

/** A CSV cell as a number only when the number written back is the same text: `12`, `-3.5`, `0.25`. */
function isCanonicalNumber(text: string): boolean {
	if (text === '' || text.length > 22) return false;
	const value = Number(text);
	return Number.isFinite(value) && String(value) === text;
}

const isBooleanText = (text: string) => text === 'true' || text === 'false';

/**
 * NQL fields that hold identifiers or names whatever they look like (`device.name` "0012",
 * `user.uid`, `workflow.executions.request_id`, `…serial_number`, `…_hash_hex`): never converted.
 */
const IDENTIFIER_FIELD =
	/(?:^|[.#])(?:name|uid|id|sid|upn)$|_(?:name|uid|id|sid|upn|number|hex|hash)$/;

/**
 * Option "Convert Types" of export rows: CSV carries no types, so give a column the type NQL
 * Execute gives it only where the CSV leaves no doubt. Column by column, over all rows:
 * - every non-empty cell is `true` or `false` → booleans;
 * - every non-empty cell is a number written the way JSON writes it (no leading zeros, no `+`,
 *   no exponent, no trailing zeros: `String(Number(text)) === text`) → numbers;
 * - in such a column an empty cell becomes null (a number or boolean field without a value);
 * - anything else stays text, empty cells included: a column of names or identifiers (by its NQL
 *   field name, see IDENTIFIER_FIELD), one mixing `12` and `12a`, one with `0012`, dates.
 * Converts the rows in place and returns them.
 */
export function convertCsvTypes(
	rows: Array<Record<string, string>>,
): Array<Record<string, string | number | boolean | null>> {
	const typed = rows as Array<Record<string, string | number | boolean | null>>;
	if (rows.length === 0) return typed;
	const columns = new Set<string>();
	for (const row of rows) for (const column of Object.keys(row)) columns.add(column);
	for (const column of columns) {
		const field = column.toLowerCase();
		if (IDENTIFIER_FIELD.test(field)) continue;
		let numbers = true;
		let booleans = true;
		let filled = 0;
		for (const row of rows) {
			const cell = row[column];
			if (cell === undefined || cell === '') continue;
			filled++;
			if (numbers && !isCanonicalNumber(cell)) numbers = false;
			if (booleans && !isBooleanText(cell)) booleans = false;
			if (!numbers && !booleans) break;
		}
		if (filled === 0 || (!numbers && !booleans)) continue;
		for (const row of typed) {
			const cell = row[column];
			if (cell === undefined) continue;
			row[column] = cell === '' ? null : numbers ? Number(cell) : cell === 'true';
		}
	}
	return typed;
}
