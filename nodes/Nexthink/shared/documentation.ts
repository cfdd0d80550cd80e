/**
 * The README on GitHub: the page the node panel's "Docs" link opens. n8n uses a node's
 * `documentationUrl` exactly as it is, but appends `?utm_source=…` to a codex URL (after any
 * `#anchor`, which then breaks): so anchors live only here, in URLs without a query.
 */
const README = 'https://github.com/n8n-nodes-nexthink/n8n-nodes-nexthink/blob/main/README.md';

/** The README section of a node, by its heading's anchor. */
export const readmeSection = (anchor: 'operations' | 'nexthink-trigger' | 'credentials') =>
	`${README}#${anchor}`;
