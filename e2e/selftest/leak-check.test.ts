import { startSandbox, type RunningSandbox } from '@linkboard/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIdpTokens, secretsOfSandbox } from '../support/desktop-secrets.js';
import { findLeaks, type Evidence } from '../support/leak-scanner.js';

// The leak check (journey 9) is only as good as its list of secrets and its scanner: shown here on
// a sandbox where a token is minted the way the broker mints one, then planted where the desktop
// side would show it.

describe('leak check', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  /** Dave's Google token refreshed at Google's token endpoint, as the broker does in journey 4. */
  async function refreshDavesGoogleToken(): Promise<string> {
    const dave = (await readIdpTokens(sandbox.info)).find(
      (t) => t.username === 'dave' && t.connection === 'google-oauth2',
    );
    if (!dave?.refreshToken) throw new Error('dave has no Google refresh token');
    const response = await fetch(`${sandbox.info.idpBaseUrls['google-oauth2']}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: dave.refreshToken,
        client_id: sandbox.info.google.clientId,
        client_secret: sandbox.info.google.clientSecret,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it('knows a token refreshed during the run, which the Management API never hands out', async () => {
    const refreshed = await refreshDavesGoogleToken();
    const fromManagement = (await readIdpTokens(sandbox.info)).flatMap((t) => [
      t.accessToken,
      t.refreshToken,
    ]);
    expect(fromManagement).not.toContain(refreshed);

    const secrets = await secretsOfSandbox(sandbox.info);
    const known = secrets.find((secret) => secret.value === refreshed);
    expect(known?.name).toBe('auth0|dave google-oauth2 IdP access token (refresh)');
    // Named without its value.
    expect(secrets.map((secret) => secret.name).join('\n')).not.toContain(refreshed);
    for (const value of [
      sandbox.info.m2m.clientSecret,
      sandbox.info.m2mLimited.clientSecret,
      sandbox.info.tokenVault.clientSecret,
      sandbox.info.google.clientSecret,
    ]) {
      expect(secrets.map((secret) => secret.value)).toContain(value);
    }
  });

  it('finds a planted refreshed token, plain or encoded, and reports nothing on clean evidence', async () => {
    const refreshed = await refreshDavesGoogleToken();
    const secrets = await secretsOfSandbox(sandbox.info);
    const clean: Evidence[] = [
      { where: 'IPC', text: JSON.stringify({ channel: 'broker:request', ok: true, items: [1] }) },
      { where: 'window DOM', text: '<main><h1>Dave</h1><p>3 upcoming events</p></main>' },
    ];
    expect(findLeaks(clean, secrets)).toEqual([]);

    const planted: Evidence[] = [
      ...clean,
      { where: 'IPC', text: JSON.stringify({ channel: 'broker:request', token: refreshed }) },
      { where: 'window localStorage', text: JSON.stringify({ k: encodeURIComponent(refreshed) }) },
      { where: 'window IndexedDB', text: Buffer.from(refreshed).toString('base64') },
    ];
    const leaks = findLeaks(planted, secrets);
    const name = 'auth0|dave google-oauth2 IdP access token (refresh)';
    for (const where of ['IPC', 'window localStorage', 'window IndexedDB']) {
      expect(leaks).toContainEqual({ where, secret: name });
    }
    expect(JSON.stringify(leaks)).not.toContain(refreshed);
  });

  it('finds IdP token shapes no list of known values holds', () => {
    const leaks = findLeaks(
      [
        { where: 'IPC', text: `{"authorization":"Bearer ya29.${'a'.repeat(20)}"}` },
        { where: 'DOM', text: `<p>gho_${'B'.repeat(30)}</p>` },
        { where: 'DOM', text: `<p>EwB${'c1-_'.repeat(6)}</p>` },
        { where: 'sessionStorage', text: `{"r":"1//0${'x'.repeat(40)}"}` },
        // Too short to be a token, and prose that merely mentions a prefix.
        { where: 'clean DOM', text: '<p>tokens start with gho_ or ya29.abc</p>' },
      ],
      [],
    );
    expect(leaks).toEqual([
      { where: 'IPC', secret: 'a text shaped like an IdP token (ya29.…)' },
      { where: 'DOM', secret: 'a text shaped like an IdP token (gho_…)' },
      { where: 'DOM', secret: 'a text shaped like an IdP token (EwB…)' },
      { where: 'sessionStorage', secret: 'a text shaped like an IdP token (1//0…)' },
    ]);
  });
});
