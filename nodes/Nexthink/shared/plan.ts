/**
 * Plans the requests of an operation whose requests carry a list of targets (devices, users):
 * gathers the targets of the input items into as few requests as the API allows, and splits
 * lists longer than one request takes. Planning only: `engine.ts` sends.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Task } from './engine';

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

interface CombinePlan<Target> {
	/** Merge the targets of all items that share a key; otherwise one request per item. */
	combine: boolean;
	/** Most targets one request may carry (per list, with `listOf`); longer lists are split, never rejected. */
	maxTargetsPerRequest: number;
	/**
	 * For requests that carry several lists, each with its own limit (a workflow's devices and
	 * users: 10,000 of each): the list a target goes in. Each list is split on its own, and request
	 * k carries the k-th piece of every list. Without it, all targets are one list.
	 */
	listOf?(target: Target): string;
	/** Identity of a target, to send each target once per group. */
	targetKey(target: Target): string;
}

interface Group<Target> {
	base: IDataObject;
	targets: Map<string, { id: string; target: Target; items: number[] }>;
}

/** Splits a list into consecutive pieces of at most `size` entries. */
export function chunk<T>(list: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1)
		throw new RangeError(`chunk size must be a positive integer, got ${size}`);
	const pieces: T[][] = [];
	for (let start = 0; start < list.length; start += size)
		pieces.push(list.slice(start, start + size));
	return pieces;
}

/** A group's targets in requests: each list split on its own, request k with every list's k-th piece. */
function pieces<Target, Entry extends { target: Target }>(
	entries: Entry[],
	plan: CombinePlan<Target>,
): Entry[][] {
	if (!plan.listOf) return chunk(entries, plan.maxTargetsPerRequest);
	const lists = new Map<string, Entry[]>();
	for (const entry of entries) {
		const name = plan.listOf(entry.target);
		const list = lists.get(name);
		if (list) list.push(entry);
		else lists.set(name, [entry]);
	}
	const chunked = [...lists.values()].map((list) => chunk(list, plan.maxTargetsPerRequest));
	const count = Math.max(0, ...chunked.map((list) => list.length));
	return Array.from({ length: count }, (_, k) => chunked.flatMap((list) => list[k] ?? []));
}

/** The requests for the items' contributions (keyed by input item, in input order). */
export function planCombined<Target>(
	contributions: Map<number, Contribution<Target>>,
	plan: CombinePlan<Target>,
): Array<CombinedRequest<Target>> {
	const groups = new Map<string, Group<Target>>();
	for (const [itemIndex, contribution] of contributions) {
		const key = plan.combine ? contribution.key : `${itemIndex}\u0000${contribution.key}`;
		let group = groups.get(key);
		if (!group) {
			group = { base: contribution.base, targets: new Map() };
			groups.set(key, group);
		}
		for (const target of contribution.targets) {
			const id = plan.targetKey(target);
			const entry = group.targets.get(id);
			// Items arrive in input order, so each target's list stays sorted.
			if (!entry) group.targets.set(id, { id, target, items: [itemIndex] });
			else if (entry.items[entry.items.length - 1] !== itemIndex) entry.items.push(itemIndex);
		}
	}

	const requests: Array<CombinedRequest<Target>> = [];
	for (const group of groups.values()) {
		for (const piece of pieces([...group.targets.values()], plan)) {
			const itemIndexes = new Set<number>();
			for (const entry of piece) for (const index of entry.items) itemIndexes.add(index);
			const entries = new Map(piece.map((entry) => [entry.id, entry]));
			requests.push({
				base: group.base,
				targets: piece.map((entry) => entry.target),
				itemIndexes: [...itemIndexes].sort((a, b) => a - b),
				itemsOf: (target) => [...(entries.get(plan.targetKey(target))?.items ?? [])],
			});
		}
	}
	return requests;
}

/** A request's targets by the input items that named them (a target named twice is in both). */
export function targetsByItem<Target>(request: CombinedRequest<Target>): Map<number, Target[]> {
	const byItem = new Map<number, Target[]>(request.itemIndexes.map((index) => [index, []]));
	for (const target of request.targets)
		for (const index of request.itemsOf(target)) byItem.get(index)?.push(target);
	return byItem;
}

/** The engine's tasks for planned requests: each carries its items and targets, and sends itself. */
export function toTasks<Target, Answer>(
	requests: Array<CombinedRequest<Target>>,
	send: (request: CombinedRequest<Target>) => Promise<Answer>,
): Array<Task<Answer>> {
	return requests.map((request) => ({
		itemIndexes: request.itemIndexes,
		targets: request.targets,
		send: async () => await send(request),
	}));
}
