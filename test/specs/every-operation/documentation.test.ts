/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test: reads README.md and the codex files beside the nodes, never runs inside n8n */
/**
 * The "Docs" links open the README section they name. n8n 2.x opens a node's `documentationUrl`
 * as it is when it is an http(s) URL, and otherwise the codex's primaryDocumentation URL with
 * `?utm_source=…` appended (n8n-editor-ui NodeSettings): appended after an `#anchor`, that query
 * becomes part of the anchor and the page opens at its top. A credential's URL is opened as it is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NexthinkApi } from '../../../credentials/NexthinkApi.credentials';
import { Nexthink } from '../../../nodes/Nexthink/Nexthink.node';
import { NexthinkTrigger } from '../../../nodes/NexthinkTrigger/NexthinkTrigger.node';

const ROOT = join(__dirname, '..', '..', '..');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N} _-]/gu, '')
		.replace(/ /g, '-');

const readmeAnchors = readFileSync(join(ROOT, 'README.md'), 'utf8')
	.split('\n')
	.filter((line) => /^#{1,6} /.test(line))
	.map((line) => anchorOf(line.replace(/^#+ /, '')));

const codexUrls = (file: string): string[] => {
	const codex = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as {
		resources: Record<string, Array<{ url: string }>>;
	};
	return Object.values(codex.resources).flatMap((links) => links.map((link) => link.url));
};

describe('the Docs links open the README section they name', () => {
	it.each([
		['Nexthink', new Nexthink().description.documentationUrl, 'operations'],
		['Nexthink Trigger', new NexthinkTrigger().description.documentationUrl, 'nexthink-trigger'],
		['the credential', new NexthinkApi().documentationUrl, 'credentials'],
	])('%s: an https URL without a query, at a README heading', (_name, url, anchor) => {
		const parsed = new URL(String(url));

		expect(parsed.protocol).toBe('https:');
		expect(parsed.search).toBe('');
		expect(parsed.hash).toBe(`#${anchor}`);
		expect(readmeAnchors).toContain(anchor);
	});

	it.each(['nodes/Nexthink/Nexthink.node.json', 'nodes/NexthinkTrigger/NexthinkTrigger.node.json'])(
		'%s: URLs that stay the same page when n8n appends ?utm_source=…',
		(file) => {
			const page = new URL(String(new Nexthink().description.documentationUrl));
			for (const url of codexUrls(file)) {
				const opened = new URL(`${url}?utm_source=n8n_app&utm_medium=node_settings_modal`);
				expect(`${opened.origin}${opened.pathname}`).toBe(`${page.origin}${page.pathname}`);
				expect(opened.hash).toBe('');
			}
		},
	);
});
