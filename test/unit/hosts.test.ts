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

	it.each([
		['apiBaseUrl', 'acme.api.eu.nexthink.cloud', 'https://t.example/token'],
		['apiBaseUrl', 'ftp://acme.example', 'https://t.example/token'],
		['tokenUrl', 'https://a.example', '/oauth2/default/v1/token'],
		// user info in the URL would send a name and password to whoever the host is
		['tokenUrl', 'https://a.example', `https://${'user'}:${'pw'}@t.example/token`],
	])('refuses a custom %s that is not an absolute http(s) URL', (field, apiBaseUrl, loginUrl) => {
		expect(() =>
			resolveNexthinkHosts({ region: 'custom', apiBaseUrl, tokenUrl: loginUrl }),
		).toThrow(expect.objectContaining({ field }));
	});
});
