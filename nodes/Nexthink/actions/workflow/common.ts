import type { IExecuteFunctions, INodePropertyMode } from 'n8n-workflow';

import { nqlIdModes, readNqlIdLocator } from '../../shared/locator';
import { invalidField } from '../../shared/validation';
import {
	WORKFLOW_DETAILS_NQL_ID,
	WORKFLOW_NQL_ID,
	type Identifier,
} from '../../shared/identifiers';
import { quote } from '../../shared/text';

/**
 * The modes of the Workflow picker (`workflowId`): a searchable list, whose values are the IDs
 * exactly as Nexthink lists them, or the NQL ID, sent as typed. Get (details) is the one call
 * documented to take it with or without `#` (WORKFLOW_DETAILS_NQL_ID); Trigger takes it as
 * Nexthink lists it (WORKFLOW_NQL_ID).
 */
export function workflowIdModes(
	searchListMethod: string,
	identifier: Identifier = WORKFLOW_NQL_ID,
): INodePropertyMode[] {
	return nqlIdModes({
		noun: 'workflow',
		searchListMethod,
		identifier,
		idPatternMessage:
			identifier === WORKFLOW_DETAILS_NQL_ID
				? 'Enter the NQL ID of the workflow, for example #restart_service (with or without its #)'
				: 'Enter the NQL ID of the workflow as Nexthink lists it, for example #restart_service',
	});
}

/** The workflow's NQL ID from the locator, checked, as it is sent (as given: no `#` added). */
export function readWorkflowId(
	this: IExecuteFunctions,
	itemIndex: number,
	identifier: Identifier = WORKFLOW_NQL_ID,
): string {
	return readNqlIdLocator.call(this, 'workflowId', itemIndex, 'Workflow', identifier);
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
