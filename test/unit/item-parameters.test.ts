/**
 * withItemParameters (shared/itemParameters) reads parameters faster than n8n's getNodeParameter
 * and must give exactly what n8n gives. A probe node reads each parameter both ways, in n8n-core's
 * real ExecuteContext, for items that differ, lack the field, or hold objects; the test compares
 * and counts how often n8n itself was asked.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	jsonPath,
	readItemValue,
	withItemParameters,
} from '../../nodes/Nexthink/shared/itemParameters';
import { runNode } from '../harness';

const properties: INodeProperties[] = [
	{ displayName: 'Value', name: 'value', type: 'string', default: '' },
	{ displayName: 'Count', name: 'count', type: 'number', default: 0 },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		default: {},
		options: [
			{ displayName: 'Label', name: 'label', type: 'string', default: '' },
			{ displayName: 'Size', name: 'size', type: 'number', default: 1 },
		],
	},
	{
		displayName: 'Rows',
		name: 'rows',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		options: [
			{
				displayName: 'Row',
				name: 'row',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
];

interface Probe {
	name: string;
	fallback?: unknown;
}

/** Reads `probes` for every item through n8n and through withItemParameters; outputs both. */
class ParameterProbe implements INodeType {
	static probes: Probe[] = [];
	static n8nReads = 0;
	/** `ours` read with readItemValue (a list or object in place) instead of the view. */
	static inPlace = false;
	description: INodeTypeDescription = {
		displayName: 'Parameter Probe',
		name: 'parameterProbe',
		icon: 'fa:flask',
		group: ['transform'],
		version: 1,
		description: 'Reads parameters two ways',
		defaults: { name: 'Parameter Probe' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const counting = Object.assign(Object.create(this) as IExecuteFunctions, {
			getNodeParameter: ((...args: Parameters<IExecuteFunctions['getNodeParameter']>) => {
				ParameterProbe.n8nReads++;
				return this.getNodeParameter(...args);
			}) as IExecuteFunctions['getNodeParameter'],
		});
		const fast = withItemParameters(counting, properties);
		const outcome = (read: () => unknown) => {
			try {
				return { value: read() };
			} catch (error) {
				return { error: (error as Error).message };
			}
		};
		return [
			this.getInputData().map((_, index) => {
				const n8n: IDataObject = {};
				const ours: IDataObject = {};
				for (const { name, fallback } of ParameterProbe.probes) {
					n8n[name] = outcome(() => this.getNodeParameter(name, index, fallback)) as IDataObject;
					ours[name] = outcome(() =>
						ParameterProbe.inPlace
							? readItemValue(counting, name, index, fallback)
							: fast.getNodeParameter(name, index, fallback),
					) as IDataObject;
				}
				return { json: { n8n, ours }, pairedItem: { item: index } };
			}),
		];
	}
}

async function probe(
	parameters: INodeParameters,
	probes: Probe[],
	input: INodeExecutionData[],
	inPlace = false,
) {
	ParameterProbe.probes = probes;
	ParameterProbe.inPlace = inPlace;
	ParameterProbe.n8nReads = 0;
	const [out] = await runNode({ nodeType: new ParameterProbe(), parameters, input });
	return {
		out: out.map((item) => item.json as { n8n: IDataObject; ours: IDataObject }),
		reads: ParameterProbe.n8nReads,
	};
}

const items: INodeExecutionData[] = [
	{
		json: {
			device: 'LAPTOP-1',
			n: 1,
			nested: { sid: 'S-1-5-21-1' },
			'device.name': 'D1',
			flag: true,
		},
	},
	{
		json: {
			device: 'LAPTOP-2',
			n: 0,
			nested: { sid: 'S-1-5-21-2' },
			'device.name': 'D2',
			flag: false,
		},
	},
	// Lacks every field: n8n decides (undefined, or its error).
	{ json: {} },
	{ json: { device: null, n: -2.5, nested: null, 'device.name': '' } },
	// Objects and arrays where primitives are expected: n8n decides.
	{ json: { device: ['A', 'B'], n: { x: 1 }, nested: { sid: ['S-1'] }, 'device.name': { a: 1 } } },
	{ json: { device: '  spaced, with comma\nand newline ', n: 1e21, nested: { sid: '' } } },
];

describe('withItemParameters gives what n8n gives', () => {
	it.each([
		['a $json path', '={{ $json.device }}'],
		['a $json path without spaces', '={{$json.device}}'],
		['a bracketed key with a dot', '={{ $json["device.name"] }}'],
		['a single-quoted key', "={{ $json['device'] }}"],
		['a nested path', '={{ $json.nested.sid }}'],
		['a number', '={{ $json.n }}'],
		['a boolean', '={{ $json.flag }}'],
		['a method call (n8n evaluates it)', '={{ $json.device.toUpperCase() }}'],
		['a template with text (n8n evaluates it)', '=dev-{{ $json.device }}'],
		['a whole-item expression', '={{ $json }}'],
		['an item-index expression', '={{ $itemIndex }}'],
		['a plain string', 'LAPTOP-9'],
		['an empty string', ''],
	])('%s: %s', async (_label, value) => {
		const { out } = await probe({ value }, [{ name: 'value', fallback: '' }], items);
		for (const item of out) expect(item.ours).toEqual(item.n8n);
	});

	it('collections with expressions inside, and fallbacks of absent parameters', async () => {
		const parameters: INodeParameters = {
			count: 3,
			options: { label: '={{ $json.device }}', size: 2 },
			rows: {
				row: [
					{ name: 'cost_center', value: '={{ $json.nested.sid }}' },
					{ name: 'fixed', value: 'x' },
				],
			},
		};
		const probes: Probe[] = [
			{ name: 'count' },
			{ name: 'options', fallback: {} },
			{ name: 'options.label', fallback: '' },
			{ name: 'options.size', fallback: 1 },
			{ name: 'options.absent', fallback: 7 },
			{ name: 'rows', fallback: {} },
			{ name: 'value', fallback: 'fallback' },
		];
		const { out } = await probe(parameters, probes, items);
		for (const item of out) expect(item.ours).toEqual(item.n8n);
		// The expressions really differ per item.
		expect(out.map((item) => (item.ours.options as { value: IDataObject }).value.label)).toEqual(
			out.map((item) => (item.n8n.options as { value: IDataObject }).value.label),
		);
		expect((out[0].ours['options.label'] as { value: unknown }).value).toBe('LAPTOP-1');
		expect((out[1].ours['options.label'] as { value: unknown }).value).toBe('LAPTOP-2');
	});

	it('asks n8n once for a parameter without expressions, and never for $json paths the items hold', async () => {
		const many = Array.from({ length: 50 }, (_, n) => ({ json: { device: `D-${n}` } }));
		const constant = await probe({ value: 'LAPTOP-9' }, [{ name: 'value' }], many);
		expect(constant.reads).toBe(1);
		const path = await probe({ value: '={{ $json.device }}' }, [{ name: 'value' }], many);
		expect(path.reads).toBe(0);
		expect(path.out.map((item) => (item.ours.value as { value: unknown }).value)).toEqual(
			many.map((item) => item.json.device),
		);
		// An item without the field goes to n8n; the others do not.
		const mixed = await probe(
			{ value: '={{ $json.device }}' },
			[{ name: 'value' }],
			[...many.slice(0, 3), { json: {} }],
		);
		expect(mixed.reads).toBe(1);
		for (const item of mixed.out) expect(item.ours).toEqual(item.n8n);
	});

	it('gives each read its own copy of an object read once', async () => {
		ParameterProbe.probes = [];
		const { out } = await probe(
			{ options: { label: 'x', size: 2 } },
			[{ name: 'options', fallback: {} }],
			items.slice(0, 2),
		);
		expect(out[0].ours.options).toEqual({ value: { label: 'x', size: 2 } });
		expect((out[0].ours.options as { value: object }).value).not.toBe(
			(out[1].ours.options as { value: object }).value,
		);
	});
});

describe('jsonPath', () => {
	it('reads only plain $json paths, and leaves constructor names to n8n', () => {
		expect(jsonPath('={{ $json.a.b }}')).toEqual(['a', 'b']);
		expect(jsonPath('={{ $json["a.b"][\'c\'] }}')).toEqual(['a.b', 'c']);
		expect(jsonPath('={{ $json.a }} ')).toBeUndefined();
		expect(jsonPath('={{ $json.a || "x" }}')).toBeUndefined();
		expect(jsonPath('={{ $json[0] }}')).toBeUndefined();
		expect(jsonPath('={{ $json.constructor }}')).toBeUndefined();
		expect(jsonPath('={{ $input.item.json.a }}')).toBeUndefined();
	});
});

describe('readItemValue gives what n8n gives, reading lists and objects in place', () => {
	const lists: INodeExecutionData[] = [
		{ json: { list: [{ a: 1 }, { a: 2, b: [true, null] }], nested: { list: ['x'] }, text: '[1]' } },
		{ json: { list: [], nested: { list: { not: 'a list' } }, text: 'plain' } },
		// Lacks the field: n8n decides.
		{ json: {} },
		{ json: { list: null, nested: null, text: 3 } },
	];

	it.each([
		['a $json path to a list', '={{ $json.list }}'],
		['a nested path', '={{ $json.nested.list }}'],
		['a bracketed key', '={{ $json["list"] }}'],
		['a path to text', '={{ $json.text }}'],
		['an expression n8n evaluates', '={{ $json.list.map(entry => entry.a) }}'],
		['no expression', '[{"a": 1}]'],
	])('%s: %s', async (_label, value) => {
		const { out } = await probe({ value }, [{ name: 'value', fallback: '' }], lists, true);
		for (const item of out) expect(item.ours).toEqual(item.n8n);
	});

	it('asks n8n nothing for a $json path the items hold, and the rest of the time what it asks itself', async () => {
		const held = await probe(
			{ value: '={{ $json.list }}' },
			[{ name: 'value' }],
			lists.slice(0, 2),
			true,
		);
		expect(held.reads).toBe(0);
		expect(held.out.map((item) => (item.ours.value as { value: unknown }).value)).toEqual([
			lists[0].json.list,
			[],
		]);
		const absent = await probe(
			{ value: '={{ $json.list }}' },
			[{ name: 'value' }],
			[{ json: {} }],
			true,
		);
		expect(absent.reads).toBe(1);
	});
});
