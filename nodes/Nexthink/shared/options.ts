import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

type Show = Record<string, string[]>;

/** Requests in flight at once unless Options > Concurrency says otherwise. */
export const DEFAULT_CONCURRENCY = 5;

// n8n-core puts one abort listener per request in flight on the execution's AbortSignal: over 10, Node prints MaxListenersExceededWarning.
export const MAX_CONCURRENCY = 10;

/**
 * The "Options" collection of an operation, shown for `show`, its entries alphabetised by display
 * name as n8n's linter wants (it cannot see options passed in here).
 * @deprecated Declare the operation's fields without display options and use `optionsCollection`
 * of ./fields; this goes once actions/nql does.
 */
export const optionsCollection = (show: Show, options: INodeProperties[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show },
	options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
});

/**
 * Options > Concurrency: "How many <whatRunsAtOnce> at the same time".
 * @deprecated Use `concurrencyOption` of ./fields; this goes once actions/nql does.
 */
export function concurrencyOption(whatRunsAtOnce: string): INodeProperties {
	return {
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		default: DEFAULT_CONCURRENCY,
		typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
		description: `How many ${whatRunsAtOnce} at the same time`,
	};
}

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
