import type {
	ILoadOptionsFunctions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { getRemoteAction } from '../../api/remoteActions';
import { REMOTE_ACTION_NQL_ID } from '../../shared/identifiers';
import { locatorValue } from '../../shared/locator';

/** The chosen remote action's own inputs, as fields: a dropdown where Nexthink lists fixed options. */
export async function getRemoteActionInputs(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const id = locatorValue(
		this.getNodeParameter('remoteActionId', undefined, { extractValue: true }),
	);
	if (!REMOTE_ACTION_NQL_ID.test(id)) {
		return {
			fields: [],
			emptyFieldsNotice: 'Choose a remote action first: its inputs show up here.',
		};
	}
	const action = await getRemoteAction(this, id, 'Remote Action inputs');
	const fields: ResourceMapperField[] = (action.scriptInfo?.inputs ?? []).map((input) => {
		const platforms = [input.usedByWindows ? 'Windows' : '', input.usedByMacOs ? 'macOS' : '']
			.filter(Boolean)
			.join(', ');
		const label = `${input.name ?? input.id}${platforms ? ` (${platforms})` : ''}`;
		const fixedChoice = (input.options?.length ?? 0) > 0 && input.allowCustomValue !== true;
		return {
			id: input.id,
			displayName:
				fixedChoice || !input.options?.length
					? label
					: `${label}, e.g. ${input.options.join(' / ')}`,
			required: false,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type: fixedChoice ? 'options' : 'string',
			options: fixedChoice ? input.options!.map((value) => ({ name: value, value })) : undefined,
		};
	});
	return {
		fields,
		emptyFieldsNotice: fields.length ? undefined : `${action.name ?? id} takes no inputs.`,
	};
}
