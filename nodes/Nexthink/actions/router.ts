import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { withItemParameters } from '../shared/itemParameters';
import { checkToolUse } from '../shared/toolGuard';
import { resources } from './resources';

const properties = Object.values(resources).flatMap((resource) => resource.description);

/** Runs the chosen operation over all input items at once, so operations can combine items. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.operations[operation];
	if (!handler) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported by this version of the node`,
			{ description: 'Choose a resource and an operation from the lists.' },
		);
	}
	// As an AI agent's tool, operations that change something run only when the user allowed it.
	checkToolUse(this, resource, operation);
	// Parameters without expressions read once, `$json` paths from the item (shared/itemParameters).
	return [await handler.execute.call(withItemParameters(this, properties), items)];
}
