import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { nexthinkAuthenticate, nexthinkPreAuthentication } from './nexthinkToken';


/**
 * The token endpoint as an n8n expression, for the credential test. It repeats the instance
 * and region checks of resolveNexthinkHosts so that a bad value can only ever produce an
 * address under the reserved `.invalid` TLD, never another host.
 */
const TOKEN_URL_EXPRESSION =
	'={{ $credentials.region === "custom" ? String($credentials.tokenUrl).trim() : (["us","eu","pac","meta"].includes($credentials.region) && /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(String($credentials.instance).trim()) ? "https://" + String($credentials.instance).trim().toLowerCase() + "-login." + $credentials.region + ".nexthink.cloud/oauth2/default/v1/token" : "https://instance-or-region-is-invalid.invalid/") }}';

/** The form of the credential test: grant type, scope, and with Client Authentication "body" the client ID and secret. */
const TEST_BODY_EXPRESSION =
	'={{ "grant_type=client_credentials" + (String($credentials.scope ?? "service:integration").trim() ? "&scope=" + encodeURIComponent(String($credentials.scope ?? "service:integration").trim().split(/\\s+/).join(" ")) : "") + ($credentials.clientAuthentication === "body" ? "&client_id=" + encodeURIComponent(String($credentials.clientId).trim()) + "&client_secret=" + encodeURIComponent(String($credentials.clientSecret)) : "") }}';

/** HTTP Basic for Client Authentication "basic"; none for "body" (the form carries the secret). */
const TEST_AUTH_EXPRESSION =
	'={{ $credentials.clientAuthentication === "body" ? undefined : { username: String($credentials.clientId).trim(), password: String($credentials.clientSecret) } }}' as unknown as IHttpRequestOptions['auth'];

export class NexthinkApi implements ICredentialType {
	name = 'nexthinkApi';

	displayName = 'Nexthink API';

	icon: Icon = {
		light: 'file:../nodes/Nexthink/nexthink.svg',
		dark: 'file:../nodes/Nexthink/nexthink.dark.svg',
	};

	// n8n opens a credential's URL as it is (a query is kept); the same page as the nodes' Docs links
	// (shared/documentation.ts), written out because n8n's lint rule reads a literal here.
	documentationUrl =
		'https://github.com/n8n-nodes-nexthink/n8n-nodes-nexthink/blob/main/README.md#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Instance',
			name: 'instance',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'acme',
			description:
				'The instance name only: "acme" for https://acme.api.eu.nexthink.cloud. Letters, digits and hyphens.',
			displayOptions: { hide: { region: ['custom'] } },
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			default: 'eu',
			options: [
				{ name: 'Asia-Pacific (PAC)', value: 'pac' },
				{
					name: 'Custom URLs',
					value: 'custom',
					description: 'A proxy, another host, or the local Nexthink simulator',
				},
				{ name: 'European Union (EU)', value: 'eu' },
				{ name: 'Middle East, Turkey and Africa (META)', value: 'meta' },
				{ name: 'United States (US)', value: 'us' },
			],
			description: 'The region in your Nexthink URL: acme.api.<region>.nexthink.cloud',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://acme.api.eu.nexthink.cloud',
			description:
				'Absolute https URL of the Nexthink API, without query or fragment (http only for localhost)',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://acme-login.eu.nexthink.cloud/oauth2/default/v1/token',
			description:
				'Absolute https URL of the OAuth2 token endpoint (http only for localhost). The node never follows a redirect from it.',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'From Administration > API credentials > New OAuth client credentials',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Shown once when the API credential is created in Nexthink. Give the credential the permissions (Remote Actions API, Workflows API, Campaigns API, NQL API, Enrichment API) the workflows need.',
		},
		{
			displayName: 'Client Authentication',
			name: 'clientAuthentication',
			type: 'options',
			default: 'basic',
			options: [
				{
					name: 'HTTP Basic',
					value: 'basic',
					description: 'Client ID and secret in the Authorization header, as Nexthink documents',
				},
				{
					name: 'In the Form Body',
					value: 'body',
					description: 'Client_id and client_secret in the token request body (client_secret_post)',
				},
			],
			description: 'How the client ID and secret are sent to the token endpoint',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: 'service:integration',
			description:
				'The OAuth scope to ask for. Nexthink documents only service:integration; leave empty to send none.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Access Token Fingerprint',
			name: 'accessTokenFingerprint',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
	];

	/**
	 * Fetches a token (15 minutes) when n8n finds none stored, on a test, or after a 401, and
	 * stores with it the fingerprint of the hosts, client and secret it was issued for.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await nexthinkPreAuthentication(this, credentials);
	}

	/** Bearer token, only for the API host and only while the credential is the one it was issued for. */
	authenticate = nexthinkAuthenticate;

	/**
	 * preAuthentication runs first and proves instance, region, client ID and secret against the
	 * login host, failing with a message that names the likely cause. The request below then asks
	 * the same endpoint once more, as the credential's Client Authentication says (authenticate
	 * never puts the Bearer token on it): the token endpoint is the only call that every Nexthink
	 * API credential may make, whatever its permissions.
	 */
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: TOKEN_URL_EXPRESSION,
			auth: TEST_AUTH_EXPRESSION,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			body: TEST_BODY_EXPRESSION,
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Nexthink rejected the client ID or secret: check them under Administration > API credentials',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'No Nexthink token endpoint there: check the instance name and region',
				},
			},
		],
	};
}
