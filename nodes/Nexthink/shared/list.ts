import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** Applies Return All / Limit (see ./fields) to a list the API returned whole. */
export function limitList<T>(context: IExecuteFunctions, list: T[], itemIndex: number): T[] {
	if (context.getNodeParameter('returnAll', itemIndex, false) as boolean) return list;
	const limit = context.getNodeParameter('limit', itemIndex, 50) as number;
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
