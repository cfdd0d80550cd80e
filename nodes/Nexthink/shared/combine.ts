import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { chunk, mapWithConcurrency } from '../transport/batching';
import { asNodeError, errorItem, pairedWith } from './items';

/** One input item's share of a request that can carry the targets of several items. */
export interface Contribution<Target> {
	/**
	 * Items can share a request only when everything but their targets is the same (same remote
	 * action, parameters, expiry…): this key says what "the same" is.
	 */
	key: string;
	/** The request fields other than the targets, used for the whole group. */
	base: IDataObject;
	targets: Target[];
}

export interface CombinedRequest<Target> {
	base: IDataObject;
	targets: Target[];
	/** Input items whose targets are in this request, in input order. */
	itemIndexes: number[];
	/** The input items (of this request, in input order) that named a target of it. */
	itemsOf(target: Target): number[];
}

/** An output item of a request. */
export interface CombinedOutput {
	json: IDataObject;
	/**
	 * The input items it comes from, when fewer than all items of the request (for example the
	 * items that named the one target it is about, from `itemsOf`). Default: all of them.
	 */
	itemIndexes?: number[];
}

export interface CombineOptions<Target> {
	/** Merge the targets of all items that share a key; otherwise one request per item. */
	combine: boolean;
	/** Most targets one request may carry; longer lists are split, never rejected. */
	maxTargetsPerRequest: number;
	/** Requests in flight at once. */
	concurrency: number;
	/** Reads and validates one item; throw (NodeOperationError) to fail that item alone. */
	prepare(itemIndex: number): Contribution<Target>;
	/** Identity of a target, to send each target once per group. */
	targetKey(target: Target): string;
	/** Sends one request and returns the output item(s) for it. */
	send(request: CombinedRequest<Target>): Promise<CombinedOutput[]>;
}

interface Group<Target> {
	base: IDataObject;
	targets: Map<string, { target: Target; items: Set<number> }>;
}

/**
 * Runs an operation whose requests carry a list of targets (devices, users, enrichments):
 * gathers the targets of the input items into as few requests as the API allows, splits lists
 * longer than one request takes, sends the requests with bounded concurrency, and pairs every
 * output item with the input items it came from. An item that fails validation fails alone;
 * a request that fails fails the items in it.
 */
export async function runCombined<Target>(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	options: CombineOptions<Target>,
): Promise<INodeExecutionData[]> {
	const failures = new Map<number, INodeExecutionData>();
	const groups = new Map<string, Group<Target>>();

	items.forEach((_item, itemIndex) => {
		let contribution: Contribution<Target>;
		try {
			contribution = options.prepare(itemIndex);
		} catch (error) {
			const nodeError = asNodeError.call(this, error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			failures.set(itemIndex, errorItem(nodeError, itemIndex));
			return;
		}
		const key = options.combine ? contribution.key : `${itemIndex}\u0000${contribution.key}`;
		let group = groups.get(key);
		if (!group) {
			group = { base: contribution.base, targets: new Map() };
			groups.set(key, group);
		}
		for (const target of contribution.targets) {
			const id = options.targetKey(target);
			const entry = group.targets.get(id) ?? { target, items: new Set<number>() };
			entry.items.add(itemIndex);
			group.targets.set(id, entry);
		}
	});

	const requests: Array<CombinedRequest<Target>> = [];
	for (const group of groups.values()) {
		for (const piece of chunk([...group.targets.values()], options.maxTargetsPerRequest)) {
			const itemIndexes = new Set<number>();
			piece.forEach((entry) => entry.items.forEach((index) => itemIndexes.add(index)));
			const entries = new Map(piece.map((entry) => [options.targetKey(entry.target), entry]));
			requests.push({
				base: group.base,
				targets: piece.map((entry) => entry.target),
				itemIndexes: [...itemIndexes].sort((a, b) => a - b),
				// Items join a target's set in input order, so the set is already sorted.
				itemsOf: (target) => [...(entries.get(options.targetKey(target))?.items ?? [])],
			});
		}
	}

	const outcomes = await mapWithConcurrency(
		requests,
		options.concurrency,
		async (request) => await options.send(request),
	);

	// Output in the order of the first item of each request, failed items in their own place.
	const output: Array<{ order: number; items: INodeExecutionData[] }> = [];
	outcomes.forEach((outcome, position) => {
		const request = requests[position];
		if (outcome.status === 'fulfilled') {
			output.push({
				order: request.itemIndexes[0],
				items: outcome.value.map(({ json, itemIndexes }) => ({
					json,
					pairedItem: pairedWith(itemIndexes?.length ? itemIndexes : request.itemIndexes),
				})),
			});
			return;
		}
		const error = asNodeError.call(this, outcome.reason, request.itemIndexes[0]);
		if (!this.continueOnFail()) throw error;
		output.push({ order: request.itemIndexes[0], items: [errorItem(error, request.itemIndexes)] });
	});
	for (const [itemIndex, item] of failures) output.push({ order: itemIndex, items: [item] });
	return output.sort((a, b) => a.order - b.order).flatMap((entry) => entry.items);
}

/**
 * Reads a list the user typed or mapped: an array from an expression, or text with one entry
 * per line or comma-separated. Blank entries are dropped.
 */
export function readList(value: unknown): string[] {
	const flat = (entry: unknown): string[] => {
		if (entry === undefined || entry === null) return [];
		if (Array.isArray(entry)) return entry.flatMap(flat);
		// An object is no identifier: keep it whole so that validation names it.
		if (typeof entry === 'object') return [JSON.stringify(entry)];
		return String(entry)
			.split(/[\n,;]+/)
			.map((part) => part.trim())
			.filter(Boolean);
	};
	return flat(value);
}
