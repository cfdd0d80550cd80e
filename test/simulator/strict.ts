/**
 * Contract rejections: every request the simulator refuses because it breaks the contract is
 * answered in its domain's documented error shape and recorded, so that a test run can prove the
 * node never sent one (test/support/strict.ts fails a test that caused one it did not expect).
 *
 * A domain handler rejects with `strictViolation(ctx, reason)` (400, the domain's default code)
 * or `strictViolation(ctx, reason, { status, code })`, and returns. Checks that only strict mode
 * makes (the simulator's own readings, where Nexthink may be lenient) go under
 * `if (ctx.state.strict.enabled)`. Business answers (an unknown ID, a campaign not published, a
 * parameter the saved query declares but the request lacks) are not rejections: answer them with
 * `sendError`.
 */
import { domainOf, errorBody, sendError, type Domain } from './errors';
import type { RequestContext } from './http';
import type { StrictRejection } from './types';
import { show } from './validate';

export interface Violation {
	/** Default 400. */
	status?: number;
	/** Default: the domain's code for the status (`SIMULATOR_BAD_REQUEST`, `ENRICH_001`, …). */
	code?: string;
	/** Replaces the answer's message when it should differ from the recorded reason. */
	message?: string;
	/** Default: the domain of the endpoint the request reached. */
	domain?: Domain;
	headers?: Record<string, string | number>;
}

export class StrictChecks {
	/** Every rejection since the simulator started; `reset()` keeps them (a test's check runs after it). */
	readonly rejections: StrictRejection[] = [];

	constructor(
		/** Strict mode: also make the checks of the simulator's own readings. */
		public enabled: boolean,
	) {}

	/** Records the rejection without answering (for answers that are not a domain's JSON). */
	record(ctx: RequestContext, status: number, reason: string, code?: string): void {
		ctx.entry.rejected = reason;
		this.rejections.push({
			at: new Date().toISOString(),
			endpoint: ctx.endpoint ?? 'unknown',
			method: ctx.method,
			path: ctx.path,
			status,
			...(code === undefined ? {} : { code }),
			reason,
		});
	}

	/** Records the rejection and answers it with the domain's documented body. */
	reject(ctx: RequestContext, reason: string, violation: Violation = {}): void {
		const status = violation.status ?? 400;
		const domain = violation.domain ?? (ctx.endpoint ? domainOf(ctx.endpoint) : 'nql');
		const message = violation.message ?? reason;
		const body = errorBody(domain, status, message, violation.code) as
			| { code?: unknown }
			| undefined;
		this.record(ctx, status, reason, typeof body?.code === 'string' ? body.code : undefined);
		sendError(ctx, domain, status, message, violation.code, violation.headers);
	}
}

/** Rejects the request as breaking the contract: records it and answers (400 by default). */
export function strictViolation(ctx: RequestContext, reason: string, violation?: Violation): void {
	ctx.state.strict.reject(ctx, reason, violation);
}

/**
 * Strict mode only: the first field of `body` the schema does not declare, as a reason, or
 * undefined. Nexthink's JSON readers may ignore unknown fields; a client sending one believes in
 * a field that does not exist (PS sends campaign `params` for `parameters`).
 */
export function unknownField(
	ctx: RequestContext,
	body: Record<string, unknown>,
	declared: readonly string[],
	where = 'The request body',
): string | undefined {
	if (!ctx.state.strict.enabled) return undefined;
	const extra = Object.keys(body).find((key) => !declared.includes(key));
	return extra === undefined
		? undefined
		: `${where} has a field ${show(extra)} the API does not declare (it takes ${declared.join(', ')}).`;
}
