/**
 * Fields many operations share, and the Operation dropdown of a resource. None carries the
 * resource or operation display options: an operation lists them in its `properties`, and
 * `updateDisplayOptions` shows them for that operation only.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from './options';

/** What a resource's index.ts takes from each of its `<op>.operation.ts`. */
interface OperationModule {
	/** Its entry in the Operation dropdown. */
	option: INodePropertyOptions;
	/** Its fields, shown for this operation only. */
	description: INodeProperties[];
}

/**
 * A resource's `operations` (by value, for the router) and `description`: the Operation
 * dropdown, its entries ordered by name as n8n's linter wants, then the fields of every
 * operation in the order given.
 */
export function resourceOperations<T extends OperationModule>(
	resource: string,
	defaultOperation: string,
	modules: T[],
): { operations: Record<string, T>; description: INodeProperties[] } {
	const operations: Record<string, T> = {};
	for (const operation of modules) operations[String(operation.option.value)] = operation;
	const operationField: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: modules
			.map((operation) => operation.option)
			.sort((a, b) => a.name.localeCompare(b.name)),
		default: defaultOperation,
	};
	return {
		operations,
		description: [operationField, ...modules.flatMap((operation) => operation.description)],
	};
}

/**
 * The "Options" collection of an operation. Its entries are ordered by display name here, as
 * n8n's linter wants: the linter cannot see entries built by the functions below.
 */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

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

/** Node versions from which a field applies, as `displayOptions` of a field or an option. */
export const FROM_VERSION_2 = { show: { '@version': [{ _cnd: { gte: 2 } }] } };
export const VERSION_1 = { show: { '@version': [1] } };

/**
 * A field whose default changed with node version 2: one copy per version, each with its own
 * default (n8n stores only values that differ from the default, so a version 1 workflow must keep
 * seeing version 1's). Read it with a fallback from `byNodeVersion` (shared/options.ts).
 */
export function byVersion(
	property: INodeProperties,
	defaults: { v1: INodeProperties['default']; v2: INodeProperties['default'] },
): INodeProperties[] {
	const shown = (versions: object) => ({
		...property.displayOptions,
		show: { ...property.displayOptions?.show, ...(versions as { show: object }).show },
	});
	return [
		{ ...property, default: defaults.v1, displayOptions: shown(VERSION_1) },
		{ ...property, default: defaults.v2, displayOptions: shown(FROM_VERSION_2) },
	];
}

/**
 * Options > Combine Items of the triggering operations, on by default from node version 2 (the
 * everyday flow, NQL rows into one remote action, then takes 3 requests for 25,000 devices, not
 * 25,000). Version 1 keeps it off: saved workflows run as they did. `readCombineItems` reads it.
 */
export function combineItemsByVersion(targets: string, sharing: string): INodeProperties[] {
	const description = `Whether to send the ${targets} of all input items together, in as few requests as possible (items with the same ${sharing} share them). Off: one request per input item.`;
	return byVersion(combineItemsOption(description), { v1: false, v2: true });
}

/** The choices of Options > Output of a triggering operation, beside "One Item per Request". */
interface OutputChoice {
	name: string;
	value: string;
	description: string;
}

/**
 * Options > Output of a triggering operation: Nexthink's answer per request (the default), or
 * per input item or target, each with its request ID, for a next node that acts per device.
 */
export function requestOutputOption(
	requestDescription: string,
	...choices: OutputChoice[]
): INodeProperties {
	return {
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'request',
		options: [
			{ name: 'One Item per Request', value: 'request', description: requestDescription },
			...choices,
		],
		description: 'What the node outputs',
	};
}

/** Output > One Item per Input Item, for operations whose answer is per request. */
export function perInputItemOutput(targets: string): OutputChoice {
	return {
		name: 'One Item per Input Item',
		value: 'inputItem',
		description: `Each input item with its request ID and its own ${targets}: an input item whose ${targets} span several requests gets one item per request`,
	};
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

/** Return All, as every n8n "Get Many" has. */
export const returnAllField: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

/** Limit, shown while Return All is off. */
export const limitField: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	default: 50,
	typeOptions: { minValue: 1 },
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

/** Simplify, naming the fields the simplified items keep. */
export function simplifyField(fieldsShown: string): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: `Whether to return a simplified version of the response instead of the raw data (${fieldsShown})`,
	};
}

/** Options > Request Timeout: how long one call waits for Nexthink (the transport's default otherwise). */
export const requestTimeoutOption: INodeProperties = {
	displayName: 'Request Timeout (Seconds)',
	name: 'requestTimeout',
	type: 'number',
	default: 60,
	typeOptions: { minValue: 1, maxValue: 3600 },
	description:
		'How long each call waits for Nexthink to answer before it fails with a time-out (a download: for the next bytes of the file). A call that starts something in Nexthink is never repeated after a time-out.',
};
