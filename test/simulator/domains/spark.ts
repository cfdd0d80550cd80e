/** Spark handoff `POST /api/v1/spark/handoff` (docs/nexthink-api.md §7.1): 204 on success. */
import { sendError } from '../errors';
import { header, isRecord, sendEmpty, type RequestContext } from '../http';
import { unknownField } from '../strict';
import { checkStringMap, show } from '../validate';

/** The fields of each schema of the handoff request (§7.1). */
const BODY_FIELDS = ['message', 'metadata'];
const MESSAGE_FIELDS = ['parts'];
const PART_FIELDS = { TEXT: ['type', 'text'], FILE: ['type', 'mimeType', 'fileContent'] };

/** What breaks the contract in the handoff body, as a reason, or undefined. */
function bodyProblem(ctx: RequestContext): string | undefined {
	if (ctx.jsonError) return 'Malformed JSON request body.';
	const body = ctx.body;
	if (!isRecord(body)) return 'The body must be {"message": {"parts": [...]}, "metadata"?}.';
	if (!isRecord(body.message)) return 'message is required and must be an object with parts.';
	const parts = body.message.parts;
	if (!Array.isArray(parts) || parts.length === 0)
		return 'message.parts is required and must hold at least one part.';
	for (const [i, part] of parts.entries()) {
		if (!isRecord(part)) return `message.parts[${i}] must be an object, got ${show(part)}.`;
		if (part.type === 'TEXT') {
			if (typeof part.text !== 'string' || part.text.length === 0)
				return `message.parts[${i}].text must be a non-empty string (TEXT part).`;
		} else if (part.type === 'FILE') {
			if (typeof part.mimeType !== 'string' || part.mimeType.length === 0)
				return `message.parts[${i}].mimeType must be a non-empty string (FILE part).`;
			if (typeof part.fileContent !== 'string')
				return `message.parts[${i}].fileContent must be a string (FILE part).`;
		} else {
			return `message.parts[${i}].type ${show(part.type)} must be TEXT or FILE.`;
		}
		const extraPart = unknownField(
			ctx,
			part,
			PART_FIELDS[part.type as keyof typeof PART_FIELDS],
			`message.parts[${i}]`,
		);
		if (extraPart) return extraPart;
	}
	const mapError = checkStringMap(body.metadata, 'metadata');
	if (mapError) return `${mapError}.`;
	return (
		unknownField(ctx, body.message, MESSAGE_FIELDS, 'message') ??
		unknownField(ctx, body, BODY_FIELDS)
	);
}

export function handleHandoff(ctx: RequestContext): void {
	const upn = header(ctx, 'user-principal-name');
	// The domain's 400 has no body: the rejection is recorded, the answer sent bare.
	const reject = (reason: string) => {
		ctx.state.strict.record(ctx, 400, reason);
		sendEmpty(ctx, 400);
	};
	if (!upn || upn.trim() === '') return reject('The User-Principal-Name header is required.');
	const problem = bodyProblem(ctx);
	if (problem) return reject(problem);
	const body = ctx.body as { message: unknown; metadata?: unknown };
	if (!ctx.state.directory.userByUpn(upn))
		return sendError(ctx, 'spark', 404, `User '${upn}' not found.`);
	ctx.state.data.sparkHandoffs.push({
		userPrincipalName: upn,
		timezone: header(ctx, 'timezone') ?? null,
		message: body.message,
		metadata: body.metadata ?? null,
		at: new Date().toISOString(),
	});
	sendEmpty(ctx, 204);
}
