/** Data management `POST /api/v1/data-management/device/deletions` (docs/nexthink-api.md §7.1). */
import { randomUUID } from 'node:crypto';

import { header, isRecord, sendJson, type RequestContext } from '../http';
import { strictViolation, unknownField } from '../strict';
import { accepts, ids as identifiers, show } from '../validate';

export const MAX_DELETIONS = 100;

/** The fields of a device entry (§7.1). */
const DEVICE_FIELDS = ['uid', 'name'];

export function handleDeletions(ctx: RequestContext): void {
	const given = header(ctx, 'x-request-id');
	const requestId = accepts(identifiers.REQUEST_UUID, given) ? given : randomUUID();
	const traceparent = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(
		header(ctx, 'traceparent') ?? '',
	);
	const ids = { 'x-request-id': requestId, 'x-trace-id': traceparent ? traceparent[1] : requestId };
	// Every check below is the contract's (§7.1: 1..100 devices, each {uid, name}, neither blank),
	// answered with its documented code and recorded; a malformed but non-blank UID is not one of
	// them: Nexthink answers it per device (INVALID), the rest of the batch goes on.
	const reject = (reason: string, code: string) =>
		strictViolation(ctx, reason, { code, headers: ids });
	if (ctx.jsonError) return reject('Malformed JSON request body.', 'INVALID_REQUEST');
	if (
		ctx.body === undefined ||
		(isRecord(ctx.body) &&
			(ctx.body.devices === undefined ||
				(Array.isArray(ctx.body.devices) && ctx.body.devices.length === 0)))
	) {
		return reject('The request holds no devices.', 'EMPTY_REQUEST');
	}
	if (!isRecord(ctx.body) || !Array.isArray(ctx.body.devices))
		return reject('The body must be {"devices": [{"uid", "name"}]}.', 'INVALID_REQUEST');
	const devices = ctx.body.devices as unknown[];
	if (devices.length > MAX_DELETIONS)
		return reject(
			`The request holds ${devices.length} devices; the maximum is ${MAX_DELETIONS}.`,
			'BATCH_SIZE_EXCEEDED',
		);
	for (const [i, d] of devices.entries()) {
		if (!isRecord(d))
			return reject(
				`devices[${i}] must be an object with uid and name, got ${show(d)}.`,
				'INVALID_REQUEST',
			);
		if (typeof d.uid !== 'string' || d.uid.trim() === '')
			return reject(`devices[${i}].uid must not be blank.`, 'INVALID_REQUEST');
		if (typeof d.name !== 'string' || d.name.trim() === '')
			return reject(`devices[${i}].name must not be blank.`, 'INVALID_REQUEST');
		const extraField = unknownField(ctx, d, DEVICE_FIELDS, `devices[${i}]`);
		if (extraField) return reject(extraField, 'INVALID_REQUEST');
	}
	const extra = unknownField(ctx, ctx.body, ['devices']);
	if (extra) return reject(extra, 'INVALID_REQUEST');
	const { directory } = ctx.state;
	const results = (devices as Array<{ uid: unknown; name: string }>).map((d) => {
		const status: 'SCHEDULED' | 'INVALID' | 'FAILED' = !accepts(identifiers.DEVICE_UID, d.uid)
			? 'INVALID'
			: directory.deviceByUid(d.uid)
				? 'SCHEDULED'
				: 'FAILED';
		return { uid: d.uid, name: d.name, status };
	});
	ctx.state.data.deletions.push({ requestId, devices: results, at: new Date().toISOString() });
	sendJson(
		ctx,
		202,
		{
			scheduledCount: results.filter((r) => r.status === 'SCHEDULED').length,
			status: 'ACCEPTED',
			devices: results,
		},
		ids,
	);
}
