/**
 * Free disk space per device, and the saved query `#devices_low_disk` that lists the devices
 * below a threshold: rows that come and go, and values that change, while the simulator runs.
 * The data a "device crosses a threshold" trigger watches (Nexthink Trigger > New or Changed Rows).
 *
 * Each device has a seeded free space (1 to 400 GB, by index); `sim.setFreeDiskSpace(name, gb)`
 * (or `POST /_simulator/devices/free-disk`) sets it, `undefined` restores the seeded value, and
 * `reset()` restores them all.
 */
import type { Cell } from '../csv';
import type { QueryDefinition } from './queries';
import { indexHash } from './random';
import type { Device, Directory } from './seed';

/** Salt of the seeded free space (the seed's own salts are 2 to 10). */
const SALT = 31;

/** The seeded free space of a device: 1 to 400 GB, the same on every run. */
export const seededFreeDiskGb = (device: Device) => 1 + (indexHash(SALT, device.index + 1) % 400);

/** What tests set, by device index; everything else is seeded. */
export class FreeDiskSpace {
	private readonly values = new Map<number, number>();

	constructor(private readonly directory: Directory) {}

	/** The device's free space now, in GB. */
	of(device: Device): number {
		return this.values.get(device.index) ?? seededFreeDiskGb(device);
	}

	/** Sets a seeded device's free space (GB, a number ≥ 0), or restores its seeded value (`undefined` or `null`). */
	setFor(deviceName: string, gb: number | null | undefined): void {
		const device = this.directory.deviceByName(String(deviceName));
		if (!device)
			throw new Error(
				`Unknown device ${JSON.stringify(deviceName)}: name one of the seeded devices (LAPTOP-00001, …)`,
			);
		if (gb === undefined || gb === null) {
			this.values.delete(device.index);
			return;
		}
		if (typeof gb !== 'number' || !Number.isFinite(gb) || gb < 0)
			throw new Error(`gb must be a number ≥ 0, got ${JSON.stringify(gb)}`);
		this.values.set(device.index, gb);
	}

	clear(): void {
		this.values.clear();
	}
}

export const LOW_DISK_QUERY: QueryDefinition = {
	id: '#devices_low_disk',
	description:
		'Devices with less than $max_free_gb GB free on the system drive (free space settable per device with setFreeDiskSpace).',
	nql: 'devices | where #free_disk_space_gb < $max_free_gb | list name, collector.uid, operating_system.platform, #free_disk_space_gb',
	parameters: ['max_free_gb'],
	columns: [
		'device.name',
		'device.collector.uid',
		'device.operating_system.platform',
		'device.#free_disk_space_gb',
	],
	// The rows follow what tests set: an export takes them when it starts.
	dynamic: true,
	scalable: false,
	*rows(params, ctx) {
		const threshold = Number(params.max_free_gb);
		if (!Number.isFinite(threshold)) return;
		const max = ctx.rowsOverride;
		if (max === 0) return;
		let count = 0;
		for (const device of ctx.directory.devices) {
			const gb = ctx.freeDiskSpace?.of(device) ?? seededFreeDiskGb(device);
			if (gb >= threshold) continue;
			const row: Cell[] = [device.name, device.collectorUid, device.osPlatform, gb];
			yield row;
			if (max !== undefined && ++count >= max) return;
		}
	},
};
