import { describe, expect, it } from 'vitest';
import { createExternalOpener } from '../../src/auth/external-opener.js';

function setUp(auth0Origin = 'https://tenant.auth0.com') {
  const opened: string[] = [];
  const warnings: Array<Record<string, unknown>> = [];
  const opener = createExternalOpener({
    auth0Origin,
    openExternal: async (url) => {
      opened.push(url);
    },
    log: { warn: (_message, fields = {}) => warnings.push(fields) },
  });
  return { opener, opened, warnings };
}

describe('external opener', () => {
  it('opens /authorize and /v2/logout on the configured origin', async () => {
    const { opener, opened } = setUp();
    await opener.open('https://tenant.auth0.com/authorize?client_id=x&state=s&code_challenge=c');
    await opener.open('https://tenant.auth0.com/v2/logout?returnTo=http%3A%2F%2F127.0.0.1%3A1%2F');
    expect(opened).toEqual([
      'https://tenant.auth0.com/authorize?client_id=x&state=s&code_challenge=c',
      'https://tenant.auth0.com/v2/logout?returnTo=http%3A%2F%2F127.0.0.1%3A1%2F',
    ]);
  });

  it('opens the sandbox origin over loopback http in development', async () => {
    const { opener, opened } = setUp('http://127.0.0.1:4100');
    await opener.open('http://127.0.0.1:4100/authorize?x=1');
    expect(opened).toHaveLength(1);
    await expect(opener.open('http://127.0.0.1:4101/authorize')).rejects.toMatchObject({
      code: 'url_not_allowed',
    });
  });

  it.each([
    ['a look-alike host', 'https://tenant.auth0.com.evil.com/authorize'],
    ['a look-alike prefix', 'https://eviltenant.auth0.com/authorize'],
    ['credentials before the host', 'https://tenant.auth0.com@evil.com/authorize'],
    ['a user name', 'https://user@tenant.auth0.com/authorize'],
    ['an empty user name', 'https://@tenant.auth0.com/authorize'],
    ['a backslash trick', 'https://evil.com\\@tenant.auth0.com/authorize'],
    ['another host', 'https://evil.com/authorize'],
    ['another port', 'https://tenant.auth0.com:8443/authorize'],
    ['another path', 'https://tenant.auth0.com/oauth/token'],
    ['a longer path', 'https://tenant.auth0.com/authorize/extra'],
    ['an encoded path', 'https://tenant.auth0.com/%61uthorize'],
    ['the root', 'https://tenant.auth0.com/'],
    ['plain http', 'http://tenant.auth0.com/authorize'],
    ['javascript:', 'javascript:alert(1)//https://tenant.auth0.com/authorize'],
    ['file:', 'file:///etc/passwd'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['a custom scheme', 'linkboard://callback?code=x&state=y'],
    ['a newline', 'https://tenant.auth0.com/author\nize'],
    ['not a URL', 'tenant.auth0.com/authorize'],
  ])('refuses %s and logs the refusal', async (_name, url) => {
    const { opener, opened, warnings } = setUp();
    await expect(opener.open(url)).rejects.toMatchObject({ code: 'url_not_allowed' });
    expect(opened).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).not.toContain('?');
  });
});
