/**
 * Readers of an operation's Options collection and the concurrency limits. The fields themselves
 * are built in ./fields.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** Requests in flight at once unless Options > Concurrency says otherwise. */
export const DEFAULT_CONCURRENCY = 5;

// n8n-core puts one abort listener per request in flight on the execution's AbortSignal: over 10, Node prints MaxListenersExceededWarning.
export const MAX_CONCURRENCY = 10;

/** The Options collection of an item (item 0 for what applies to the whole run). */
export function readOptions(this: IExecuteFunctions, itemIndex = 0): IDataObject {
	return this.getNodeParameter('options', itemIndex, {}) as IDataObject;
}

/** Options > Concurrency of the run (read from the first item), at most MAX_CONCURRENCY. */
export function readConcurrency(this: IExecuteFunctions): number {
	const concurrency =
		Number(this.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY)) ||
		DEFAULT_CONCURRENCY;
	return Math.min(MAX_CONCURRENCY, concurrency);
}

/** Options > "<Targets> per Request" as a whole number from 1 to `max`. */
export function readBatchSize(options: IDataObject, max: number, fallback: number): number {
	return Math.min(max, Math.max(1, Math.floor(Number(options.batchSize) || fallback)));
}
