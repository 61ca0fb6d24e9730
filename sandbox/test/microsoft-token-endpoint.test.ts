import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index.js';
import { idpToken, type IdentityEntry } from './support/management.js';

let sandbox: RunningSandbox;
let frank: IdentityEntry;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  frank = await idpToken(sandbox.info, 'auth0|frank', 'windowslive');
});
afterAll(async () => {
  await sandbox?.close();
});

function refresh(form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(sandbox.info.idpTokenUrls.windowslive ?? '', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
}

describe('the Microsoft identity platform token endpoint', () => {
  it('is printed in the start line with its client, under the Microsoft base URL', () => {
    expect(sandbox.info.idpTokenUrls.windowslive).toBe(
      `${sandbox.info.idpBaseUrls.windowslive}/common/oauth2/v2.0/token`,
    );
    expect(sandbox.info.idpClients.windowslive?.clientId).toBe('linkboard-microsoft-sandbox');
  });

  it('refreshes with the scope, answering a new access and refresh token; both refresh tokens work', async () => {
    const client = sandbox.info.idpClients.windowslive ?? { clientId: '', clientSecret: '' };
    expect(frank.refresh_token).toBeTruthy();
    const good = {
      grant_type: 'refresh_token',
      refresh_token: frank.refresh_token ?? '',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      scope: 'offline_access User.Read Mail.Read',
    };
    const response = await refresh(good);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      token_type: 'Bearer',
      scope: 'offline_access User.Read Mail.Read',
      expires_in: 3599,
      ext_expires_in: 3599,
    });
    expect(body.refresh_token).not.toBe(frank.refresh_token);
    const me = await fetch(`${sandbox.info.idpBaseUrls.windowslive}/v1.0/me`, {
      headers: { authorization: `Bearer ${String(body.access_token)}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ mail: 'frank.renew@example.com' });
    // The new refresh token works, and so does the old one: Microsoft does not revoke it on use.
    const again = await refresh({ ...good, refresh_token: String(body.refresh_token) });
    expect(again.status).toBe(200);
    expect((await refresh(good)).status).toBe(200);
  });

  it('refuses as Microsoft does: no scope, a wrong secret, an unknown refresh token', async () => {
    const client = sandbox.info.idpClients.windowslive ?? { clientId: '', clientSecret: '' };
    const good = {
      grant_type: 'refresh_token',
      refresh_token: frank.refresh_token ?? '',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      scope: 'User.Read',
    };
    const { scope: _, ...withoutScope } = good;
    const noScope = await refresh(withoutScope);
    expect(noScope.status).toBe(400);
    expect(await noScope.json()).toMatchObject({
      error: 'invalid_request',
      error_codes: [900144],
      error_description: expect.stringMatching(/^AADSTS900144: .*'scope'/),
    });
    const badSecret = await refresh({ ...good, client_secret: 'not-the-secret' });
    expect(badSecret.status).toBe(401);
    expect(await badSecret.json()).toMatchObject({
      error: 'invalid_client',
      error_codes: [7000215],
    });
    const badToken = await refresh({ ...good, refresh_token: 'M.C-not-a-token' });
    expect(badToken.status).toBe(400);
    expect(await badToken.json()).toMatchObject({ error: 'invalid_grant', error_codes: [70000] });
  });
});
