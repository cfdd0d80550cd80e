import type { INodeType } from 'n8n-workflow';

import { searchApiRemoteActions, searchRemoteActions } from './listSearch/remoteActions';
import { searchApiWorkflows, searchWorkflows, searchWorkflowUuids } from './listSearch/workflows';
import { getRemoteActionInputs } from './resourceMapping/remoteActionInputs';
import { getWorkflowParameters } from './resourceMapping/workflowParameters';

/** The editor's dynamic lists: searchable resource lists, remote action inputs and workflow parameters as fields. */
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
		getWorkflowParameters,
	},
};
