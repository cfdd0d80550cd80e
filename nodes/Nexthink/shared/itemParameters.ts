import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/**
 * Parameter reads at fleet scale. n8n's `getNodeParameter` builds a data proxy and a global
 * expression context (with `DateTime.now()`) on every call that meets an expression, and walks the
 * parameter's schema on every call: ~0.3 ms per item and parameter, seconds at 25,000 items,
 * when the work itself is a property lookup. So, for one execution:
 *
 * - a parameter without any expression in it is read from n8n once, and its value reused;
 * - an expression that only reads the current item's JSON (`{{ $json.device }}`,
 *   `{{ $json["device.name"] }}`, `{{ $json.user.sid }}`), where the value read is a string, number,
 *   boolean or null the item owns, is resolved from the item itself, the way n8n resolves it
 *   (`$json` is the input item's `json`; a full `{{ … }}` gives the value unchanged);
 * - everything else (other expressions, objects and arrays read by expression, fields the item
 *   lacks, read options, fields n8n validates against a schema) is n8n's, per call, unchanged.
 *
 * The results are n8n's own: test/unit/item-parameters.test.ts compares both over items that vary.
 */

type Read = IExecuteFunctions['getNodeParameter'];

/** `={{ $json.a }}`, `={{ $json["a.b"] }}`, `={{ $json.a['b'] }}`: nothing but a path into `$json`. */
const JSON_PATH =
	/^=\{\{\s*\$json((?:\s*\.\s*[A-Za-z_$][\w$]*|\s*\[\s*(?:"[^"\\]*"|'[^'\\]*')\s*\])+)\s*\}\}$/;
const SEGMENT = /\.\s*([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*\]/g;

const UNRESOLVED = Symbol('unresolved');
type Resolved = unknown | typeof UNRESOLVED;

/** The keys of a `$json` path expression, or undefined when the string is not one. */
export function jsonPath(expression: string): string[] | undefined {
	const match = JSON_PATH.exec(expression);
	if (!match) return undefined;
	const keys: string[] = [];
	for (const segment of match[1].matchAll(SEGMENT))
		keys.push(segment[1] ?? segment[2] ?? segment[3]);
	// n8n refuses any expression naming a constructor: leave those to it, with its error.
	return keys.some((key) => /constructor|__proto__|prototype/.test(key)) ? undefined : keys;
}

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

const own = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
}

/** What `$json.<keys>` reads, whatever it is (a list, an object), when the item owns the whole path. */
function readOwnedPath(json: unknown, keys: string[]): Resolved {
	let current = json;
	for (const key of keys) {
		if (!isPlainObject(current) || !own(current, key)) return UNRESOLVED;
		current = current[key];
	}
	return current === undefined ? UNRESOLVED : current;
}

/** What `$json.<keys>` reads, when it is a primitive the item owns along the whole path. */
function readPath(json: unknown, keys: string[]): Resolved {
	const value = readOwnedPath(json, keys);
	return value === null || ['string', 'number', 'boolean'].includes(typeof value)
		? value
		: UNRESOLVED;
}

/**
 * A list or object read from the item in place, when the parameter is nothing but a path into
 * `$json` (`{{ $json.enrichments }}`), else n8n's `getNodeParameter`. n8n's expression sandbox
 * (isolated-vm in n8n 2.x) copies what an expression reads into its own heap and the result back
 * out: for a list of 50,000 entries that is seconds and two copies of the list. The value is the
 * item's own, so the caller must read it and never change it.
 */
export function readItemValue(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallbackValue?: unknown,
): unknown {
	const raw = context.getNode().parameters[name];
	const keys = typeof raw === 'string' ? jsonPath(raw) : undefined;
	if (keys) {
		const resolved = readOwnedPath(context.getInputData()[itemIndex]?.json, keys);
		if (resolved !== UNRESOLVED) return resolved;
	}
	return context.getNodeParameter(name, itemIndex, fallbackValue);
}

/** A deep copy of a parameter value (plain data), so that no caller shares another's objects. */
function copy<T>(value: T): T {
	if (Array.isArray(value)) return value.map(copy) as T;
	if (isPlainObject(value)) {
		const result: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value)) result[key] = copy(entry);
		return result as T;
	}
	return value;
}

/** The property names whose values n8n validates or converts (validateType, resource mappers). */
function validatedNames(properties: INodeProperties[]): Set<string> {
	const names = new Set<string>();
	const validates = (property: INodeProperties | { values?: INodeProperties[] }): boolean => {
		if ('validateType' in property && property.validateType) return true;
		if ('type' in property && property.type === 'resourceMapper') return true;
		const nested =
			'options' in property && Array.isArray(property.options)
				? (property.options as Array<INodeProperties | { values?: INodeProperties[] }>)
				: 'values' in property && Array.isArray(property.values)
					? property.values
					: [];
		return nested.some((entry) => typeof entry === 'object' && validates(entry));
	};
	for (const property of properties) if (validates(property)) names.add(property.name);
	return names;
}

/** How one parameter is read in this execution: once, or per item from the item, or by n8n. */
interface Plan {
	/** No expression in it: its value(s) read once, by fallback and read options. */
	constant: boolean;
	/** The parameter from an item's JSON, or UNRESOLVED (then n8n reads it). */
	fromItem?: (json: unknown) => Resolved;
}

/** The resolver of a raw parameter value, compiled once: undefined when n8n must read it. */
function compile(value: unknown): ((json: unknown) => Resolved) | undefined {
	if (typeof value === 'string') {
		if (!value.startsWith('=')) return () => value;
		const keys = jsonPath(value);
		return keys ? (json) => readPath(json, keys) : undefined;
	}
	if (Array.isArray(value)) {
		const entries = value.map(compile);
		if (entries.some((entry) => !entry)) return undefined;
		return (json) => {
			const result: unknown[] = [];
			for (const entry of entries) {
				const resolved = entry!(json);
				if (resolved === UNRESOLVED) return UNRESOLVED;
				result.push(resolved);
			}
			return result;
		};
	}
	if (isPlainObject(value)) {
		const entries = Object.entries(value).map(([key, entry]) => [key, compile(entry)] as const);
		if (entries.some(([, entry]) => !entry)) return undefined;
		return (json) => {
			const result: Record<string, unknown> = {};
			for (const [key, entry] of entries) {
				const resolved = entry!(json);
				if (resolved === UNRESOLVED) return UNRESOLVED;
				result[key] = resolved;
			}
			return result;
		};
	}
	return () => value;
}

/** How a view tells `readOnce` whether its parameters are the same for every item, and what it read once. */
const CONSTANT = Symbol('sameForEveryItem');
const ONCE = Symbol('readOnce');
interface ItemParametersView {
	[CONSTANT]?: (name: string) => boolean;
	[ONCE]?: Map<string, unknown>;
}

/**
 * What `read` makes of parameters that hold no expression is the same for every item: read and
 * checked once per execution (a 25,000-item run checks its remote action ID once, not 25,000
 * times). `names` must be every parameter `read` reads. A read that throws is not kept: each item
 * gets its own error. Outside the router's view, or when any parameter has an expression, `read`
 * runs per item.
 */
export function readOnce<T>(context: object, names: string[], read: () => T): T {
	const view = context as ItemParametersView;
	const constant = view[CONSTANT];
	if (!constant || !names.every(constant)) return read();
	const once = (view[ONCE] ??= new Map<string, unknown>());
	const key = names.join('\u0000');
	if (once.has(key)) return once.get(key) as T;
	const value = read();
	once.set(key, value);
	return value;
}

/**
 * The execution context with `getNodeParameter` reading as described above; every other member
 * is the context's own. One per execution (the router makes it).
 */
export function withItemParameters(
	context: IExecuteFunctions,
	properties: INodeProperties[],
): IExecuteFunctions {
	const read: Read = context.getNodeParameter.bind(context);
	const validated = validatedNames(properties);
	const parameters = context.getNode().parameters;
	const inputs = context.getInputData();
	const plans = new Map<string, Plan>();
	const constants = new Map<string, unknown>();

	const raw = (name: string): unknown => {
		let current: unknown = parameters;
		for (const key of name.split('.')) {
			if (!isPlainObject(current) || !own(current, key)) return undefined;
			current = current[key];
		}
		return current;
	};

	const planOf = (name: string): Plan => {
		let plan = plans.get(name);
		if (!plan) {
			const value = raw(name);
			if (name.includes('[')) plan = { constant: false };
			else if (!hasExpression(value)) plan = { constant: true };
			// n8n validates (and may convert) what these resolve to: it resolves them.
			else if (validated.has(name.split('.')[0])) plan = { constant: false };
			else plan = { constant: false, fromItem: compile(value) };
			plans.set(name, plan);
		}
		return plan;
	};

	const getNodeParameter = ((
		name: string,
		itemIndex: number,
		fallbackValue?: unknown,
		options?: Parameters<Read>[3],
	): unknown => {
		const plan = planOf(name);
		if (plan.constant) {
			// The same for every item: n8n reads it once (errors are not kept: each item gets its own).
			const key =
				fallbackValue === undefined && options === undefined
					? name
					: `${name}\u0000${JSON.stringify(fallbackValue) ?? ''}\u0000${JSON.stringify(options ?? {})}`;
			if (!constants.has(key)) constants.set(key, read(name, itemIndex, fallbackValue, options));
			return copy(constants.get(key));
		}
		if (plan.fromItem && !options) {
			const item = inputs[itemIndex];
			const resolved = item ? plan.fromItem(item.json) : UNRESOLVED;
			if (resolved !== UNRESOLVED) return resolved;
		}
		return read(name, itemIndex, fallbackValue, options);
	}) as Read;

	const view = Object.assign(Object.create(context) as IExecuteFunctions, { getNodeParameter });
	(view as ItemParametersView)[CONSTANT] = (name) => planOf(name).constant;
	return view;
}
