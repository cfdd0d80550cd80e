/** Enrichment `POST /api/v1/enrichment/data/fields` (docs/nexthink-api.md §4). */
import { sendError } from '../errors';
import { isRecord, sendJson, type RequestContext } from '../http';
import { accepts, ids, isInteger, show } from '../validate';

type FieldType = 'string' | 'datetime' | { ints: number[] };

/** The identification names (§4) and what each value must be. */
const IDENTIFICATIONS: Record<string, { apiPattern: RegExp }> = {
	'device/device/name': ids.DEVICE_NAME,
	'device/device/uid': ids.DEVICE_UID,
	'user/user/sid': ids.USER_SID,
	'user/user/uid': ids.USER_UID,
	'user/user/upn': ids.ENRICHMENT_USER_UPN,
	'binary/binary/uid': ids.BINARY_UID,
	'package/package/uid': ids.PACKAGE_UID,
};

const FIELDS: Record<string, FieldType> = {
	'device/device/configuration_tag': 'string',
	'device/device/virtualization/desktop_broker': { ints: [0, 1, 2, 3, 4, 5, 6, 7] },
	'device/device/virtualization/type': { ints: [1, 2, 3] },
	'device/device/virtualization/last_update': 'datetime',
	'user/user/ad/last_update': 'datetime',
};
for (const name of [
	'desktop_pool',
	'disk_image',
	'environment_name',
	'hostname',
	'hypervisor_name',
	'instance_size',
	'region',
]) {
	FIELDS[`device/device/virtualization/${name}`] = 'string';
}
for (const name of [
	'city',
	'country_code',
	'department',
	'distinguished_name',
	'email_address',
	'full_name',
	'job_title',
	'office',
	'organizational_unit',
	'username',
]) {
	FIELDS[`user/user/ad/${name}`] = 'string';
}
/** Custom fields (always strings): `<object>/<object>/#<nql_id>` and `user/user/organization/#<nql_id>`. */
const CUSTOM_FIELD_RE = ids.CUSTOM_FIELD_API_NAME;

const objectOf = (name: string) => name.split('/')[0];

export const ENRICHMENT_FIELD_NAMES = Object.keys(FIELDS);

interface ObjectError {
	message: string;
	code: string;
}

function checkValue(name: string, type: FieldType, value: unknown): ObjectError | undefined {
	const wrong = { message: `Wrong type for field '${name}'`, code: 'ENRICH_011' };
	if (value === '') return undefined; // an empty string clears the field
	if (type === 'string') return typeof value === 'string' ? undefined : wrong;
	if (type === 'datetime') {
		return typeof value === 'string' &&
			/^\d{4}-\d{2}-\d{2}/.test(value) &&
			!Number.isNaN(Date.parse(value))
			? undefined
			: wrong;
	}
	if (!isInteger(value)) return wrong;
	return type.ints.includes(value)
		? undefined
		: {
				message: `Invalid value ${value} for field '${name}': allowed values are ${type.ints.join(', ')}`,
				code: 'ENRICH_011',
			};
}

/** The errors of one well-formed enrichment object (empty when it is accepted). */
function checkObject(item: Record<string, unknown>): ObjectError[] {
	const errors: ObjectError[] = [];
	const id = (item.identification as unknown[])[0];
	if (!isRecord(id) || typeof id.name !== 'string' || !(id.name in IDENTIFICATIONS)) {
		const name = isRecord(id) ? id.name : id;
		return [
			{
				message: `Invalid identification name ${show(name)}: use one of ${Object.keys(IDENTIFICATIONS).join(', ')}`,
				code: 'ENRICH_010',
			},
		];
	}
	if (!accepts(IDENTIFICATIONS[id.name], id.value)) {
		errors.push({
			message: `Invalid value ${show(id.value)} for identification '${id.name}'`,
			code: 'ENRICH_010',
		});
	}
	for (const field of item.fields as unknown[]) {
		const name = isRecord(field) ? field.name : undefined;
		if (!isRecord(field) || typeof name !== 'string') {
			errors.push({
				message: `Invalid field ${show(field)}: each field needs a name and a value`,
				code: 'ENRICH_012',
			});
			continue;
		}
		const type: FieldType | undefined =
			FIELDS[name] ?? (CUSTOM_FIELD_RE.test(name) ? 'string' : undefined);
		if (!type) {
			errors.push({ message: `Unknown field '${name}'`, code: 'ENRICH_012' });
		} else if (objectOf(name) !== objectOf(id.name)) {
			errors.push({
				message: `Field '${name}' cannot enrich a ${objectOf(id.name)} identified by '${id.name}'`,
				code: 'ENRICH_013',
			});
		} else {
			const problem = checkValue(name, type, field.value);
			if (problem) errors.push(problem);
		}
	}
	return errors;
}

/** Request-level checks; answers the 400 itself and returns false when the request is rejected. */
function checkRequest(ctx: RequestContext): boolean {
	const fail = (message: string, code: string) => {
		sendError(ctx, 'enrichment', 400, message, code);
		return false;
	};
	if (ctx.jsonError) return fail('Malformed JSON request body.', 'ENRICH_001');
	const body = isRecord(ctx.body) ? ctx.body : {};
	const { enrichments, domain } = body;
	const missing: string[] = [];
	if (!Array.isArray(enrichments) || enrichments.length === 0)
		missing.push('enrichments: must not be empty');
	if (typeof domain !== 'string' || domain.trim() === '') missing.push('domain: must not be blank');
	if (missing.length > 0)
		return fail(`Missing required field(s) [${missing.join(', ')}]`, 'ENRICH_001');
	const items = enrichments as unknown[];
	const limit = ctx.state.options.enrichmentLimit;
	if (items.length > limit) {
		return fail(
			`Reached maximum objects per request. The limit is ${limit} and the request has ${items.length} objects.`,
			'ENRICH_042',
		);
	}
	const invalid: string[] = [];
	items.forEach((item, i) => {
		if (!isRecord(item)) return void missing.push(`enrichments[${i}]: must be an object`);
		if (!Array.isArray(item.identification) || item.identification.length === 0)
			missing.push(`enrichments[${i}].identification: must not be empty`);
		else if (item.identification.length > 1)
			invalid.push(
				`enrichments[${i}].identification: must contain exactly 1 item, got ${item.identification.length}`,
			);
		if (!Array.isArray(item.fields) || item.fields.length === 0)
			missing.push(`enrichments[${i}].fields: must not be empty`);
	});
	if (missing.length > 0)
		return fail(`Missing required field(s) [${missing.join(', ')}]`, 'ENRICH_001');
	if (invalid.length > 0) return fail(`Invalid field(s) [${invalid.join(', ')}]`, 'ENRICH_002');
	return true;
}

export function handleEnrichment(ctx: RequestContext): void {
	if (!checkRequest(ctx)) return;
	const body = ctx.body as { enrichments: Array<Record<string, unknown>>; domain: string };
	const fault = ctx.fault?.type === 'partial' ? ctx.fault : undefined;
	const failed: Array<{ identification: unknown; errors: ObjectError[] }> = [];
	const at = new Date().toISOString();
	body.enrichments.forEach((item, i) => {
		let errors = checkObject(item);
		const forced = fault && (fault.pattern === 'everySecond' ? i % 2 === 0 : i === 0);
		if (forced && errors.length === 0) {
			const first = (item.fields as Array<{ name?: unknown }>)[0];
			errors = [{ message: `Wrong type for field '${String(first?.name)}'`, code: 'ENRICH_011' }];
		}
		if (errors.length > 0) {
			failed.push({ identification: item.identification, errors });
			return;
		}
		const id = (item.identification as Array<{ name: string; value: unknown }>)[0];
		ctx.state.data.enrichments.push({
			domain: body.domain,
			identification: { name: id.name, value: id.value },
			fields: (item.fields as Array<{ name: string; value: unknown }>).map((f) => ({
				name: f.name,
				value: f.value,
			})),
			at,
		});
	});
	if (failed.length === 0) return sendJson(ctx, 200, { status: 'success' });
	if (failed.length === body.enrichments.length && !fault)
		return sendJson(ctx, 400, { status: 'error', errors: failed });
	sendJson(ctx, 207, { status: 'partial_success', errors: failed });
}
