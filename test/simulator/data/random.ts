/** Deterministic pseudo-random helpers: the same input always gives the same value. */

/** A 32-bit hash (FNV-1a, then murmur3's finaliser for a better spread). */
export function hash32(input: string, seed = 0): number {
	let h = (0x811c9dc5 ^ seed) >>> 0;
	for (let i = 0; i < input.length; i++) {
		h ^= input.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** A version-4-shaped UUID derived from `input`. */
export function uuidFrom(input: string): string {
	let hex = '';
	for (let k = 0; k < 4; k++) hex += hash32(input, Math.imul(k + 1, 0x9e3779b9)).toString(16).padStart(8, '0');
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An integer in [0, range) derived from `input`. */
export function intFrom(input: string, range: number): number {
	return hash32(input) % range;
}

export function pick<T>(list: readonly T[], n: number): T {
	return list[n % list.length];
}
