import type { IExecuteFunctions, INodePropertyMode } from 'n8n-workflow';

import { nqlIdModes, readNqlIdLocator } from '../../shared/locator';
import { invalidField } from '../../shared/validation';
import { UUID_EXAMPLE, UUID_RE, withHash } from '../../shared/identifiers';
import { quote } from '../../shared/text';

/**
 * Workflow NQL IDs, with or without the leading `#`. Nexthink documents no pattern for them
 * (its examples are `#workflow_example` and `#ExampleWorkflow`; a live tenant answered
 * `lab_workflow`), so this only keeps out what can never be one: spaces, `#` inside, empty.
 */
const WORKFLOW_ID_PATTERN = '^#?[A-Za-z0-9_.\\-]{1,255}$';
const WORKFLOW_ID_RE = new RegExp(WORKFLOW_ID_PATTERN);

/** The modes of the Workflow picker (`workflowId`): a searchable list, or the NQL ID with or without `#`. */
export function workflowIdModes(searchListMethod: string): INodePropertyMode[] {
	return nqlIdModes({
		noun: 'workflow',
		searchListMethod,
		placeholder: '#restart_service',
		idPattern: WORKFLOW_ID_PATTERN,
		idPatternMessage:
			'Enter the NQL ID of the workflow, for example #restart_service (the # is optional)',
	});
}

/** The workflow's NQL ID from the locator, checked and given its `#`. */
export function readWorkflowId(this: IExecuteFunctions, itemIndex: number): string {
	const id = readNqlIdLocator.call(
		this,
		'workflowId',
		itemIndex,
		'Workflow',
		WORKFLOW_ID_RE,
		'Pick a workflow from the list, or enter its NQL ID (Workflows > the workflow > General > NQL ID), for example #restart_service.',
	);
	return withHash(id);
}

/** A UUID the user typed or mapped, checked before any request. */
export function readUuid(
	this: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	field: string,
	where: string,
): string {
	const text = typeof value === 'string' ? value.trim() : value === undefined ? '' : String(value);
	if (UUID_RE.test(text)) return text.toLowerCase();
	throw invalidField.call(
		this,
		itemIndex,
		field,
		text === '' ? 'it is empty' : `${quote(text)} is not a UUID`,
		`Enter a UUID such as ${UUID_EXAMPLE}: ${where}.`,
	);
}
