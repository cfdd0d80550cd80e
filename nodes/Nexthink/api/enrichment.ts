/** The Enrichment API (docs/nexthink-api.md "Enrichment"): one function per endpoint. */
import type { IDataObject } from 'n8n-workflow';

import type { BadRequestFields } from '../transport/errors';
import { nexthinkRequest, type NexthinkContext } from '../transport/request';

type EnrichmentValue = string | number;

interface EnrichmentRequest {
	domain: string;
	enrichments: Array<{
		identification: Array<{ name: string; value: string }>;
		fields: Array<{ name: string; value: EnrichmentValue }>;
	}>;
}

export interface EnrichmentAnswer {
	/** 200: every object enriched; 207: some rejected (listed in `objectErrors`). */
	status: number;
	/** Nexthink's `errors`: `[{identification: [{name, value}], errors: [{code, message}]}]`. */
	objectErrors: unknown;
}

/**
 * Where a 400 points: the limit per request (ENRICH_042, the one code with a fix of its own,
 * docs/nexthink-api.md §4), else the part of the request Nexthink's message names.
 */
const BAD_REQUEST: BadRequestFields = {
	named: [
		[
			/\bENRICH_042\b/,
			'Lower Options > Enrichments per Request to the limit Nexthink names (5,000 on tenants that still have the older limit), then run again.',
		],
		[
			/identification/i,
			'Check the identification: Identification Type and Identification Value, or in bulk the identification of each entry of Enrichments (exactly one per entry).',
		],
		[/domain/i, 'Check Domain: a name for the system the values come from, not blank.'],
		[
			/field/i,
			'Check Fields, or in bulk the fields of each entry of Enrichments: a documented field or a custom field NQL ID, at least one per object, with a value of its type.',
		],
	],
	otherwise:
		'Check Domain, the identification (Identification Type and Value) and Fields, or in bulk the entries of Enrichments.',
};

/**
 * `POST /api/v1/enrichment/data/fields`. A 400 that rejects every object throws, with the
 * per-object errors in `errorResponse.nexthinkErrors`.
 */
export async function enrichFields(
	context: NexthinkContext,
	request: EnrichmentRequest,
	itemIndex?: number,
): Promise<EnrichmentAnswer> {
	const { status, body } = await nexthinkRequest.call(context, {
		method: 'POST',
		path: '/api/v1/enrichment/data/fields',
		body: request as unknown as IDataObject,
		operation: 'Enrichment',
		domain: 'enrichment',
		triggersAction: true,
		badRequest: BAD_REQUEST,
		itemIndex,
	});
	return { status, objectErrors: ((body ?? {}) as IDataObject).errors };
}
