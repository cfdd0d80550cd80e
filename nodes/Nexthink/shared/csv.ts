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

	const endField = (end: number) => {
		fields.push(quoted ? field : text.slice(fieldStart, end));
		field = '';
		quoted = false;
	};
	const endRecord = () => {
		// A blank line is no record (a trailing newline, or CRLF at the end of the file).
		if (!(fields.length === 1 && fields[0] === '')) onRow(fields, count++);
		fields = [];
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
