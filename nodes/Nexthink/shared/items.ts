import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { mapWithConcurrency } from '../transport/batching';

export const DEFAULT_CONCURRENCY = 5;

/** `pairedItem` for an output item that comes from the given input items. */
export const pairedWith = (itemIndexes: number[]) =>
	itemIndexes.length === 1 ? { item: itemIndexes[0] } : itemIndexes.map((item) => ({ item }));

/**
 * The item n8n shows (regular output) or routes (error output) for an input that failed.
 * n8n routes an item to the error output when its json holds only `error`, `message` and
 * `details` (an `item.error` would make n8n replace the json with the bare message), so what
 * Nexthink said goes under `details`.
 */
export function errorItem(
	error: NodeApiError | NodeOperationError,
	pairedItems: number | number[],
	extraDetails: IDataObject = {},
): INodeExecutionData {
	const details: IDataObject = {};
	if (error.description) details.description = error.description;
	if (error instanceof NodeApiError) {
		if (error.httpCode) details.httpCode = error.httpCode;
		const response = error.errorResponse as IDataObject | undefined;
		for (const key of ['nexthinkCode', 'nexthinkMessage', 'nexthinkErrors'])
			if (response?.[key] !== undefined) details[key] = response[key];
	}
	Object.assign(details, extraDetails);
	return {
		json: { error: error.message, details },
		pairedItem: pairedWith(Array.isArray(pairedItems) ? pairedItems : [pairedItems]),
	};
}

/** Any error from an operation, as the n8n error type that names the item. */
export function asNodeError(
	this: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}

/**
 * Runs an operation once per input item, at most `concurrency` at a time, and returns the
 * results in input order, each paired with its item. With "Continue on Fail" a failed item
 * becomes an error item (routed to the error output when that is enabled); without it the first
 * failure in item order stops the node.
 */
export async function runPerItem(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	run: (itemIndex: number) => Promise<IDataObject[] | INodeExecutionData[]>,
	concurrency = DEFAULT_CONCURRENCY,
): Promise<INodeExecutionData[]> {
	const outcomes = await mapWithConcurrency(
		items,
		concurrency,
		async (_item, index) => await run(index),
	);
	const output: INodeExecutionData[] = [];
	outcomes.forEach((outcome, itemIndex) => {
		if (outcome.status === 'fulfilled') {
			for (const result of outcome.value) {
				const item = isExecutionData(result) ? result : { json: result };
				output.push({ ...item, pairedItem: { item: itemIndex } });
			}
			return;
		}
		const error = asNodeError.call(this, outcome.reason, itemIndex);
		if (!this.continueOnFail()) throw error;
		output.push(errorItem(error, itemIndex));
	});
	return output;
}

function isExecutionData(value: IDataObject | INodeExecutionData): value is INodeExecutionData {
	return typeof value.json === 'object' && value.json !== null && !Array.isArray(value.json);
}
