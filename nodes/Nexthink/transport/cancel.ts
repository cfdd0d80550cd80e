import { sleep } from 'n8n-workflow';

import type { NexthinkContext } from './request';

/** The execution's cancel signal, where the context has one (executions; not polls or list searches). */
export function cancelSignal(context: NexthinkContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}

/** Thrown when the user cancelled the execution while the node waited or sent. */
export class ExecutionCancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
		this.name = 'ExecutionCancelledError';
	}
}

export function isCancelled(context: NexthinkContext): boolean {
	return cancelSignal(context)?.aborted === true;
}

/** Throws ExecutionCancelledError when the execution was cancelled. */
export function throwIfCancelled(context: NexthinkContext): void {
	if (isCancelled(context)) throw new ExecutionCancelledError();
}

/**
 * One abort listener per signal, whatever the number of waits and requests in flight: Node warns
 * (MaxListenersExceededWarning) past 10 listeners on one signal, and n8n already adds one per
 * request it sends.
 */
const subscribers = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `handler` once when the execution is cancelled; returns the function that unsubscribes. */
export function onCancel(context: NexthinkContext, handler: () => void): () => void {
	const signal = cancelSignal(context);
	if (!signal) return () => undefined;
	let handlers = subscribers.get(signal);
	if (!handlers) {
		const set = new Set<() => void>();
		handlers = set;
		subscribers.set(signal, set);
		signal.addEventListener(
			'abort',
			() => {
				for (const subscriber of [...set]) subscriber();
				set.clear();
			},
			{ once: true },
		);
	}
	handlers.add(handler);
	return () => handlers.delete(handler);
}

/**
 * Settles like `work`, or rejects with ExecutionCancelledError as soon as the execution is
 * cancelled: the node stops waiting at once, whatever `work` still does (a shared token request,
 * a response body still arriving).
 */
export async function unlessCancelled<T>(context: NexthinkContext, work: Promise<T>): Promise<T> {
	if (isCancelled(context)) {
		work.catch(() => undefined);
		throw new ExecutionCancelledError();
	}
	let unsubscribe = () => undefined as unknown;
	const cancelled = new Promise<never>((_resolve, reject) => {
		unsubscribe = onCancel(context, () => reject(new ExecutionCancelledError()));
	});
	try {
		return await Promise.race([work, cancelled]);
	} finally {
		unsubscribe();
		work.catch(() => undefined);
	}
}

/**
 * Waits `ms`, or less when the execution is cancelled meanwhile (then it throws
 * ExecutionCancelledError): every wait of the node (Retry-After, backoff, export checks) goes
 * through here, so a cancel never waits for a timer.
 */
export async function waitUnlessCancelled(context: NexthinkContext, ms: number): Promise<void> {
	const timer = new AbortController();
	try {
		// n8n-workflow 2.x's sleep takes a signal and clears its timer; 1.x's ignores it (the
		// race still ends the wait).
		const wait = (sleep as (ms: number, signal?: AbortSignal) => Promise<void>)(ms, timer.signal);
		await unlessCancelled(context, wait);
	} finally {
		timer.abort();
	}
}
