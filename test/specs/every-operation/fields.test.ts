/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: rewrites its fixture on request, never runs inside n8n */
/**
 * The editor shows each resource and operation the fields users saved their workflows with.
 *
 * For every resource and every operation of the Nexthink node, the fields n8n shows once that
 * resource and operation are chosen (displayOptions checked for `resource` and `operation`
 * only; what depends on other fields, such as Limit on Return All, is kept in the recorded
 * displayOptions), in the order the node declares them, each with its name, display name, type,
 * default and displayOptions, and the same for the fields inside collections (Options, Filters)
 * and fixed collections, in their order. Options fields list their values; the Resource and
 * Operation dropdowns their entries whole (name, value, action, description).
 *
 * What it leaves out on purpose: where fields of different operations sit relative to each other
 * in the node's `properties` (n8n shows one operation at a time), the key order inside
 * displayOptions (n8n reads them as a map), and the order of the Operation entries (compared by
 * value; the linter's order, by name, is checked on its own below).
 *
 * test/fixtures/fields.json was computed once, by this file's update mode, from the node as it
 * was before its operations declared their fields through updateDisplayOptions. When a field
 * changes on purpose, rewrite it with `FIELDS_FIXTURE=update npx jest test/specs/every-operation/fields.test.ts`, then
 * `npx prettier --write test/fixtures/fields.json`, and review the diff: a changed name, type or
 * default breaks saved workflows (../shared/INTERFACE.md).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	Workflow,
	type INode,
	type INodeProperties,
	type INodePropertyCollection,
	type INodePropertyOptions,
	type INodeTypes,
	type NodeParameterValueType,
} from 'n8n-workflow';

import { Nexthink } from '../../../nodes/Nexthink/Nexthink.node';
import expected from '../../fixtures/fields.json';

interface FieldView {
	path: string;
	displayName: string;
	type: string;
	default: NodeParameterValueType;
	displayOptions?: unknown;
	/** Options fields: their values; the Resource and Operation dropdowns: their entries. */
	options?: unknown[];
	fields?: FieldView[];
}

type Views = Record<string, Record<string, FieldView[]>>;

/** The same object with its keys sorted, at every depth: key order means nothing to n8n here. */
function canonical(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(canonical);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.keys(value)
			.sort()
			.map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
	);
}

function view(field: INodeProperties, parent = ''): FieldView {
	const path = parent ? `${parent}.${field.name}` : field.name;
	const result: FieldView = {
		path,
		displayName: field.displayName,
		type: field.type,
		default: canonical(field.default) as NodeParameterValueType,
	};
	if (field.displayOptions) result.displayOptions = canonical(field.displayOptions);
	if (field.type === 'options' || field.type === 'multiOptions') {
		const options = (field.options ?? []) as INodePropertyOptions[];
		if (field.name === 'operation')
			result.options = [...options]
				.sort((a, b) => String(a.value).localeCompare(String(b.value)))
				.map(canonical);
		else if (field.name === 'resource') result.options = options.map(canonical);
		else result.options = options.map((option) => option.value);
	}
	if (field.type === 'collection')
		result.fields = ((field.options ?? []) as INodeProperties[]).map((child) => view(child, path));
	if (field.type === 'fixedCollection')
		result.fields = ((field.options ?? []) as INodePropertyCollection[]).flatMap((group) =>
			group.values.map((child) => view(child, `${path}.${group.name}`)),
		);
	return result;
}

/** Whether n8n shows the field for this resource and operation, whatever the other fields say. */
function shownFor(field: INodeProperties, chosen: Record<string, string>): boolean {
	const { show = {}, hide = {} } = field.displayOptions ?? {};
	return Object.entries(chosen).every(
		([key, value]) =>
			(show[key] === undefined || (show[key] as unknown[]).includes(value)) &&
			!(hide[key] as unknown[] | undefined)?.includes(value),
	);
}

function viewsOf(properties: INodeProperties[]): Views {
	const views: Views = {};
	const resourceField = properties.find((field) => field.name === 'resource')!;
	for (const { value } of resourceField.options as INodePropertyOptions[]) {
		const resource = String(value);
		views[resource] = {};
		const operationFields = properties.filter(
			(field) => field.name === 'operation' && shownFor(field, { resource }),
		);
		for (const operationField of operationFields) {
			for (const option of operationField.options as INodePropertyOptions[]) {
				const operation = String(option.value);
				views[resource][operation] = properties
					.filter((field) => shownFor(field, { resource, operation }))
					.map((field) => view(field));
			}
		}
	}
	return views;
}

const actual = viewsOf(new Nexthink().description.properties);

/**
 * `views` with its resources and operations in the order of `order` (the fixture), new ones last:
 * a rewritten fixture's diff then shows what changed, not where an operation moved in a dropdown.
 */
function inOrderOf(views: Views, order: Views): Views {
	const ordered = <T>(record: Record<string, T>, keys: string[]): Record<string, T> =>
		Object.fromEntries(
			[
				...keys.filter((key) => key in record),
				...Object.keys(record).filter((key) => !keys.includes(key)),
			].map((key) => [key, record[key]]),
		);
	return Object.fromEntries(
		Object.entries(ordered(views, Object.keys(order))).map(([resource, operations]) => [
			resource,
			ordered(operations, Object.keys(order[resource] ?? {})),
		]),
	);
}

if (process.env.FIELDS_FIXTURE === 'update')
	writeFileSync(
		join(__dirname, '..', '..', 'fixtures', 'fields.json'),
		`${JSON.stringify(inOrderOf(actual, expected as Views), null, '\t')}\n`,
	);

describe('the fields of each resource and operation', () => {
	it('has the resources and operations it had', () => {
		expect(
			Object.fromEntries(
				Object.entries(actual).map(([resource, operations]) => [
					resource,
					Object.keys(operations).sort(),
				]),
			),
		).toEqual(
			Object.fromEntries(
				Object.entries(expected as Views).map(([resource, operations]) => [
					resource,
					Object.keys(operations).sort(),
				]),
			),
		);
	});

	for (const [resource, operations] of Object.entries(expected as Views))
		for (const [operation, fields] of Object.entries(operations))
			it(`${resource} > ${operation} shows the same fields, in the same order`, () => {
				expect(actual[resource]?.[operation]).toEqual(fields);
			});

	it('lists the operations of each resource by name', () => {
		const unsorted = new Nexthink().description.properties
			.filter((field) => field.name === 'operation')
			.filter((field) => {
				const names = (field.options as INodePropertyOptions[]).map((option) => option.name);
				return names.join('\n') !== [...names].sort((a, b) => a.localeCompare(b)).join('\n');
			})
			.map((field) => String(field.displayOptions?.show?.resource));
		expect(unsorted).toEqual([]);
	});

	it('lists the entries of every Options and Filters collection by display name', () => {
		const unsorted = new Nexthink().description.properties
			.filter((field) => field.type === 'collection')
			.filter((field) => {
				const names = (field.options as INodeProperties[]).map((option) => option.displayName);
				return names.join('\n') !== [...names].sort((a, b) => a.localeCompare(b)).join('\n');
			})
			.map((field) => `${field.name} of ${JSON.stringify(field.displayOptions?.show)}`);
		expect(unsorted).toEqual([]);
	});

	it('reads on the canvas as the dropdowns do: "Execute: Remote Action" for every operation', () => {
		const nodeType = new Nexthink();
		const nodeTypes = {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		} as unknown as INodeTypes;
		const { properties, subtitle } = nodeType.description;
		const resources = (properties[0].options ?? []) as INodePropertyOptions[];
		const mismatches: string[] = [];
		for (const field of properties.filter((property) => property.name === 'operation')) {
			const resource = resources.find((r) => r.value === field.displayOptions?.show?.resource?.[0]);
			for (const operation of field.options as INodePropertyOptions[]) {
				const node: INode = {
					id: 'n',
					name: 'Nexthink',
					type: 'n8n-nodes-nexthink.nexthink',
					typeVersion: 2,
					position: [0, 0],
					parameters: { resource: String(resource?.value), operation: String(operation.value) },
				};
				const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
				const shown = workflow.expression.getSimpleParameterValue(node, subtitle!, 'internal', {});
				// The dropdown's words; "Wait-for-Event" reads "Wait For Event".
				const words = `${operation.name}: ${resource?.name}`.replace(/-/g, ' ').toLowerCase();
				if (String(shown).toLowerCase() !== words) mismatches.push(`${String(shown)} ≠ ${words}`);
			}
		}
		expect(mismatches).toEqual([]);
	});
});
