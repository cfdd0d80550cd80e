/** The Data management API (docs/nexthink-api.md §7.1): one function per endpoint. */
import { NodeApiError, type IDataObject } from 'n8n-workflow';

import { DEVICE_UID } from '../shared/identifiers';
import type { BadRequestFields } from '../transport/errors';
import { headerValue, nexthinkRequest, type NexthinkContext } from '../transport/request';

/** Most devices one deletion request takes (§7.1: "configurable per deployment", 100 documented). */
export const MAX_DELETIONS_PER_REQUEST = 100;

/** The permission the credential's token must carry (§1.5, §7.1). */
export const DELETION_PERMISSION = 'nx_dataplatform_device_deletion_api';

/** A device to delete: its UID and its name, as the Collector reports them. */
export interface DeviceToDelete {
	uid: string;
	name: string;
}

/** Nexthink's per-device status; null when its answer did not mention the device. */
export type DeletionStatus = 'SCHEDULED' | 'INVALID' | 'FAILED' | null;

export interface DeviceDeletionResult extends IDataObject {
	uid: string;
	name: string;
	status: DeletionStatus;
	scheduled: boolean;
	/** What the status means, in words. */
	message: string;
}

export interface DeviceDeletionAnswer {
	/** `x-request-id`: the one the node sent, as Nexthink echoed it. */
	requestId: string;
	/** `x-trace-id`, when Nexthink sent one. */
	traceId: string | null;
	/** Nexthink's `scheduledCount`, else the devices it answered SCHEDULED. */
	scheduledCount: number;
	/** Nexthink's `status` (`ACCEPTED`), or null. */
	status: string | null;
	/** One per device sent, in the order sent. */
	devices: DeviceDeletionResult[];
}

const MEANING: Record<string, string> = {
	SCHEDULED: 'Queued for deletion: Nexthink removes the device in the background',
	INVALID: 'Nexthink skipped it: the device UID is malformed',
	FAILED: 'Nexthink could not schedule it (a downstream error): try it again later',
};
export const NOT_IN_ANSWER =
	"Nexthink's answer did not mention this device: whether it was scheduled is not known";

/**
 * Where a 400 points (§7.1 documents each code): the devices, or the credential's tenant.
 */
const DELETION_BAD_REQUEST: BadRequestFields = {
	named: [
		[
			/\bEMPTY_TENANT\b/,
			"Nexthink could not tell the tenant from the credential's token: check that the API credential belongs to this instance, and that the credential's URLs are this instance's.",
		],
		[
			/\bBATCH_SIZE_EXCEEDED\b/,
			'Your tenant takes fewer devices per request than the node sent: lower Options > Devices per Request.',
		],
		[
			/\bEMPTY_REQUEST\b|\bINVALID_REQUEST\b|uid|name/i,
			'Check Device UID and Device Name: each device needs its UID (device.uid in NQL) and its name (device.name), neither blank.',
		],
	],
	otherwise:
		'Check Device UID and Device Name (device.uid and device.name in NQL), and Options > Devices per Request (at most 100).',
};

/** The 403's fix: the permission, or the feature, Nexthink says is missing. */
const DELETION_FORBIDDEN = `The API credential needs the Data management permission: under Administration > API credentials, tick "Data management" on it (its token then carries the permission ${DELETION_PERMISSION}). If Nexthink answered FEATURE_NOT_ENABLED, the Data management API is not enabled for your tenant: ask Nexthink to enable it.`;

/** Nexthink's per-device answer, in the order sent; a device it did not mention gets status null. */
function readDevices(sent: DeviceToDelete[], body: IDataObject): DeviceDeletionResult[] {
	const answered = Array.isArray(body.devices) ? (body.devices as IDataObject[]) : [];
	const byUid = new Map<string, string>();
	for (const entry of answered) {
		if (typeof entry?.uid === 'string' && typeof entry.status === 'string')
			byUid.set(DEVICE_UID.key(entry.uid), entry.status);
	}
	return sent.map(({ uid, name }): DeviceDeletionResult => {
		const given = byUid.get(DEVICE_UID.key(uid));
		const status = (given ?? null) as DeletionStatus;
		return {
			uid,
			name,
			status,
			scheduled: status === 'SCHEDULED',
			message:
				status === null
					? NOT_IN_ANSWER
					: (MEANING[status] ?? `Nexthink answered ${status} for this device`),
		};
	});
}

/**
 * `POST /api/v1/data-management/device/deletions`: schedules up to 100 devices for deletion
 * (202, a status per device). `requestId` goes out as `x-request-id`, so that Nexthink support can
 * find the request even when it failed; errors carry it too.
 */
export async function scheduleDeviceDeletions(
	context: NexthinkContext,
	devices: DeviceToDelete[],
	requestId: string,
	itemIndex?: number,
): Promise<DeviceDeletionAnswer> {
	let response: Awaited<ReturnType<typeof nexthinkRequest>> | undefined;
	let failure: unknown;
	try {
		response = await nexthinkRequest.call(context, {
			method: 'POST',
			path: '/api/v1/data-management/device/deletions',
			headers: { 'x-request-id': requestId },
			body: { devices: devices.map(({ uid, name }) => ({ uid, name })) },
			operation: 'Device Schedule Deletion',
			domain: 'dataManagement',
			triggersAction: true,
			forbiddenHint: DELETION_FORBIDDEN,
			badRequest: DELETION_BAD_REQUEST,
			itemIndex,
		});
	} catch (error) {
		failure = error;
	}
	if (!response) {
		// Nexthink support finds a request by its x-request-id (§7.1): say it on every failure.
		if (failure instanceof NodeApiError) {
			failure.context.requestId = requestId;
			failure.description = `${failure.description ? `${failure.description} ` : ''}The request's x-request-id is ${requestId}: give it to Nexthink support to trace it.`;
		}
		throw failure;
	}
	const body = (response.body ?? {}) as IDataObject;
	const results = readDevices(devices, body);
	return {
		requestId: headerValue(response.headers, 'x-request-id') ?? requestId,
		traceId: headerValue(response.headers, 'x-trace-id') ?? null,
		scheduledCount:
			typeof body.scheduledCount === 'number'
				? body.scheduledCount
				: results.filter((result) => result.scheduled).length,
		status: typeof body.status === 'string' ? body.status : null,
		devices: results,
	};
}
