import {
	NodeApiError,
	NodeOperationError,
	type ILoadOptionsFunctions,
	type ResourceMapperFields,
} from 'n8n-workflow';

import { getRemoteAction, isApiEnabled, type RemoteAction } from '../../api/remoteActions';
import { REMOTE_ACTION_NQL_ID } from '../../shared/identifiers';
import { locatorValue } from '../../shared/locator';
import { describedField, notice, unavailable } from './notices';

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
		if (error instanceof NodeApiError)
			return unavailable(
				error,
				`No API-enabled remote action has the NQL ID ${id}. ${REMOTE_ACTION_NQL_ID.fix}`,
			);
		// A NodeOperationError (a credential that cannot be used) comes back as it is.
		throw new NodeOperationError(this.getNode(), error as Error);
	}
	const name = action.name ? `${action.name} (${id})` : id;
	// Details describes every remote action; Execute runs only those enabled for the API.
	if (!isApiEnabled(action))
		return notice(
			`${name} is not enabled for API use, so Execute cannot run it. Tick "API" on its General tab in Nexthink, or pick one from the list, which shows only those the API may run.`,
		);
	const fields = (action.scriptInfo?.inputs ?? []).map((input) => {
		const platforms = [input.usedByWindows ? 'Windows' : '', input.usedByMacOs ? 'macOS' : '']
			.filter(Boolean)
			.join(', ');
		return describedField({
			id: input.id,
			label: `${input.name ?? input.id}${platforms ? ` (${platforms})` : ''}`,
			options: input.options,
			allowCustomValue: input.allowCustomValue,
		});
	});
	return {
		fields,
		emptyFieldsNotice: fields.length ? undefined : `${action.name ?? id} takes no inputs.`,
	};
}
