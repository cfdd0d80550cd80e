/** Identifier patterns of Nexthink objects, checked in the editor and again before any request. */

/** Remote action NQL IDs look like `#clear_browser_cache` (Nexthink's own examples: `#ExampleRA`). */
export const REMOTE_ACTION_ID = /^#[A-Za-z0-9_.-]{1,255}$/;
export const REMOTE_ACTION_ID_PATTERN = '^#[A-Za-z0-9_.\\-]{1,255}$';
export const REMOTE_ACTION_ID_FIX =
	'Pick the remote action from the list, or give its NQL ID as shown in Nexthink (remote action > General), for example #clear_browser_cache';

/** Identifier patterns of the Workflows API (docs/nexthink-api.md "Workflows"). */
export const UUID_RE =
	/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const SID_RE = /^S(-\d+){2,10}$|^0$/;
export const UPN_RE = /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/;

export const UUID_EXAMPLE = '2bdb0941-2507-40de-854a-3efa1784b26b';

/** `restart_service` and `#restart_service` are the same workflow; Nexthink's examples use `#`. */
export function withHash(id: string): string {
	return `#${id.trim().replace(/^#/, '')}`;
}
