import {
	NodeApiError,
	NodeOperationError,
	type ILoadOptionsFunctions,
	type ResourceMapperFields,
} from 'n8n-workflow';

import { getWorkflow, isApiEnabled, parametersOf, type WorkflowObject } from '../../api/workflows';
import { WORKFLOW_NQL_ID } from '../../shared/identifiers';
import { locatorValue } from '../../shared/locator';
import { describedField, notice, unavailable } from './notices';

/** The chosen workflow's parameters, as fields: a dropdown where Nexthink allows only its options. */
export async function getWorkflowParameters(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const id = locatorValue(this.getNodeParameter('workflowId', undefined, { extractValue: true }));
	if (!WORKFLOW_NQL_ID.test(id))
		return notice('Choose a workflow first: its parameters show up here.');
	const notFound = `No workflow has the NQL ID ${id}. ${WORKFLOW_NQL_ID.fix}`;
	let workflows: WorkflowObject[];
	try {
		workflows = await getWorkflow(this, id);
	} catch (error) {
		if (error instanceof NodeApiError) return unavailable(error, notFound);
		// A NodeOperationError (a credential that cannot be used) comes back as it is.
		throw new NodeOperationError(this.getNode(), error as Error);
	}
	const workflow = workflows[0];
	if (!workflow) return notice(notFound);
	const name = typeof workflow.name === 'string' && workflow.name ? `${workflow.name} (${id})` : id;
	// Details describes every workflow; Trigger starts only active ones whose API trigger is on.
	if (!isApiEnabled(workflow))
		return notice(
			`${name} has its API trigger off, so Trigger cannot start it. Turn on "API" under the workflow's trigger methods in Nexthink, or pick one from the list, which shows only those the API may start.`,
		);
	const fields = parametersOf(workflow).map((parameter) =>
		describedField({
			id: parameter.id,
			label: parameter.id,
			options: parameter.options,
			allowCustomValue: parameter.allowCustomValue,
		}),
	);
	return {
		fields,
		emptyFieldsNotice: fields.length ? undefined : `${name} takes no parameters.`,
	};
}
