import type { IDataObject } from 'n8n-workflow';

/** How long the transport is prepared to wait for Nexthink, and how often to try again. */
export const RETRY_DEFAULTS = {
	/** Tries after the first one, for 429 and (read-only calls only) 5xx and network errors. */
	maxRetries: 3,
	/** A single Retry-After longer than this is not waited for: the call fails and says so. */
	maxRetryAfterMs: 60_000,
	/** Backoff for answers without Retry-After: base * 2^attempt, with jitter, at most maxBackoffMs. */
	baseBackoffMs: 500,
	maxBackoffMs: 8_000,
};

export type RetrySettings = typeof RETRY_DEFAULTS;

/**
 * How long one try of a call may go without an answer before it fails as a time-out (n8n's own
 * limit is 300 s). Exports and downloads move more data, so they get longer.
 */
export const REQUEST_TIMEOUT_MS = 60_000;
export const DOWNLOAD_TIMEOUT_MS = 300_000;

/** "60 s", "0.3 s": a duration as messages say it. */
export function seconds(ms: number): string {
	const value = ms >= 10_000 ? Math.round(ms / 1000) : Math.round(ms / 100) / 10;
	return `${value.toLocaleString('en-US')} s`;
}

function header(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	return value === undefined || value === null ? undefined : String(value);
}

/**
 * Retry-After as delta-seconds or as an HTTP date (Nexthink documents "the date and time").
 * Returns milliseconds to wait, or undefined when absent or unreadable.
 */
export function parseRetryAfter(
	headers: IDataObject | undefined,
	now = Date.now(),
): number | undefined {
	const value = header(headers, 'retry-after')?.trim();
	if (!value) return undefined;
	if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/** Full-jitter exponential backoff. */
export function backoffMs(attempt: number, settings: RetrySettings = RETRY_DEFAULTS): number {
	const ceiling = Math.min(settings.maxBackoffMs, settings.baseBackoffMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** Network errors after which a read-only call may be repeated. */
export const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
]);
