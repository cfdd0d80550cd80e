/** Spark handoff `POST /api/v1/spark/handoff` (docs/nexthink-api.md §7.1): 204 on success. */
import { sendError } from '../errors';
import { header, isRecord, sendEmpty, type RequestContext } from '../http';

function validParts(parts: unknown): boolean {
	if (!Array.isArray(parts) || parts.length === 0) return false;
	return parts.every(
		(p) =>
			isRecord(p) &&
			((p.type === 'TEXT' && typeof p.text === 'string' && p.text.length > 0) ||
				(p.type === 'FILE' && typeof p.mimeType === 'string' && typeof p.fileContent === 'string')),
	);
}

export function handleHandoff(ctx: RequestContext): void {
	const upn = header(ctx, 'user-principal-name');
	// 400 has no body in this domain.
	if (!upn || upn.trim() === '') return sendEmpty(ctx, 400);
	if (
		ctx.jsonError ||
		!isRecord(ctx.body) ||
		!isRecord(ctx.body.message) ||
		!validParts(ctx.body.message.parts)
	)
		return sendEmpty(ctx, 400);
	if (ctx.body.metadata !== undefined && !isRecord(ctx.body.metadata)) return sendEmpty(ctx, 400);
	if (!ctx.state.directory.userByUpn(upn))
		return sendError(ctx, 'spark', 404, `User '${upn}' not found.`);
	ctx.state.data.sparkHandoffs.push({
		userPrincipalName: upn,
		timezone: header(ctx, 'timezone') ?? null,
		message: ctx.body.message,
		metadata: ctx.body.metadata ?? null,
		at: new Date().toISOString(),
	});
	sendEmpty(ctx, 204);
}
