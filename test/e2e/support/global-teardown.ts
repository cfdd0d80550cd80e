/** Prints the duration of each e2e phase once the run is over. */
import { printPhases } from './phases';

export default async function globalTeardown(): Promise<void> {
	printPhases();
}
