/**
 * The simulator's control API under `/_simulator/` (no auth), over HTTP: what a Nexthink tenant
 * received from n8n running in another process. Works for an in-process `startSimulator()` and
 * for `npm run simulator` alike.
 */
import { request } from 'undici';

import type { LogEntry } from '../../simulator';

export class SimulatorControl {
	constructor(readonly apiBaseUrl: string) {}

	private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
		const response = await request(`${this.apiBaseUrl}/_simulator/${path}`, {
			method,
			...(body === undefined
				? {}
				: { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
		});
		const text = await response.body.text();
		if (response.statusCode >= 400)
			throw new Error(`${method} /_simulator/${path} answered ${response.statusCode}: ${text}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** Every request the three hosts received since start or reset (control calls excluded). */
	async log(): Promise<LogEntry[]> {
		return await this.call<LogEntry[]>('GET', 'log');
	}

	/** Requests per endpoint key. */
	async counters(): Promise<Record<string, number>> {
		return (await this.call<{ counters: Record<string, number> }>('GET', 'counters')).counters;
	}

	/** Clears log, counters, faults, recordings and exports; keeps the seed and issued tokens. */
	async reset(): Promise<void> {
		await this.call('POST', 'reset');
	}

	/**
	 * A seeded device's free disk space in GB, as `#devices_low_disk` lists it
	 * (`POST /_simulator/devices/free-disk`); `null` restores the seeded value, reset() all of them.
	 */
	async setFreeDiskSpace(device: string, gb: number | null): Promise<void> {
		await this.call('POST', 'devices/free-disk', { device, gb });
	}

	/** Seed IDs, sample devices and users, and the recordings. */
	async data<T = Record<string, unknown>>(): Promise<T> {
		return await this.call<T>('GET', 'data');
	}
}

/** The entries logged between `from` and `to` (epoch ms, inclusive). */
export function entriesBetween(log: LogEntry[], from: number, to: number): LogEntry[] {
	return log.filter((entry) => {
		const at = Date.parse(entry.at);
		return at >= from && at <= to;
	});
}
