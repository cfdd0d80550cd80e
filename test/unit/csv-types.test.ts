import { convertCsvTypes, parseCsv } from '../../nodes/Nexthink/shared/csv';

const column = (csv: string, name: string) =>
	convertCsvTypes(parseCsv(csv)).map((row) => row[name]);

describe('Convert Types: a CSV column typed only when the whole column leaves no doubt', () => {
	it.each([
		['plain numbers, empty as null', ['12', '-3.5', '0.25', '0', ''], [12, -3.5, 0.25, 0, null]],
		['booleans, empty as null', ['true', 'false', ''], [true, false, null]],
		['a leading zero keeps the column text', ['12', '0012'], ['12', '0012']],
		['so do +, exponents, trailing zeros', ['1', '+1', '1e3', '1.0'], ['1', '+1', '1e3', '1.0']],
		['and Infinity, NaN, -0', ['1', 'Infinity', 'NaN', '-0'], ['1', 'Infinity', 'NaN', '-0']],
		['and an integer past 2^53', ['1', '12345678901234567890'], ['1', '12345678901234567890']],
		['and booleans mixed with numbers', ['true', '1'], ['true', '1']],
		['and True (not NQL’s true)', ['true', 'True'], ['true', 'True']],
		['an all-empty column stays empty text', ['', ''], ['', '']],
	])('%s', (_case, cells, expected) => {
		const csv = `x.value\r\n${cells.map((cell) => (cell === '' ? '""' : cell)).join('\r\n')}\r\n`;
		expect(column(csv, 'x.value')).toEqual(expected);
	});

	it.each([
		['device.name'],
		['device.uid'],
		['device.collector.uid'],
		['user.sid'],
		['user.upn'],
		['workflow.executions.request_id'],
		['device.hardware.chassis_serial_number'],
		['binary.sha-256_hash_hex'],
	])('never converts an identifier field: %s', (name) => {
		expect(column(`${name}\r\n1001\r\n1002\r\n`, name)).toEqual(['1001', '1002']);
	});

	it('keeps the empty cells of a one-column file as rows, quoted or not', () => {
		expect(parseCsv('x.count\r\n1\r\n\r\n""\r\n4\r\n')).toEqual([
			{ 'x.count': '1' },
			{ 'x.count': '' },
			{ 'x.count': '' },
			{ 'x.count': '4' },
		]);
		expect(column('x.count\r\n1\r\n\r\n4\r\n', 'x.count')).toEqual([1, null, 4]);
		// With more columns, a blank line is still no row.
		expect(parseCsv('a,b\r\n1,2\r\n\r\n3,4\r\n')).toHaveLength(2);
	});

	it('types the cells beyond the header by the same rule', () => {
		const rows = convertCsvTypes(parseCsv('a.count\r\n1,2\r\n3,x\r\n'));
		expect(rows).toEqual([
			{ 'a.count': 1, column_2: '2' },
			{ 'a.count': 3, column_2: 'x' },
		]);
	});
});
