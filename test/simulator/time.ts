/**
 * Timestamps in NQL answers. `x-utc-times: true` gives UTC; anything else gives the tenant's
 * regional time, which the simulator fixes at UTC+01:00 (docs/nexthink-api.md §2.2).
 */

export const REGIONAL_OFFSET_MINUTES = 60;

/** A datetime cell in a query row; rendered when the answer's time zone is known. */
export class NqlTime {
	constructor(readonly ms: number) {}
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function shifted(ms: number, utc: boolean): Date {
	return new Date(utc ? ms : ms + REGIONAL_OFFSET_MINUTES * 60_000);
}

/** Wall-clock time without offset, e.g. `2023-03-07T15:56:02` (the v2 `executionDateTime`). */
export function localIso(ms: number, utc: boolean): string {
	const d = shifted(ms, utc);
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** A cell value: `2025-01-15T12:00:00Z` in UTC, `2025-01-15T13:00:00+01:00` in regional time. */
export function formatTimestamp(ms: number, utc: boolean): string {
	if (utc) return `${localIso(ms, true)}Z`;
	const sign = REGIONAL_OFFSET_MINUTES >= 0 ? '+' : '-';
	const abs = Math.abs(REGIONAL_OFFSET_MINUTES);
	return `${localIso(ms, false)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The v1 `executionDateTime` object. */
export function dateTimeParts(ms: number, utc: boolean) {
	const d = shifted(ms, utc);
	return {
		year: d.getUTCFullYear(),
		month: d.getUTCMonth() + 1,
		day: d.getUTCDate(),
		hour: d.getUTCHours(),
		minute: d.getUTCMinutes(),
		second: d.getUTCSeconds(),
	};
}

/** `X-Amz-Date` format: `20250115T120000Z`. */
export function amzDate(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000)
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
}

export function parseAmzDate(value: string): number | undefined {
	const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
	if (!m) return undefined;
	return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}
