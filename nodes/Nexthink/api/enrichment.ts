/** The Enrichment API (docs/nexthink-api.md "Enrichment"): one function per endpoint. */
import { NodeApiError, NodeOperationError, type IDataObject, type JsonObject } from 'n8n-workflow';

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

const REQUEST_LIMIT_FIX =
	'Lower Options > Enrichments per Request to the limit Nexthink names (5,000 on tenants that still have the older limit), then run again.';

/**
 * `POST /api/v1/enrichment/data/fields`. A 400 that rejects every object throws, with the
 * per-object errors in `errorResponse.nexthinkErrors`.
 */
export async function enrichFields(
	context: NexthinkContext,
	request: EnrichmentRequest,
	itemIndex?: number,
): Promise<EnrichmentAnswer> {
	try {
		const { status, body } = await nexthinkRequest.call(context, {
			method: 'POST',
			path: '/api/v1/enrichment/data/fields',
			body: request as unknown as IDataObject,
			operation: 'Enrichment',
			domain: 'enrichment',
			triggersAction: true,
			itemIndex,
		});
		return { status, objectErrors: ((body ?? {}) as IDataObject).errors };
	} catch (error) {
		// Both hand back the error itself when it is already theirs.
		if (!(error instanceof NodeApiError))
			throw new NodeOperationError(context.getNode(), error as Error);
		if ((error.errorResponse as IDataObject | undefined)?.nexthinkCode === 'ENRICH_042')
			error.description = REQUEST_LIMIT_FIX;
		throw new NodeApiError(context.getNode(), error as unknown as JsonObject);
	}
}
