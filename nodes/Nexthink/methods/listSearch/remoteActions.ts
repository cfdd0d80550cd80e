import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { isApiEnabled, listRemoteActions, type RemoteAction } from '../../api/remoteActions';

function matches(action: RemoteAction, filter?: string): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return [action.name, action.id, action.description].some((text) =>
		text?.toLowerCase().includes(needle),
	);
}

function toResults(actions: RemoteAction[], filter?: string): INodeListSearchResult {
	const results: INodeListSearchItems[] = actions
		.filter((action) => matches(action, filter))
		.sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id))
		.map((action) => ({
			name: action.name ? `${action.name} (${action.id})` : action.id,
			value: action.id,
			description: action.description,
		}));
	return { results };
}

/** Every remote action, for Get. */
export async function searchRemoteActions(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return toResults(await listRemoteActions(this), filter);
}

/** Only the remote actions Nexthink lets the API run (the "API" box on their General tab), for Execute. */
export async function searchApiRemoteActions(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return toResults((await listRemoteActions(this)).filter(isApiEnabled), filter);
}
