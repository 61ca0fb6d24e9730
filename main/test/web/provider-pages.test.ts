import { describe, expect, it } from 'vitest';
import { createProviderPages } from '../../src/web/provider-pages.js';
import { DesktopError } from '../../src/errors/desktop-error.js';

function setUp() {
  const opened: string[] = [];
  const copied: string[] = [];
  const warnings: Record<string, unknown>[] = [];
  const pages = createProviderPages({
    openExternal: async (url) => {
      opened.push(url);
    },
    writeClipboard: (text) => copied.push(text),
    log: { warn: (_message, fields) => warnings.push(fields) },
  });
  pages.learn([
    { connection: 'github', webOrigins: ['https://github.com'] },
    { connection: 'google-oauth2', webOrigins: ['https://www.google.com'] },
  ]);
  return { pages, opened, copied, warnings };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DesktopError) return error.code;
    throw error;
  }
  return 'OPENED';
}

describe('provider pages', () => {
  it("opens and copies an https URL on the connection's web origins, exactly as given", async () => {
    const { pages, opened, copied } = setUp();
    await pages.open('github', 'https://github.com/alice-example/nimble-kernel');
    pages.copy('google-oauth2', 'https://www.google.com/calendar/event?eid=abc');
    expect(opened).toEqual(['https://github.com/alice-example/nimble-kernel']);
    expect(copied).toEqual(['https://www.google.com/calendar/event?eid=abc']);
  });

  it.each([
    ['another origin', 'github', 'https://evil.example/alice'],
    ['a look-alike host', 'github', 'https://github.com.evil.example/alice'],
    ['credentials before the host', 'github', 'https://github.com@evil.example/'],
    ['an empty user name', 'github', 'https://@github.com/alice'],
    ['plain http', 'github', 'http://github.com/alice'],
    ['another port', 'github', 'https://github.com:8443/alice'],
    ['javascript:', 'github', 'javascript:alert(1)'],
    ['file:', 'github', 'file:///etc/passwd'],
    ['a backslash', 'github', 'https://github.com\\@evil.example/'],
    ['a newline', 'github', 'https://github.com/a\nb'],
    ["another connection's origin", 'github', 'https://www.google.com/calendar'],
    ['a connection the catalogue does not name', 'evil-corp', 'https://github.com/alice'],
    ['not a URL', 'github', 'github.com/alice'],
  ])('refuses %s, opening and copying nothing, and logs why', async (_what, connection, url) => {
    const { pages, opened, copied, warnings } = setUp();
    expect(await refusal(pages.open(connection, url))).toBe('url_not_allowed');
    expect(() => pages.copy(connection, url)).toThrow(DesktopError);
    expect(opened).toEqual([]);
    expect(copied).toEqual([]);
    expect(warnings).toHaveLength(2);
    expect(JSON.stringify(warnings)).not.toContain('/alice');
  });

  it('forgets origins the catalogue no longer names', async () => {
    const { pages, opened } = setUp();
    pages.learn([{ connection: 'google-oauth2', webOrigins: ['https://www.google.com'] }]);
    expect(await refusal(pages.open('github', 'https://github.com/alice'))).toBe('url_not_allowed');
    expect(opened).toEqual([]);
  });
});
