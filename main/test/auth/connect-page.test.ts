import { describe, expect, it } from 'vitest';
import { isCompleteCallbackQuery } from '../../src/auth/callback-query.js';
import { parseCustomSchemeCallback } from '../../src/auth/custom-scheme-callback.js';
import { openerFixture } from './opener-fixture.js';

const ORIGIN = 'https://tenant.auth0.com';
const STATE = 'c3RhdGUtb2YtdGhpcy1jb25uZWN0LWF0dGVtcHQ';
const TICKET = 'T1cket_of-the.connect-request';

describe('the Connected Accounts page', () => {
  it('opens {origin}/connect?ticket=… for the pending redirect and expects the connect’s state back', async () => {
    const { opener, opened, expectedStates } = openerFixture();
    await opener.openConnect(`${ORIGIN}/connect?ticket=${TICKET}`, STATE);
    expect(opened).toEqual([`${ORIGIN}/connect?ticket=${TICKET}`]);
    expect(expectedStates).toEqual([STATE]);
  });

  it.each([
    ['another origin', `https://tenant.auth0.com.evil.example/connect?ticket=${TICKET}`],
    ['another path', `${ORIGIN}/authorize?ticket=${TICKET}`],
    ['no ticket', `${ORIGIN}/connect`],
    ['a second parameter', `${ORIGIN}/connect?ticket=${TICKET}&redirect_uri=https://evil.example/`],
    ['a repeated ticket', `${ORIGIN}/connect?ticket=${TICKET}&ticket=${TICKET}`],
    ['a ticket of another shape', `${ORIGIN}/connect?ticket=%3Cscript%3E`],
    ['credentials', `https://user:pass@tenant.auth0.com/connect?ticket=${TICKET}`],
    ['a fragment', `${ORIGIN}/connect?ticket=${TICKET}#x`],
    ['plain http', `http://tenant.auth0.com/connect?ticket=${TICKET}`],
    ['javascript:', 'javascript:alert(1)'],
  ])('refuses %s, opening nothing', async (_case, url) => {
    const { opener, opened, expectedStates, warnings } = openerFixture();
    await expect(opener.openConnect(url, STATE)).rejects.toMatchObject({ code: 'url_not_allowed' });
    expect(opened).toEqual([]);
    expect(expectedStates).toEqual([]);
    // Logged with origin and path only: never the ticket.
    expect(JSON.stringify(warnings)).not.toContain(TICKET);
  });

  it('refuses a state of the wrong shape, and a connect nobody prepared a redirect for', async () => {
    const prepared = openerFixture();
    await expect(
      prepared.opener.openConnect(`${ORIGIN}/connect?ticket=${TICKET}`, 'short'),
    ).rejects.toMatchObject({ code: 'url_not_allowed' });
    const unprepared = openerFixture({ pending: false });
    await expect(
      unprepared.opener.openConnect(`${ORIGIN}/connect?ticket=${TICKET}`, STATE),
    ).rejects.toMatchObject({ code: 'url_not_allowed' });
    expect([...prepared.opened, ...unprepared.opened]).toEqual([]);
  });

  it('does not open the connect page through the sign-in door', async () => {
    const { opener, opened } = openerFixture();
    await expect(opener.open(`${ORIGIN}/connect?ticket=${TICKET}`)).rejects.toMatchObject({
      code: 'url_not_allowed',
    });
    expect(opened).toEqual([]);
  });
});

describe('a connect callback', () => {
  it('is complete with one state and one connect_code, or one error', () => {
    const ok = (query: string) => isCompleteCallbackQuery(new URLSearchParams(query));
    expect(ok(`state=${STATE}&connect_code=abc`)).toBe(true);
    expect(ok(`state=${STATE}&error=access_denied`)).toBe(true);
    expect(ok(`state=${STATE}&connect_code=abc&code=def`)).toBe(false);
    expect(ok(`state=${STATE}&connect_code=abc&error=access_denied`)).toBe(false);
    expect(ok(`state=${STATE}&connect_code=`)).toBe(false);
    expect(ok(`state=${STATE}&connect_code=a&connect_code=b`)).toBe(false);
    expect(ok('connect_code=abc')).toBe(false);
  });

  it('comes back through the custom scheme too', () => {
    expect(parseCustomSchemeCallback(`linkboard://callback?connect_code=abc&state=${STATE}`)).toBe(
      `linkboard://callback?connect_code=abc&state=${STATE}`,
    );
  });
});
