/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmark script: prints figures, never runs inside n8n */
/**
 * Measures the node's CSV parser on an NQL-export-like file: `npm run bench:csv [rows]`.
 * Prints parse time, rows per second and heap growth. Not a test: figures vary with the machine.
 */
import { forEachCsvRecord, parseCsv } from '../../nodes/Nexthink/shared/csv';

const rows = Number(process.argv[2] ?? 1_000_000);
const header =
	'device.name,device.uid,device.collector.uid,device.operating_system.name,device.operating_system.platform,device.hardware.chassis_serial_number,device.last_seen\r\n';
const parts: string[] = [header];
for (let i = 0; i < rows; i++) {
	const n = String(i).padStart(7, '0');
	const note = i % 50 === 0 ? '"Zürich, ""HQ""\nfloor 3"' : 'Windows 11 Enterprise 23H2';
	parts.push(
		`LAPTOP-${n},6f1c2d3e-0000-4000-8000-${n}00000,1a2b3c4d-0000-4000-8000-${n}00000,${note},Windows,SN${n},2026-11-25T10:00:00.000Z\r\n`,
	);
}
const text = parts.join('');
const megabytes = Buffer.byteLength(text) / 1024 / 1024;

const time = (label: string, run: () => number) => {
	global.gc?.();
	const heapBefore = process.memoryUsage().heapUsed;
	const started = process.hrtime.bigint();
	const count = run();
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
	process.stdout.write(
		`${label}: ${count.toLocaleString('en')} rows in ${ms.toFixed(0)} ms (${Math.round((count / ms) * 1000).toLocaleString('en')} rows/s, ${(megabytes / (ms / 1000)).toFixed(0)} MB/s), heap +${heapMb.toFixed(0)} MiB\n`,
	);
};

process.stdout.write(`CSV of ${rows.toLocaleString('en')} rows, ${megabytes.toFixed(1)} MiB\n`);
time('forEachCsvRecord (streaming fields)', () => forEachCsvRecord(text, () => undefined) - 1);
time('parseCsv (objects keyed by header)', () => parseCsv(text).length);
