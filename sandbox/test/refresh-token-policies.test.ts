import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index.js';
import { exchangeCode, postToken, signInForCode } from '@linkboard/testing/headless-sign-in';

let sandbox: RunningSandbox;
let jwks: ReturnType<typeof createRemoteJWKSet>;
let myAccount: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', sandbox.url));
  myAccount = `${sandbox.info.domain}/me/`;
});
afterAll(async () => {
  await sandbox?.close();
});

/** A desktop sign-in for the broker API, as the app does it: its refresh token. */
async function brokerRefreshToken(username: string): Promise<string> {
  const tokens = await exchangeCode(sandbox.info, await signInForCode(sandbox.info, username));
  expect(tokens.status).toBe(200);
  return tokens.body.refresh_token as string;
}

function refresh(refreshToken: string, extra: Record<string, string> = {}) {
  return postToken(sandbox.info, {
    grant_type: 'refresh_token',
    client_id: sandbox.info.desktopClientId,
    refresh_token: refreshToken,
    ...extra,
  });
}

describe('multi-resource refresh tokens (the desktop application’s MRRT policy)', () => {
  it('gives a My Account API token from the broker sign-in’s refresh token, as auth0-spa-js asks for it', async () => {
    const original = await brokerRefreshToken('carol');
    // What auth0-spa-js 2.28 sends with useMrrt for `getTokenSilently({ audience: '…/me/' })`.
    const answer = await refresh(original, {
      audience: myAccount,
      scope: 'openid offline_access create:me:connected_accounts',
    });
    expect(answer.status).toBe(200);
    const scopes = String(answer.body.scope).split(' ');
    expect(scopes).toEqual(
      expect.arrayContaining(['openid', 'offline_access', 'create:me:connected_accounts']),
    );
    expect(scopes).not.toContain('read:linked_accounts');
    const { payload } = await jwtVerify(answer.body.access_token as string, jwks, {
      issuer: sandbox.info.issuer,
      audience: myAccount,
      typ: 'at+jwt',
    });
    expect(payload.sub).toBe('auth0|carol');
    expect(String(payload.scope).split(' ')).toContain('create:me:connected_accounts');

    // Rotation holds: the new token still serves the broker API…
    const rotated = answer.body.refresh_token as string;
    expect(rotated).toBeTruthy();
    expect(rotated).not.toBe(original);
    const broker = await refresh(rotated, {
      audience: sandbox.info.brokerAudience,
      scope: 'openid profile email offline_access read:linked_accounts',
    });
    expect(broker.status).toBe(200);
    const brokerToken = await jwtVerify(broker.body.access_token as string, jwks, {
      issuer: sandbox.info.issuer,
      audience: sandbox.info.brokerAudience,
    });
    expect(brokerToken.payload.scope).toBe('read:linked_accounts');

    // A refresh that names no API still gets the one signed in for.
    const plain = await refresh(broker.body.refresh_token as string);
    expect(plain.status).toBe(200);
    await expect(
      jwtVerify(plain.body.access_token as string, jwks, {
        issuer: sandbox.info.issuer,
        audience: sandbox.info.brokerAudience,
      }),
    ).resolves.toBeDefined();

    // …and the used one is refused (its reuse revokes the family, as for any refresh).
    expect((await refresh(original, { audience: myAccount })).status).toBe(403);
    expect((await refresh(plain.body.refresh_token as string)).status).toBe(403);
  });

  it('refuses an API or a scope no policy names', async () => {
    const refreshToken = await brokerRefreshToken('dave');
    const otherApi = await refresh(refreshToken, {
      audience: 'https://elsewhere.example/',
      scope: 'openid',
    });
    expect(otherApi.status).toBeGreaterThanOrEqual(400);
    expect(otherApi.body.error).toBe('invalid_target');

    const otherScope = await refresh(refreshToken, {
      audience: myAccount,
      scope: 'openid read:me:factors',
    });
    expect(otherScope.status).toBeGreaterThanOrEqual(400);
    expect(otherScope.body.error).toBe('invalid_scope');
  });
});
