import { resolveNexthinkHosts } from '../../credentials/nexthinkHosts';

describe('resolveNexthinkHosts', () => {
	it.each(['us', 'eu', 'pac', 'meta'])('maps region %s to the fixed Nexthink hosts', (region) => {
		expect(resolveNexthinkHosts({ instance: 'Acme-Corp', region })).toEqual({
			apiBaseUrl: `https://acme-corp.api.${region}.nexthink.cloud`,
			tokenUrl: `https://acme-corp-login.${region}.nexthink.cloud/oauth2/default/v1/token`,
		});
	});

	it.each([
		'evil.com/x?',
		'acme.evil.com',
		'acme@evil.com',
		'acme:443',
		'-acme',
		'acme-',
		'',
		'a'.repeat(64),
		'acme corp',
		'acme#',
	])('refuses instance %p before building any URL', (instance) => {
		expect(() => resolveNexthinkHosts({ instance, region: 'eu' })).toThrow(
			/Instance .* is not a valid instance name/,
		);
	});

	it('refuses a region that is not one of the four or custom', () => {
		expect(() => resolveNexthinkHosts({ instance: 'acme', region: 'ch' })).toThrow(
			/Region "ch" is not a Nexthink region/,
		);
	});

	it('takes explicit absolute URLs for region custom and trims a trailing slash from the API URL', () => {
		expect(
			resolveNexthinkHosts({
				region: 'custom',
				apiBaseUrl: 'http://127.0.0.1:8901/',
				tokenUrl: 'http://127.0.0.1:8902/oauth2/default/v1/token',
			}),
		).toEqual({
			apiBaseUrl: 'http://127.0.0.1:8901',
			tokenUrl: 'http://127.0.0.1:8902/oauth2/default/v1/token',
		});
	});

	// The error names the field by its label (NexthinkHostError no longer carries a `field`).
	it.each([
		['API Base URL', 'acme.api.eu.nexthink.cloud', 'https://t.example/token'],
		['API Base URL', 'ftp://acme.example', 'https://t.example/token'],
		['Token URL', 'https://a.example', '/oauth2/default/v1/token'],
		// user info in the URL would send a name and password to whoever the host is
		['Token URL', 'https://a.example', `https://${'user'}:${'pw'}@t.example/token`],
	])('refuses a custom %s that is not an absolute http(s) URL', (label, apiBaseUrl, loginUrl) => {
		expect(() =>
			resolveNexthinkHosts({ region: 'custom', apiBaseUrl, tokenUrl: loginUrl }),
		).toThrow(new RegExp(`^${label} must`));
	});

	it('never repeats the password of a URL with user info in its error', () => {
		const typedInUrl = 'pa55-w0rd-in-url';
		expect(() =>
			resolveNexthinkHosts({
				region: 'custom',
				apiBaseUrl: 'https://a.example',
				tokenUrl: `https://someone:${typedInUrl}@t.example/token`,
			}),
		).toThrow(
			expect.objectContaining({
				message: expect.not.stringContaining(typedInUrl) as unknown as string,
			}),
		);
	});

	it.each([
		['API Base URL', 'http://acme.api.eu.nexthink.cloud', 'https://t.example/token'],
		['API Base URL', 'http://10.0.0.5:8901', 'https://t.example/token'],
		['API Base URL', 'http://128.0.0.1', 'https://t.example/token'],
		['API Base URL', 'http://localhost.evil.example', 'https://t.example/token'],
		[
			'Token URL',
			'https://a.example',
			'http://acme-login.eu.nexthink.cloud/oauth2/default/v1/token',
		],
		['Token URL', 'https://a.example', 'http://[::2]/token'],
	])(
		'refuses plain http for the %s of a host that is not loopback, and says to use https',
		(label, apiBaseUrl, tokenUrl) => {
			expect(() => resolveNexthinkHosts({ region: 'custom', apiBaseUrl, tokenUrl })).toThrow(
				new RegExp(`^${label} must use https`),
			);
		},
	);

	it.each([
		['http://127.0.0.1:8901', 'http://127.0.0.1:8902/oauth2/default/v1/token'],
		['http://127.1.2.3', 'http://127.255.255.254/token'],
		['http://localhost:8901', 'http://LOCALHOST:8902/token'],
		['http://[::1]:8901', 'http://[::1]:8902/token'],
	])('accepts plain http for loopback hosts (%s, %s)', (apiBaseUrl, tokenUrl) => {
		const hosts = resolveNexthinkHosts({ region: 'custom', apiBaseUrl, tokenUrl });
		expect(hosts.apiBaseUrl).toBe(new URL(apiBaseUrl).href.replace(/\/+$/, ''));
		expect(hosts.tokenUrl).toBe(new URL(tokenUrl).href);
	});

	it.each([
		'https://acme.example/proxy?tenant=acme',
		'https://acme.example/proxy#api',
		'https://acme.example/?',
		'https://acme.example#',
	])(
		'refuses an API Base URL with a query or fragment (%s): the API path would be lost',
		(apiBaseUrl) => {
			expect(() =>
				resolveNexthinkHosts({ region: 'custom', apiBaseUrl, tokenUrl: 'https://t.example/token' }),
			).toThrow(
				/^API Base URL must not contain a query \(\?…\) or fragment \(#…\).*Use https:\/\/acme\.example/,
			);
		},
	);

	it('keeps a path prefix of the API Base URL (a proxy)', () => {
		expect(
			resolveNexthinkHosts({
				region: 'custom',
				apiBaseUrl: 'https://proxy.example/nexthink/',
				tokenUrl: 'https://proxy.example/nexthink-login/token',
			}).apiBaseUrl,
		).toBe('https://proxy.example/nexthink');
	});
});
