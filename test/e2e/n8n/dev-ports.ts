/**
 * The ports of `npm run dev`: the simulator on 127.0.0.1:8901–8903 and n8n on 5678 when they are
 * free, else the next free ones (the simulator's three side by side: 8904–8906, 8907–8909, …), and
 * the lines that say which were taken. The credential n8n gets is the simulator's own
 * (`sim.credentials()`), built from the ports it listens on, so it follows the choice.
 */
import { startSimulator, type NexthinkSimulator, type SimulatorOptions } from '../../simulator';

export const DEV_SIMULATOR_PORTS = { api: 8901, login: 8902, files: 8903 } as const;
export const DEV_N8N_PORT = 5678;

/** How many blocks of three ports after 8901–8903 the simulator tries before giving up. */
const SIMULATOR_BLOCKS = 30;

export interface DevSimulator {
	sim: NexthinkSimulator;
	ports: { api: number; login: number; files: number };
	/** Set when 8901–8903 (or the ports asked for) were taken: says so and names the ports chosen. */
	moved?: string;
}

function portOf(url: string): number {
	return Number(new URL(url).port);
}

function inUse(error: unknown): boolean {
	const { code, message } = error as { code?: string; message?: string };
	return code === 'EADDRINUSE' || /EADDRINUSE|in use/i.test(message ?? '');
}

/**
 * Starts the simulator on `first`, `first + 1`, `first + 2` (8901–8903), or on the next three
 * consecutive ports where all three can listen. Fails with the reason if none can, or if the
 * error is anything but a port in use.
 */
export async function startDevSimulator(
	first: number = DEV_SIMULATOR_PORTS.api,
	options: Omit<SimulatorOptions, 'apiPort' | 'loginPort' | 'filesPort'> = {},
): Promise<DevSimulator> {
	let lastError = '';
	for (let block = 0; block <= SIMULATOR_BLOCKS; block++) {
		const api = first + block * 3;
		const attempt = await startSimulator({
			...options,
			apiPort: api,
			loginPort: api + 1,
			filesPort: api + 2,
		}).then(
			(sim) => ({ sim }),
			(error: unknown) => ({ error }),
		);
		if ('error' in attempt) {
			lastError = (attempt.error as Error).message;
			if (inUse(attempt.error)) continue;
			throw new Error(`The simulator could not start on ${api}–${api + 2}: ${lastError}`);
		}
		const { sim } = attempt;
		const ports = {
			api: portOf(sim.apiBaseUrl),
			login: portOf(sim.tokenUrl),
			files: portOf(sim.filesBaseUrl),
		};
		return {
			sim,
			ports,
			moved: block
				? `ports ${first}–${first + 2} are taken (${lastError}): the simulator listens on ${ports.api}–${ports.files} instead`
				: undefined,
		};
	}
	throw new Error(
		`The simulator found no three free ports side by side in ${first}–${first + SIMULATOR_BLOCKS * 3 + 2} (${lastError}).`,
	);
}

/** The line to print when n8n could not have `preferred` (5678); undefined when it got it. */
export function n8nPortMoved(preferred: number, chosen: number): string | undefined {
	return chosen === preferred
		? undefined
		: `port ${preferred} is taken: n8n listens on ${chosen} instead`;
}
