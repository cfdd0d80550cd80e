/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling: the simulator is a stand-alone HTTP server, it never runs inside n8n (the slow fault needs a timer) */
/** Fault injection: a FIFO of faults per endpoint, each used for its next `times` requests. */
import { sendError, type Domain } from './errors';
import { sendRaw, type RequestContext } from './http';
import { ENDPOINT_KEYS, type EndpointKey, type Fault } from './types';

/** Faults that change what the handler does rather than replace its answer, and where they apply. */
const BEHAVIOUR_FAULTS: Partial<Record<Fault['type'], EndpointKey>> = {
	exportError: 'nql.export',
	truncated: 'nql.status',
	partial: 'enrichment.fields',
	cutOff: 'nql.download',
	corrupt: 'nql.download',
};
const FAULT_TYPES: ReadonlyArray<Fault['type']> = [
	'status',
	'rateLimit',
	'drop',
	'slow',
	'malformed',
	'exportError',
	'truncated',
	'partial',
	'html',
	'cutOff',
	'corrupt',
];

export interface QueuedFault {
	endpoint: EndpointKey;
	fault: Fault;
	remaining: number;
}

/** Random faults for load runs: each request to the endpoint draws one (or none) by these rates. */
export interface ChaosRule {
	/** Probability (0–1) of each fault per request; the rest are answered normally. */
	rates: Array<{ fault: Fault; rate: number }>;
}

export class FaultQueue {
	private queue: QueuedFault[] = [];
	private chaos = new Map<EndpointKey, ChaosRule>();
	/** Deterministic draws (mulberry32), so that a load run can be repeated. */
	private seed = 0x9e3779b9;

	/** Queued faults come first; then the endpoint's chaos rule, if any, draws. */
	setChaos(endpoint: EndpointKey, rule: ChaosRule | undefined, seed?: number): void {
		if (!ENDPOINT_KEYS.includes(endpoint))
			throw new Error(`Unknown endpoint key ${JSON.stringify(endpoint)}`);
		if (seed !== undefined) this.seed = seed >>> 0;
		if (rule) this.chaos.set(endpoint, rule);
		else this.chaos.delete(endpoint);
	}

	private random(): number {
		this.seed = (this.seed + 0x6d2b79f5) >>> 0;
		let t = this.seed;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	private draw(endpoint: EndpointKey): Fault | undefined {
		const rule = this.chaos.get(endpoint);
		if (!rule) return undefined;
		let roll = this.random();
		for (const { fault, rate } of rule.rates) {
			if (roll < rate) return fault;
			roll -= rate;
		}
		return undefined;
	}

	add(endpoint: EndpointKey, fault: Fault, times?: number): void {
		if (!ENDPOINT_KEYS.includes(endpoint))
			throw new Error(`Unknown endpoint key ${JSON.stringify(endpoint)}`);
		if (typeof fault !== 'object' || fault === null || !FAULT_TYPES.includes(fault.type)) {
			throw new Error(
				`Unknown fault ${JSON.stringify(fault)}; type must be one of ${FAULT_TYPES.join(', ')}`,
			);
		}
		const only = BEHAVIOUR_FAULTS[fault.type];
		if (only && only !== endpoint)
			throw new Error(`A ${fault.type} fault applies to ${only} only, not ${endpoint}`);
		if (
			(fault.type === 'status' || fault.type === 'html') &&
			!(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)
		) {
			throw new Error(`A ${fault.type} fault needs an HTTP status, got ${String(fault.status)}`);
		}
		if (fault.type === 'slow' && !(fault.delayMs >= 0))
			throw new Error('A slow fault needs delayMs ≥ 0');
		const count = times ?? fault.times ?? 1;
		if (!(Number.isInteger(count) && count >= 1))
			throw new Error(`times must be an integer ≥ 1, got ${count}`);
		this.queue.push({ endpoint, fault, remaining: count });
	}

	/** The next fault for `endpoint`, consuming one use. */
	take(endpoint: EndpointKey): Fault | undefined {
		const index = this.queue.findIndex((q) => q.endpoint === endpoint);
		if (index < 0) return this.draw(endpoint);
		const queued = this.queue[index];
		queued.remaining -= 1;
		if (queued.remaining <= 0) this.queue.splice(index, 1);
		return queued.fault;
	}

	pending(): QueuedFault[] {
		return this.queue.map((q) => ({ ...q }));
	}

	clear(): void {
		this.queue = [];
		this.chaos.clear();
	}
}

/** Timers of slow faults; the simulator releases them when it stops. */
export class Sleepers {
	private readonly pending = new Set<{
		timer: ReturnType<typeof setTimeout>;
		resolve: () => void;
	}>();

	sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const sleeper = {
				timer: setTimeout(() => {
					this.pending.delete(sleeper);
					resolve();
				}, ms),
				resolve,
			};
			this.pending.add(sleeper);
		});
	}

	wakeAll(): void {
		for (const s of this.pending) {
			clearTimeout(s.timer);
			s.resolve();
		}
		this.pending.clear();
	}
}

const htmlEscape = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Applies a fault. Returns true when the request has been answered (or dropped); false when the
 * handler should go on (slow faults after their delay, behaviour faults through `ctx.fault`).
 */
export async function applyFault(
	ctx: RequestContext,
	fault: Fault,
	domain: Domain,
): Promise<boolean> {
	ctx.entry.fault = fault.type;
	switch (fault.type) {
		case 'status': {
			if (fault.body === undefined) {
				sendError(ctx, domain, fault.status, undefined, undefined, fault.headers);
			} else {
				const isText = typeof fault.body === 'string';
				const payload = isText ? (fault.body as string) : JSON.stringify(fault.body);
				const type = isText
					? domain === 'files'
						? 'application/xml'
						: 'text/plain'
					: 'application/json';
				sendRaw(ctx, fault.status, payload, { 'Content-Type': type, ...fault.headers });
			}
			return true;
		}
		case 'rateLimit': {
			const seconds = fault.retryAfterDate
				? (fault.seconds ?? fault.retryAfter ?? 1)
				: (fault.retryAfter ?? 1);
			const retryAfter = fault.retryAfterDate
				? new Date(Date.now() + seconds * 1000).toUTCString()
				: String(seconds);
			const headers: Record<string, string | number> = { 'Retry-After': retryAfter };
			if (domain === 'token') {
				Object.assign(headers, {
					'X-Rate-Limit-Limit': 600,
					'X-Rate-Limit-Remaining': 0,
					'X-Rate-Limit-Reset': Math.ceil(Date.now() / 1000) + seconds,
				});
			}
			sendError(ctx, domain, 429, undefined, undefined, headers);
			return true;
		}
		case 'drop':
			ctx.entry.status = 0;
			ctx.req.socket.destroy();
			return true;
		case 'slow':
			await ctx.state.sleepers.sleep(fault.delayMs);
			return false;
		case 'malformed':
			sendRaw(
				ctx,
				200,
				fault.body ?? '{"status": "COMPLETED", "data": [{"device.name": "LAPTOP-0',
				{
					'Content-Type': 'application/json',
				},
			);
			return true;
		case 'html': {
			const title = fault.title ?? `${fault.status} Proxy Error`;
			const echoed = fault.echoHeaders
				? `<h2>Request headers</h2><pre>${Object.entries(ctx.entry.headers)
						.map(([name, value]) => `${name}: ${htmlEscape(value)}`)
						.join('\n')}</pre>`
				: '';
			sendRaw(
				ctx,
				fault.status,
				`<!DOCTYPE html>\n<html><head><title>${htmlEscape(title)}</title></head><body><h1>${htmlEscape(title)}</h1><p>The upstream server did not answer in time.</p>${echoed}<hr><address>simulated-proxy/1.0</address></body></html>`,
				{ 'Content-Type': 'text/html; charset=utf-8' },
			);
			return true;
		}
		default:
			ctx.fault = fault;
			return false;
	}
}
