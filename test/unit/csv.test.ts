import { countCsvRows, forEachCsvRecord, parseCsv } from '../../nodes/Nexthink/shared/csv';

describe('CSV', () => {
	it('parses quoted fields with commas, doubled quotes, line breaks and empty values', () => {
		const text =
			'device.name,note,empty\r\n"A, B","He said ""hi""",\r\n"multi\nline","x\r\ny",""\r\nplain,,last\r\n';
		expect(parseCsv(text)).toEqual([
			{ 'device.name': 'A, B', note: 'He said "hi"', empty: '' },
			{ 'device.name': 'multi\nline', note: 'x\r\ny', empty: '' },
			{ 'device.name': 'plain', note: '', empty: 'last' },
		]);
	});

	it('drops a UTF-8 byte order mark so the first column keeps its name', () => {
		expect(parseCsv('\uFEFFdevice.name,city\nLAPTOP-1,Zürich\n')).toEqual([
			{ 'device.name': 'LAPTOP-1', city: 'Zürich' },
		]);
	});

	it('reads a last line without a line break, LF-only files and non-ASCII', () => {
		expect(parseCsv('a,b\n1,日本\n2,"東京, 3"')).toEqual([
			{ a: '1', b: '日本' },
			{ a: '2', b: '東京, 3' },
		]);
	});

	it('keeps cells beyond the header and fills missing ones', () => {
		expect(parseCsv('a,b\n1\n1,2,3\n')).toEqual([
			{ a: '1', b: '' },
			{ a: '1', b: '2', column_3: '3' },
		]);
	});

	it('counts records, not lines', () => {
		expect(countCsvRows('a\n"x\ny"\n"z"\n')).toBe(2);
		expect(countCsvRows('a\n')).toBe(0);
		expect(countCsvRows('')).toBe(0);
	});

	it('reports a quoted empty last field as a field', () => {
		const records: string[][] = [];
		forEachCsvRecord('a,""', (fields) => records.push(fields));
		expect(records).toEqual([['a', '']]);
	});
});
