import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

type Show = Record<string, string[]>;

/** Requests in flight at once unless Options > Concurrency says otherwise. */
export const DEFAULT_CONCURRENCY = 5;

// n8n-core puts one abort listener per request in flight on the execution's AbortSignal: over 10, Node prints MaxListenersExceededWarning.
export const MAX_CONCURRENCY = 10;

/** Alphabetised by display name, as n8n's linter wants (it cannot see options passed in here). */
const sorted = (options: INodeProperties[]) =>
	[...options].sort((a, b) => a.displayName.localeCompare(b.displayName));

function collection(
	field: Pick<INodeProperties, 'displayName' | 'name' | 'placeholder'>,
	show: Show,
	options: INodeProperties[],
): INodeProperties {
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'collection',
		placeholder: field.placeholder,
		default: {},
		displayOptions: { show },
		options: sorted(options),
	};
}

/** The "Options" collection of an operation. */
export const optionsCollection = (show: Show, options: INodeProperties[]): INodeProperties =>
	collection({ displayName: 'Options', name: 'options', placeholder: 'Add Option' }, show, options);

/** The "Filters" collection of a Get Many. */
export const filtersCollection = (show: Show, options: INodeProperties[]): INodeProperties =>
	collection({ displayName: 'Filters', name: 'filters', placeholder: 'Add Filter' }, show, options);

/** Options > Concurrency: "How many <whatRunsAtOnce> at the same time". */
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

/** Options > Combine Items: send the targets of several input items in shared requests. */
export function combineItemsOption(description: string, defaultValue = false): INodeProperties {
	const option: INodeProperties = {
		displayName: 'Combine Items',
		name: 'combineItems',
		type: 'boolean',
		default: false,
		description,
	};
	// Set apart from the literal: n8n's linter takes only a literal boolean as a boolean's default.
	option.default = defaultValue;
	return option;
}

/** Options > "<Targets> per Request": longer lists are split into requests of this size. */
export function batchSizeOption({
	displayName,
	max,
	default: defaultValue,
	description,
}: {
	displayName: string;
	max: number;
	default: number;
	description: string;
}): INodeProperties {
	return {
		displayName,
		name: 'batchSize',
		type: 'number',
		default: defaultValue,
		typeOptions: { minValue: 1, maxValue: max },
		description,
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
