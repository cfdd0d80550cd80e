/** RFC 4180 CSV: comma separated, CRLF line ends, fields quoted when they hold `,` `"` CR or LF. */
import { formatTimestamp, NqlTime } from './time';

export type Cell = string | number | boolean | null | NqlTime;

/** A cell as JSON (datetimes rendered in the answer's time zone). */
export function jsonCell(cell: Cell, utc: boolean): string | number | boolean | null {
	return cell instanceof NqlTime ? formatTimestamp(cell.ms, utc) : cell;
}

export function csvField(cell: Cell, utc: boolean): string {
	if (cell === null) return '';
	const text = cell instanceof NqlTime ? formatTimestamp(cell.ms, utc) : String(cell);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[], utc: boolean): string {
	return cells.map((c) => csvField(c, utc)).join(',') + '\r\n';
}

/** The whole CSV as a string (small answers: the execute API's 1,000 rows at most). */
export function toCsv(
	columns: readonly string[],
	rows: Iterable<readonly Cell[]>,
	utc: boolean,
): string {
	let out = csvLine(columns, utc);
	for (const row of rows) out += csvLine(row, utc);
	return out;
}

/** The CSV in chunks of about `chunkBytes`, generated lazily: a million rows never sit in memory. */
export function* csvChunks(
	columns: readonly string[],
	rows: Iterable<readonly Cell[]>,
	utc: boolean,
	bom: boolean,
	chunkBytes = 64 * 1024,
): Generator<Buffer> {
	let pending = (bom ? '\uFEFF' : '') + csvLine(columns, utc);
	for (const row of rows) {
		pending += csvLine(row, utc);
		if (pending.length >= chunkBytes / 2) {
			yield Buffer.from(pending, 'utf8');
			pending = '';
		}
	}
	if (pending.length > 0) yield Buffer.from(pending, 'utf8');
}
