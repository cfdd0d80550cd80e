/**
 * The identifiers of Nexthink objects, said once: what each looks like, what it is called, where
 * users find it in NQL, how to fix a wrong one, and when two values name the same object. Every
 * operation checks its input with these before any request leaves, the editor's regexes come
 * from here, and the simulator (test/simulator/validate.ts) holds requests to the same rules.
 * This file imports nothing: the simulator imports it, and nothing else from nodes/.
 *
 * Each identifier has two patterns:
 * - `pattern`: what the node takes from the user (trimmed). `normalise` turns it into the value
 *   the node sends.
 * - `apiPattern`: what the contract (docs/nexthink-api.md, "§" below) says Nexthink takes:
 *   what the simulator accepts. Where the contract documents no pattern, `pattern` is the
 *   package's choice and may be narrower (it keeps out what cannot be an ID, such as spaces),
 *   while `apiPattern` says only what the contract says (a non-empty string).
 * Whatever `pattern` takes, `normalise` turns into something `apiPattern` takes.
 *
 * Documented exceptions, stated here only:
 * - `0` is a user SID for the Workflows API alone (§6.1, §6.2: `^S(-\d+){2,10}$|^0$`), so only
 *   Workflow > Trigger takes it (WORKFLOW_USER_SID). Campaigns (§3) and Enrichment (§4) say "SID"
 *   and document neither a pattern nor `0`: they get USER_SID, the Workflows pattern without `0`.
 * - SIDs: Windows compares them case-insensitively and writes them upper case, but the only
 *   documented pattern (§6.1) is case-sensitive (`S-`). So the node takes `s-1-5-…` as well and
 *   sends every SID upper case, to every API.
 * - UPNs: only the Workflows API documents a pattern (§6.2, USER_UPN); Enrichment (§4) documents
 *   none and gets the looser ENRICHMENT_USER_UPN, so that valid UPNs (o'brien@…) are not refused.
 *   Spark (§7.1) documents none either: SPARK_USER_UPN, the same shape in printable ASCII (a header).
 * - NQL IDs of workflows, remote actions and campaigns are sent exactly as given: the node neither
 *   adds nor strips a `#` (§3, §5, §6.1: a non-empty string). Nexthink's examples start with `#`,
 *   but a live tenant lists a workflow as `lab_workflow` (§6.5), so the ID Nexthink lists is the
 *   one that works. Only workflow details (§6.5, §9.2 item 5) documents both forms as the same
 *   workflow: WORKFLOW_DETAILS_NQL_ID says so; execute (§6.1) documents nothing of the kind.
 */

export interface Identifier {
	/** What it is called in messages and dropdowns: "Collector UUID". */
	readonly label: string;
	/** A value of the right shape, for placeholders and messages. */
	readonly example: string;
	/** Its NQL field, where users find it (`device.collector.uid`), when it has one. */
	readonly nql?: string;
	/** What the node takes from the user, trimmed (see the file's comment). */
	readonly pattern: RegExp;
	/** What Nexthink's contract says the API takes: what the simulator accepts. */
	readonly apiPattern: RegExp;
	/** `pattern` for the editor's regex validation: surrounding spaces allowed, as the node trims. */
	readonly editorPattern: string;
	/** Where the patterns come from: a section of docs/nexthink-api.md, or "the package's choice". */
	readonly source: string;
	/** What to do about a value that is not one: the error's description. */
	readonly fix: string;
	/** Whether a value the user gave (trimmed) is one: `pattern`. */
	test(value: string): boolean;
	/** The value the node sends for one it took. */
	normalise(value: string): string;
	/** Two values name the same object when their keys are equal. */
	key(value: string): string;
	same(a: string, b: string): boolean;
}

interface Definition {
	label: string;
	example: string;
	nql?: string;
	/** The pattern without anchors. */
	body: string;
	/** The API's pattern without anchors, when it is not `body`. */
	apiBody?: string;
	source: string;
	fix?: string;
	normalise?: (value: string) => string;
	key?: (value: string) => string;
}

const asGiven = (value: string) => value;
const lowerCase = (value: string) => value.toLowerCase();
const upperCase = (value: string) => value.toUpperCase();
const anchored = (body: string) => new RegExp(`^(?:${body})$`);

function identifier(definition: Definition): Identifier {
	const pattern = anchored(definition.body);
	const key = definition.key ?? asGiven;
	const where = definition.nql ? ` (${definition.nql} in NQL)` : '';
	return Object.freeze({
		label: definition.label,
		example: definition.example,
		nql: definition.nql,
		pattern,
		apiPattern: anchored(definition.apiBody ?? definition.body),
		editorPattern: `^\\s*(?:${definition.body})\\s*$`,
		source: definition.source,
		fix:
			definition.fix ??
			`Give the ${definition.label} as Nexthink shows it${where}, for example ${definition.example}.`,
		test: (value: string) => pattern.test(value),
		normalise: definition.normalise ?? asGiven,
		key,
		same: (a: string, b: string) => key(a) === key(b),
	});
}

/** Any non-empty string: what the contract says where it gives no pattern. */
const NON_EMPTY = '[\\s\\S]+';
/** No whitespace, at least one character: the package's choice for NQL IDs without a pattern. */
const NO_WHITESPACE = '\\S+';

/** §6.1 (`devices`), §6.2 (`uid`, `collectorUid`), §6.3 (path parameters); any letter case. */
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const UUID_SOURCE =
	'docs/nexthink-api.md §6.1–6.3 (documented; any letter case, so two UUIDs compare case-insensitively)';
export const UUID_EXAMPLE = '2bdb0941-2507-40de-854a-3efa1784b26b';

/** `^S(-\d+){2,10}$` (§6.1, case-sensitive); the node also takes a lower-case `s`. */
const SID_GIVEN = '[Ss](?:-\\d+){2,10}';
const SID_API = 'S(?:-\\d+){2,10}';
const SID_EXAMPLE = 'S-1-5-21-3623811015-3361044348-30300820-1013';
const sidDefinition = {
	label: 'User SID',
	example: SID_EXAMPLE,
	nql: 'user.sid',
	fix: `Give a Windows SID as Nexthink shows it (user.sid in NQL): S, then 2 to 10 groups of "-" and digits, for example ${SID_EXAMPLE}.`,
	normalise: upperCase,
	key: upperCase,
};

const uuid = (label: string, nql: string | undefined, send: 'asGiven' | 'lowerCase') =>
	identifier({
		label,
		example: UUID_EXAMPLE,
		nql,
		body: UUID,
		source: UUID_SOURCE,
		normalise: send === 'lowerCase' ? lowerCase : asGiven,
		key: lowerCase,
	});

/** Devices. Remote actions take collector UUIDs only (§5.3); workflows all three (§6.1, §6.2). */
export const COLLECTOR_UUID = uuid('Collector UUID', 'device.collector.uid', 'asGiven');
export const DEVICE_UID = uuid('Device UID', 'device.uid', 'asGiven');
export const DEVICE_NAME = identifier({
	label: 'Device Name',
	example: 'LAPTOP-00042',
	nql: 'device.name',
	body: NON_EMPTY,
	// The package's choice: the contract says only "name" (§4, §6.2). Device names compare
	// case-insensitively, as Windows host names do (and as the simulator looks them up).
	source: "docs/nexthink-api.md §4, §6.2 (a string); comparison: the package's choice",
	key: lowerCase,
});

/** Users. Campaigns take SIDs only (§3); enrichment and workflows SIDs, UPNs and UIDs (§4, §6.2). */
export const USER_SID = identifier({
	...sidDefinition,
	body: SID_GIVEN,
	apiBody: SID_API,
	source:
		'docs/nexthink-api.md §6.1 (the only documented SID pattern, without `^0$`), applied to Campaigns (§3) and Enrichment (§4), which document none; either letter case taken, upper case sent',
});
/** The Workflows API's SIDs, which also take `0` (§6.1, §6.2). */
export const WORKFLOW_USER_SID = identifier({
	...sidDefinition,
	body: `${SID_GIVEN}|0`,
	apiBody: `${SID_API}|0`,
	source:
		'docs/nexthink-api.md §6.1, §6.2: `^S(-\\d+){2,10}$|^0$` (documented); either letter case taken, upper case sent',
});
const upnDefinition = {
	label: 'User UPN',
	example: 'jane.doe@example.com',
	nql: 'user.upn',
	fix: 'Give the user principal name as Nexthink shows it (user.upn in NQL), in clear text (not anonymised by the Collector), for example jane.doe@example.com.',
	// UPNs compare case-insensitively (as e-mail addresses and Entra ID do): the package's choice.
	key: lowerCase,
};
/** The Workflows API's UPNs: the pattern it documents (§6.2). */
export const USER_UPN = identifier({
	...upnDefinition,
	body: '[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}',
	source:
		'docs/nexthink-api.md §6.2 (documented for the Workflows API); comparison: case-insensitive',
});
/**
 * Enrichment's UPNs: §4 documents no pattern, and real UPNs hold what the Workflows pattern
 * refuses (o'brien@…, non-ASCII letters): anything of the shape name@domain.tld, without spaces.
 */
export const ENRICHMENT_USER_UPN = identifier({
	...upnDefinition,
	body: '[^\\s@]+@[^\\s@]+\\.[^\\s@]+',
	source:
		"docs/nexthink-api.md §4 (no pattern documented): name@domain without spaces, the package's choice; comparison: case-insensitive",
});
/**
 * Spark's UPNs (§7.1, the `User-Principal-Name` header): no pattern documented, so the shape of
 * ENRICHMENT_USER_UPN, in printable ASCII only: the value travels as an HTTP header, where other
 * characters are refused or garbled, and a UPN (Entra ID's too) is ASCII.
 */
export const SPARK_USER_UPN = identifier({
	...upnDefinition,
	body: '[!-?A-~]+@[!-?A-~]+\\.[!-?A-~]+',
	apiBody: NON_EMPTY,
	source:
		"docs/nexthink-api.md §7.1 (a required header, no pattern documented): name@domain in printable ASCII without spaces, the package's choice; comparison: case-insensitive",
});
export const USER_UID = uuid('User UID', 'user.uid', 'asGiven');

/** Binaries and packages (§4): the contract says only "uid"; compared case-insensitively (the package's choice). */
export const BINARY_UID = identifier({
	label: 'Binary UID',
	example: 'the binary.uid value from NQL',
	nql: 'binary.uid',
	body: NON_EMPTY,
	source: "docs/nexthink-api.md §4 (a string); comparison: the package's choice",
	fix: 'Give the Binary UID of the binary: the binary.uid value from NQL.',
	key: lowerCase,
});
export const PACKAGE_UID = identifier({
	label: 'Package UID',
	example: 'the package.uid value from NQL',
	nql: 'package.uid',
	body: NON_EMPTY,
	source: "docs/nexthink-api.md §4 (a string); comparison: the package's choice",
	fix: 'Give the Package UID of the package: the package.uid value from NQL.',
	key: lowerCase,
});

/** Workflow UUIDs and the UUIDs a trigger returns (§6.1, §6.3): sent lower case, as Nexthink writes them. */
export const WORKFLOW_UUID = uuid('Workflow UUID', undefined, 'lowerCase');
export const EXECUTION_UUID = uuid(
	'Execution UUID',
	'workflow.executions.execution_id',
	'lowerCase',
);
export const REQUEST_UUID = uuid('Request UUID', 'workflow.executions.request_id', 'lowerCase');

/** `cost_center` and `#cost_center` are the same custom field; it is sent with its `#`. */
export function withHash(id: string): string {
	return `#${id.trim().replace(/^#/, '')}`;
}

/** NQL IDs of the objects the node runs. */
export const REMOTE_ACTION_NQL_ID = identifier({
	label: 'Remote Action NQL ID',
	example: '#clear_browser_cache',
	body: NO_WHITESPACE,
	apiBody: NON_EMPTY,
	// §5.3 `remoteActionId` and §5.2 `nql-id` are required strings (examples `#ExampleRA`); no
	// whitespace is the package's choice. Sent as given: no `#` added or stripped.
	source:
		"docs/nexthink-api.md §5.2, §5.3 (a non-empty string); no whitespace: the package's choice",
	fix: 'Pick the remote action from the list, or give its NQL ID as Nexthink shows it (remote action > General), without spaces: it usually starts with #, for example #clear_browser_cache. It is sent exactly as given.',
});
export const CAMPAIGN_NQL_ID = identifier({
	label: 'Campaign NQL ID',
	example: '#general_survey',
	body: NO_WHITESPACE,
	apiBody: NON_EMPTY,
	// §3 `campaignNqlId`: a string, minLength 1 (example `#general_survey`). Sent as given.
	source: "docs/nexthink-api.md §3 (a string, minLength 1); no whitespace: the package's choice",
	fix: 'Give the NQL ID of the campaign as Nexthink shows it (campaign > General > NQL ID), without spaces: it usually starts with #, for example #general_survey. It is sent exactly as given.',
});
const workflowNqlId = {
	label: 'Workflow NQL ID',
	example: '#restart_service',
	// The characters are the package's choice: the contract documents no pattern (§6.1: a string;
	// examples `#workflow_example`, `#ExampleWorkflow`, a live `lab_workflow` in §6.5). This keeps
	// out what can never be one: spaces, a `#` inside, nothing.
	body: '#?[A-Za-z0-9_.\\-]{1,255}',
	apiBody: NON_EMPTY,
	fix: 'Pick the workflow from the list, or give its NQL ID exactly as Nexthink lists it (Workflow > Get Many, or Workflows > the workflow > General > NQL ID), for example #restart_service: the node neither adds nor removes a #.',
};
/**
 * A workflow to trigger (§6.1 `workflowId`): sent exactly as given, and the same workflow only
 * when written the same. §6.1 documents a string (example `#workflow_example`) and no source
 * shows execute taking an ID without its `#` as the same workflow; the one live evidence (the Go
 * SDK, §6.5) sends the ID as the list gave it. So the node sends what Nexthink listed.
 */
export const WORKFLOW_NQL_ID = identifier({
	...workflowNqlId,
	source:
		"docs/nexthink-api.md §6.1 (a string, example `#workflow_example`), §6.5 (a live ID without `#`); sent as given; the characters: the package's choice",
});
/**
 * A workflow to describe (§6.5 `nqlId`): sent as given, but the only endpoint where `lab_workflow`
 * and `#lab_workflow` are documented as the same workflow (the Go SDK's live test sends it
 * without `#`, the older docs' example has one; §9.2 item 5).
 */
export const WORKFLOW_DETAILS_NQL_ID = identifier({
	...workflowNqlId,
	source:
		"docs/nexthink-api.md §6.5, §9.2 item 5 (with or without `#`, the same workflow); sent as given; the characters: the package's choice",
	key: withHash,
});
/** Saved NQL queries (§2.1, documented): `#`, then 2 to 255 lowercase letters, digits or underscores. */
export const SAVED_QUERY_ID = identifier({
	label: 'Query ID',
	example: '#devices_with_issues',
	body: '#[a-z0-9_]{2,255}',
	source: 'docs/nexthink-api.md §2.1: `^#[a-z0-9_]{2,255}$` (documented)',
	fix: 'Use the Query ID of a saved query from Administration > NQL API queries: "#" followed by 2 to 255 lowercase letters, digits or underscores, for example #devices_with_issues.',
});

/** Custom field NQL IDs, as typed (`#cost_center` or `cost_center`); sent with their `#`. */
export const CUSTOM_FIELD_NQL_ID = identifier({
	label: 'Custom Field NQL ID',
	example: '#cost_center',
	// The package's choice: §4 gives `#<nql_id>` without a pattern. Lowercase letters, digits and
	// underscores, as Nexthink's "Copy NQL ID" gives them; at most 64, as PY limits them (§4).
	body: '#?[a-z0-9_]{1,64}',
	apiBody: '#[a-z0-9_]{1,64}',
	source: "docs/nexthink-api.md §4 (`#<nql_id>`, no pattern); the pattern: the package's choice",
	fix: "Give the custom field's NQL ID as Nexthink shows it (Copy NQL ID on the field), for example #cost_center: lowercase letters, digits and underscores, at most 64.",
	normalise: withHash,
	key: withHash,
});
/** The API name of a custom field (§4): `<object>/<object>/#<nql_id>`, users' organisation fields too. */
export const CUSTOM_FIELD_API_NAME = new RegExp(
	`^(?:device/device|user/user(?:/organization)?|binary/binary|package/package)/${CUSTOM_FIELD_NQL_ID.apiPattern.source.slice(1, -1)}$`,
);

/**
 * Export IDs (§2.4): opaque, base64-like (`opaque==`), path-escaped on the status call. The
 * package refuses only dots alone ("." or ".."), which the status URL would resolve to another
 * path.
 */
export const EXPORT_ID = identifier({
	label: 'Export ID',
	example: '{{ $json.exportId }}',
	body: '(?!\\.+$)[\\s\\S]+',
	apiBody: NON_EMPTY,
	source: "docs/nexthink-api.md §2.4 (an opaque string); no dots alone: the package's choice",
	fix: 'Map the exportId that NQL > Export returned, for example {{ $json.exportId }}.',
});
