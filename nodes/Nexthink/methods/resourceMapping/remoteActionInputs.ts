import {
	NodeApiError,
	NodeOperationError,
	type ILoadOptionsFunctions,
	type ResourceMapperField,
	type ResourceMapperFields,
} from 'n8n-workflow';

import { getRemoteAction, isApiEnabled, type RemoteAction } from '../../api/remoteActions';
import { REMOTE_ACTION_NQL_ID } from '../../shared/identifiers';
import { locatorValue } from '../../shared/locator';

/**
 * What the inputs section says instead of fields. The editor keeps the last notice it got and
 * shows only "Can't get inputs" for an error, so every answer about the chosen ID is a notice.
 */
const notice = (text: string): ResourceMapperFields => ({ fields: [], emptyFieldsNotice: text });

/**
 * Why Nexthink did not describe the remote action, as the inputs section says it: a 404 is an ID
 * no remote action has; any other failure is the node's own error for the call (a 403 names the
 * permission to tick), message and fix.
 */
function unavailable(error: NodeApiError, id: string): ResourceMapperFields {
	if (error.httpCode === '404')
		return notice(`No API-enabled remote action has the NQL ID ${id}. ${REMOTE_ACTION_NQL_ID.fix}`);
	const message = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
	return notice(`${message} ${error.description ?? ''}`.trim());
}

/** The chosen remote action's own inputs, as fields: a dropdown where Nexthink lists fixed options. */
export async function getRemoteActionInputs(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const id = locatorValue(
		this.getNodeParameter('remoteActionId', undefined, { extractValue: true }),
	);
	if (!REMOTE_ACTION_NQL_ID.test(id))
		return notice('Choose a remote action first: its inputs show up here.');
	let action: RemoteAction;
	try {
		action = await getRemoteAction(this, id, 'Remote Action inputs');
	} catch (error) {
		if (error instanceof NodeApiError) return unavailable(error, id);
		// A NodeOperationError (a credential that cannot be used) comes back as it is.
		throw new NodeOperationError(this.getNode(), error as Error);
	}
	const name = action.name ? `${action.name} (${id})` : id;
	// Details describes every remote action; Execute runs only those enabled for the API.
	if (!isApiEnabled(action))
		return notice(
			`${name} is not enabled for API use, so Execute cannot run it. Tick "API" on its General tab in Nexthink, or pick one from the list, which shows only those the API may run.`,
		);
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
