/** Splits a list into consecutive pieces of at most `size` entries. */
export function chunk<T>(list: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1)
		throw new RangeError(`chunk size must be a positive integer, got ${size}`);
	const pieces: T[][] = [];
	for (let start = 0; start < list.length; start += size)
		pieces.push(list.slice(start, start + size));
	return pieces;
}

/**
 * Runs `task` over `inputs` with at most `limit` tasks in flight, keeping results in input order.
 * Every task runs even when another fails; each outcome is reported, as Promise.allSettled does.
 */
export async function mapWithConcurrency<T, R>(
	inputs: readonly T[],
	limit: number,
	task: (input: T, index: number) => Promise<R>,
): Promise<Array<PromiseSettledResult<R>>> {
	const results = new Array<PromiseSettledResult<R>>(inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length) {
			const index = next++;
			try {
				results[index] = { status: 'fulfilled', value: await task(inputs[index], index) };
			} catch (reason) {
				results[index] = { status: 'rejected', reason };
			}
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(limit) || 1, inputs.length));
	await Promise.all(Array.from({ length: workers }, worker));
	return results;
}
