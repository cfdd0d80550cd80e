/** The longest stretch of a user's value that a message quotes. */
const MAX_QUOTED_CHARACTERS = 80;

/**
 * A user's value as error messages quote it: whole when short, else its start and its length, so
 * a 200,000-character mapping never fills a message (and neither does a secret pasted by mistake).
 */
export function shorten(value: unknown, max = MAX_QUOTED_CHARACTERS): string {
	const text =
		typeof value === 'string'
			? value
			: value === undefined
				? ''
				: typeof value === 'object'
					? (JSON.stringify(value) ?? String(value))
					: String(value);
	if (text.length <= max) return text;
	return `${text.slice(0, max - 3)}... (${text.length.toLocaleString('en-US')} characters)`;
}

/** A user's value in double quotes, shortened: `"LAPTOP-1"`. */
export function quote(value: unknown): string {
	return `"${shorten(value)}"`;
}
