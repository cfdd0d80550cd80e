import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** Return All / Limit, as every n8n "Get Many" has. */
export function returnAllOrLimit(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

export function simplifyField(
	show: Record<string, string[]>,
	fieldsShown: string,
): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: `Whether to return a simplified version of the response instead of the raw data (${fieldsShown})`,
		displayOptions: { show },
	};
}

/** Applies Return All / Limit to a list the API returned whole. */
export function limitList<T>(this: IExecuteFunctions, list: T[], itemIndex: number): T[] {
	if (this.getNodeParameter('returnAll', itemIndex, false) as boolean) return list;
	const limit = this.getNodeParameter('limit', itemIndex, 50) as number;
	return list.slice(0, Math.max(0, limit));
}

/** Keeps the named keys (dot paths allowed) of an object, flattening them to their last name. */
export function pick(source: IDataObject, paths: Record<string, string>): IDataObject {
	const result: IDataObject = {};
	for (const [target, path] of Object.entries(paths)) {
		let value: unknown = source;
		for (const key of path.split('.')) value = (value as IDataObject | undefined)?.[key];
		if (value !== undefined) result[target] = value as IDataObject[string];
	}
	return result;
}
