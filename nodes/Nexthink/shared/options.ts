/**
 * Readers of an operation's Options collection and the concurrency limits. The fields themselves
 * are built in ./fields.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * Requests in flight at once unless Options > Concurrency says otherwise. 25 keeps per-item calls
 * ahead of the HTTP Request node's unbatched run (1,000 NQL executes at 100 ms: 4 s) while staying
 * well below what it fires at once (every item); Nexthink publishes no rate limit but pauses
 * tenants on "excessive and rapid acceleration" (docs/nexthink-api.md §2.7) and answers 429s,
 * which the transport waits out. Bulk operations combine items, so 25 rarely matters there.
 */
export const DEFAULT_CONCURRENCY = 25;

/**
 * The most the option takes. Not a listener limit: the node puts one abort listener on the
 * execution's signal however many requests are in flight (transport/cancel.ts onCancel), and
 * n8n-core's request helpers add none.
 */
export const MAX_CONCURRENCY = 100;

/** The Options collection of an item (item 0 for what applies to the whole run). */
export function readOptions(this: IExecuteFunctions, itemIndex = 0): IDataObject {
	return this.getNodeParameter('options', itemIndex, {}) as IDataObject;
}

/** Options > Concurrency of the run (read from the first item), from 1 to MAX_CONCURRENCY. */
export function readConcurrency(this: IExecuteFunctions): number {
	const concurrency =
		Number(this.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY)) ||
		DEFAULT_CONCURRENCY;
	return Math.min(MAX_CONCURRENCY, concurrency);
}

/**
 * Options > Combine Items of a triggering operation: as set, else on from node version 2 and off
 * in version 1 (shared/fields.ts combineItemsByVersion).
 */
export function readCombineItems(this: IExecuteFunctions, options: IDataObject): boolean {
	if (typeof options.combineItems === 'boolean') return options.combineItems;
	return byNodeVersion(this, { v1: false, v2: true });
}

/** The default of a field that differs by node version (shared/fields.ts byVersion). */
export function byNodeVersion<T>(context: IExecuteFunctions, defaults: { v1: T; v2: T }): T {
	return context.getNode().typeVersion >= 2 ? defaults.v2 : defaults.v1;
}

/** Options > "<Targets> per Request" as a whole number from 1 to `max`. */
export function readBatchSize(options: IDataObject, max: number, fallback: number): number {
	return Math.min(max, Math.max(1, Math.floor(Number(options.batchSize) || fallback)));
}
