import { NodeOperationError, sleep, type INode } from 'n8n-workflow';

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

/**
 * True for an error that stands for a cancelled execution rather than a failure: ours
 * (ExecutionCancelledError, alone or as the cause of the NodeOperationError the transport
 * throws), n8n's own (ManualExecutionCancelledError…) and the HTTP client's abort
 * (ERR_CANCELED), at any depth of the cause chain.
 */
export function isCancellation(error: unknown): boolean {
	let current = error as
		| { name?: unknown; code?: unknown; cause?: unknown; context?: { cancelled?: unknown } }
		| undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		if (typeof current.name === 'string' && current.name.endsWith('ExecutionCancelledError'))
			return true;
		if (current.code === 'ERR_CANCELED' || current.context?.cancelled === true) return true;
		current = current.cause as typeof current;
	}
	return false;
}

/**
 * The error a call stops with when the execution is cancelled: "The execution was cancelled",
 * an ExecutionCancelledError as its cause (so isCancellation and the engine recognise it), and in
 * its context `cancelled: true` and `mayHaveBeenProcessed`: true when the request was already on
 * its way (Nexthink may have received it), false when the cancel came between tries.
 */
export function cancelledError(
	node: INode,
	options: { itemIndex?: number; requestInFlight: boolean; triggersAction?: boolean },
): NodeOperationError {
	const error = new NodeOperationError(node, new ExecutionCancelledError(), {
		itemIndex: options.itemIndex,
		description:
			options.requestInFlight && options.triggersAction
				? 'The request was on its way to Nexthink when the execution was cancelled: it may have been processed. Check in Nexthink whether it ran before running it again.'
				: undefined,
	});
	error.message = 'The execution was cancelled';
	error.context.cancelled = true;
	error.context.mayHaveBeenProcessed = options.requestInFlight;
	return error;
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
 * (MaxListenersExceededWarning) past 10 listeners on one signal. Requests get signals of their
 * own (withRequestSignal), so n8n's request helpers add none to the execution's.
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

/**
 * Runs `send` with a view of the context whose `getExecutionCancelSignal()` is a signal of this
 * request's own, aborted when the execution is cancelled. n8n's request helpers put one abort
 * listener per request on that signal (httpRequestWithAuthentication takes it from the context):
 * on the execution's own signal, 100 requests in flight would be 100 listeners and Node's
 * MaxListenersExceededWarning past 10, unless n8n lifted the limit. This way the execution's signal
 * carries the node's one listener (onCancel), and each request's signal one.
 */
export async function withRequestSignal<T>(
	context: NexthinkContext,
	send: (view: NexthinkContext, signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
	if (!cancelSignal(context)) return await send(context, undefined);
	const controller = new AbortController();
	if (isCancelled(context)) controller.abort();
	const unsubscribe = onCancel(context, () => controller.abort());
	const view = Object.create(context, {
		getExecutionCancelSignal: { value: () => controller.signal },
	}) as NexthinkContext;
	try {
		return await send(view, controller.signal);
	} finally {
		unsubscribe();
	}
}
