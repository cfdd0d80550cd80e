/**
 * What n8n's loader (packages/cli/src/load-nodes-and-credentials.ts) changes in a credential
 * type before `CredentialTypes` (packages/cli/src/credential-types.ts) hands it out.
 */
import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** `injectDomainRestrictionFields` (packages/cli/src/load-nodes-and-credentials.ts). */
const DOMAIN_RESTRICTION_FIELDS: INodeProperties[] = [
	{
		displayName: 'Allowed HTTP Request Domains',
		name: 'allowedHttpRequestDomains',
		type: 'options',
		options: [
			{
				name: 'All',
				value: 'all',
				description: 'Allow all requests when used in the HTTP Request node',
			},
			{
				name: 'Specific Domains',
				value: 'domains',
				description: 'Restrict requests to specific domains',
			},
			{
				name: 'None',
				value: 'none',
				description: 'Block all requests when used in the HTTP Request node',
			},
		],
		default: 'all',
		description: 'Control which domains this credential can be used with in HTTP Request nodes',
	},
	{
		displayName: 'Allowed Domains',
		name: 'allowedDomains',
		type: 'string',
		default: '',
		placeholder: 'example.com, *.subdomain.com',
		description: 'Comma-separated list of allowed domains (supports wildcards with *)',
		displayOptions: { show: { allowedHttpRequestDomains: ['domains'] } },
	},
];

/**
 * n8n's loader adds the two domain-restriction fields to every credential type with
 * `authenticate`, `genericAuth` or an OAuth parent. The harness does it on a derived object so
 * the caller's instance stays untouched.
 */
export function loadCredentialType(type: ICredentialType): ICredentialType {
	const shouldAdd =
		type.authenticate !== undefined ||
		type.genericAuth === true ||
		(Array.isArray(type.extends) &&
			['oAuth2Api', 'oAuth1Api', 'googleOAuth2Api'].some((parent) =>
				type.extends?.includes(parent),
			));
	if (
		!shouldAdd ||
		type.hideDomainRestrictionFields === true ||
		type.properties.some((property) => property.name === 'allowedHttpRequestDomains')
	) {
		return type;
	}
	const loaded = Object.create(type) as ICredentialType;
	loaded.properties = [...type.properties, ...DOMAIN_RESTRICTION_FIELDS];
	return loaded;
}
