import type { IExecuteFunctions, INodePropertyMode } from 'n8n-workflow';

import { nqlIdModes, readNqlIdLocator } from '../../shared/locator';
import { invalidField } from '../../shared/validation';
import { WORKFLOW_NQL_ID, type Identifier } from '../../shared/identifiers';
import { quote } from '../../shared/text';

/** The modes of the Workflow picker (`workflowId`): a searchable list, or the NQL ID with or without `#`. */
export function workflowIdModes(searchListMethod: string): INodePropertyMode[] {
	return nqlIdModes({
		noun: 'workflow',
		searchListMethod,
		identifier: WORKFLOW_NQL_ID,
		idPatternMessage:
			'Enter the NQL ID of the workflow, for example #restart_service (the # is optional)',
	});
}

/** The workflow's NQL ID from the locator, checked and given its `#`. */
export function readWorkflowId(this: IExecuteFunctions, itemIndex: number): string {
	return readNqlIdLocator.call(this, 'workflowId', itemIndex, 'Workflow', WORKFLOW_NQL_ID);
}

/** A UUID the user typed or mapped, checked before any request, as it is sent. */
export function readUuid(
	this: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	field: string,
	identifier: Identifier,
	where: string,
): string {
	const text = typeof value === 'string' ? value.trim() : value === undefined ? '' : String(value);
	if (identifier.test(text)) return identifier.normalise(text);
	throw invalidField.call(
		this,
		itemIndex,
		field,
		text === '' ? 'it is empty' : `${quote(text)} is not a UUID`,
		`Enter a UUID such as ${identifier.example}: ${where}.`,
	);
}
