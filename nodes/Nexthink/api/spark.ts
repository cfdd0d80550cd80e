/** The Spark API (docs/nexthink-api.md §7.1): one function per endpoint. */
import type { IDataObject } from 'n8n-workflow';

import type { BadRequestFields } from '../transport/errors';
import { nexthinkRequest, type NexthinkContext } from '../transport/request';

/** A part of the handed-off message (§7.1 `PartDTO`, discriminated by `type`). */
export type SparkPart =
	| { type: 'TEXT'; text: string }
	| { type: 'FILE'; mimeType: string; fileContent: string };

export interface SparkHandoff {
	/** Sent as the `User-Principal-Name` header: the user Spark answers in Microsoft Teams. */
	userPrincipalName: string;
	/** Sent as the `Timezone` header, when set. */
	timezone?: string;
	parts: SparkPart[];
	/** Passed through with the request, string values only. */
	metadata?: Record<string, string>;
}

/** The Spark 400 has no body (§7.1): only the fields that make up the request can be named. */
const HANDOFF_BAD_REQUEST: BadRequestFields = {
	otherwise:
		'Nexthink says nothing more of a refused handoff. Check User Principal Name (the user.upn in NQL), Message (not empty), Options > Attachments (each a file with a MIME type), Metadata (names and text values) and Timezone.',
};

/** `POST /api/v1/spark/handoff`: hands a user's message to Spark, which answers the user in Microsoft Teams (204). */
export async function handOffToSpark(
	context: NexthinkContext,
	handoff: SparkHandoff,
	itemIndex?: number,
): Promise<void> {
	const headers: IDataObject = { 'User-Principal-Name': handoff.userPrincipalName };
	if (handoff.timezone) headers.Timezone = handoff.timezone;
	const body: IDataObject = { message: { parts: handoff.parts } };
	if (handoff.metadata && Object.keys(handoff.metadata).length) body.metadata = handoff.metadata;
	await nexthinkRequest.call(context, {
		method: 'POST',
		path: '/api/v1/spark/handoff',
		headers,
		body,
		operation: 'Spark Handoff',
		domain: 'spark',
		triggersAction: true,
		notFoundHint: `Nexthink knows no user ${handoff.userPrincipalName} for Spark: give the user principal name as Nexthink shows it (user.upn in NQL), in clear text, of a user who has Spark in Microsoft Teams.`,
		badRequest: HANDOFF_BAD_REQUEST,
		itemIndex,
	});
}
