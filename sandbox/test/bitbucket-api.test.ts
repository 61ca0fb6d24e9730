import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index.js';
import { idpToken, type IdentityEntry } from './support/management.js';

let sandbox: RunningSandbox;
let frank: IdentityEntry;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  frank = await idpToken(sandbox.info, 'auth0|frank', 'bitbucket');
});
afterAll(async () => {
  await sandbox?.close();
});

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

function refresh(form: Record<string, string>, authorization?: string) {
  return fetch(sandbox.info.idpTokenUrls.bitbucket ?? '', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization ? { authorization } : {}),
    },
    body: new URLSearchParams(form),
  });
}

describe('Bitbucket Cloud', () => {
  it('refuses the expired seeded token in its error shape', async () => {
    const response = await fetch(`${sandbox.info.idpBaseUrls.bitbucket}/2.0/user`, {
      headers: { authorization: `Bearer ${frank.access_token ?? ''}` },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      type: 'error',
      error: { message: expect.any(String) },
    });
  });

  it('refreshes with the client as HTTP Basic only, and the new token reads the user and pages repositories', async () => {
    const client = sandbox.info.idpClients.bitbucket ?? { clientId: '', clientSecret: '' };
    const form = { grant_type: 'refresh_token', refresh_token: frank.refresh_token ?? '' };
    const inForm = await refresh({
      ...form,
      client_id: client.clientId,
      client_secret: client.clientSecret,
    });
    expect(inForm.status).toBe(401);
    expect(await inForm.json()).toMatchObject({ error: 'invalid_client' });

    const response = await refresh(form, basic(client.clientId, client.clientSecret));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      token_type: 'bearer',
      expires_in: 7200,
      scopes: 'account repository',
    });
    expect(typeof body.refresh_token).toBe('string');

    const get = (path: string) =>
      fetch(`${sandbox.info.idpBaseUrls.bitbucket}${path}`, {
        headers: { authorization: `Bearer ${String(body.access_token)}` },
      });
    const user = await get('/2.0/user');
    expect(await user.json()).toMatchObject({
      type: 'user',
      nickname: 'frank-renew',
      display_name: 'Frank Renew',
    });
    const first = (await (await get('/2.0/repositories/frank-renew?pagelen=10')).json()) as {
      values: unknown[];
      size: number;
      page: number;
      next?: string;
    };
    expect(first).toMatchObject({ size: 14, page: 1, pagelen: 10 });
    expect(first.values).toHaveLength(10);
    expect(first.next).toBe(
      `${sandbox.info.idpBaseUrls.bitbucket}/2.0/repositories/frank-renew?pagelen=10&page=2`,
    );
    const second = (await (
      await fetch(first.next ?? '', {
        headers: { authorization: `Bearer ${String(body.access_token)}` },
      })
    ).json()) as { values: unknown[]; next?: string; previous?: string };
    expect(second.values).toHaveLength(4);
    expect(second.next).toBeUndefined();
    expect(second.previous).toContain('page=1');
    expect((await get('/2.0/repositories/someone-else')).status).toBe(404);

    const unknown = await refresh(
      { ...form, refresh_token: 'bbsandbox-rt-unknown' },
      basic(client.clientId, client.clientSecret),
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: 'invalid_grant' });
  });
});
