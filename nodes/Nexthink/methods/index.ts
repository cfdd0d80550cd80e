import type { INodeType } from 'n8n-workflow';

import { searchApiRemoteActions, searchRemoteActions } from './listSearch/remoteActions';
import { searchApiWorkflows, searchWorkflows, searchWorkflowUuids } from './listSearch/workflows';
import { getRemoteActionInputs } from './resourceMapping/remoteActionInputs';

/** The editor's dynamic lists: searchable resource lists and the remote action input fields. */
export const methods: INodeType['methods'] = {
	listSearch: {
		searchApiWorkflows,
		searchWorkflows,
		searchWorkflowUuids,
		searchRemoteActions,
		searchApiRemoteActions,
	},
	resourceMapping: {
		getRemoteActionInputs,
	},
};
