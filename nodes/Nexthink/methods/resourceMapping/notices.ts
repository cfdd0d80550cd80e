import type { NodeApiError, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

/**
 * What a fields section (remote action inputs, workflow parameters) says instead of fields. The
 * editor keeps the last notice it got and shows only "Can't get …" for an error, so every answer
 * about the chosen ID is a notice.
 */
export const notice = (text: string): ResourceMapperFields => ({
	fields: [],
	emptyFieldsNotice: text,
});

/**
 * Why Nexthink did not describe the chosen object, as its fields section says it: `notFound` for
 * an ID nothing has; any other failure is the node's own error for the call (a 403 names the
 * permission to tick), message and fix.
 */
export function unavailable(error: NodeApiError, notFound: string): ResourceMapperFields {
	if (error.httpCode === '404') return notice(notFound);
	const message = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
	return notice(`${message} ${error.description ?? ''}`.trim());
}

/** A field Nexthink describes by ID and options: a dropdown when only the listed options are allowed. */
export function describedField(input: {
	id: string;
	label: string;
	options?: string[];
	allowCustomValue?: boolean;
}): ResourceMapperField {
	const options = input.options ?? [];
	const fixedChoice = options.length > 0 && input.allowCustomValue !== true;
	return {
		id: input.id,
		displayName:
			fixedChoice || !options.length ? input.label : `${input.label}, e.g. ${options.join(' / ')}`,
		required: false,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: fixedChoice ? 'options' : 'string',
		options: fixedChoice ? options.map((value) => ({ name: value, value })) : undefined,
	};
}
