import type { ServerResponse } from 'node:http';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/cache/shared-store.js';
import { IN_PROCESS } from '../src/cache/value-sealer.js';
import { compileCatalogue } from '../src/catalogue/compiled-provider.js';
import { loadCatalogue } from '../src/catalogue/load-catalogue.js';
import { TokenVaultTokenSource } from '../src/idp/token-vault-token-source.js';
import { startLocalServer, sendJson } from './support/local-server.js';
import { noRetryClient } from './support/no-retry-client.js';

/**
 * A fresh request (the app's list after its own Connect or Disconnect) must reflect the change
 * that came before it, even while an exchange begun before it is still in flight
 * (docs/architecture.md#provider-token-sources). The token endpoint is a loopback server that
 * decides each answer when the request arrives, and can hold that answer back, so an exchange
 * begun before a Disconnect carries the account's token however late it lands.
 */
const github = compileCatalogue(loadCatalogue().catalogue).get('github')!;
const caller = { userId: 'auth0|dave', accessToken: 'dave-access-token' };

let connected = true;
/** Held answers, sent once the test releases them. */
let holding = false;
const held: Array<() => void> = [];
let exchanges = 0;

const endpoint = await startLocalServer((_req, res: ServerResponse) => {
  exchanges += 1;
  // Decided now, as Auth0 decides on arrival: a held answer is the state before any later change.
  const answer = connected
    ? () => sendJson(res, 200, { access_token: `gho_token${exchanges}`, expires_in: 3600 })
    : () =>
        sendJson(res, 401, {
          error: 'federated_connection_refresh_token_not_found',
          error_description: 'no connected account',
        });
  if (holding) held.push(answer);
  else answer();
});
const client = noRetryClient();
afterAll(async () => {
  await endpoint.close();
  await client.close();
});

beforeEach(() => {
  connected = true;
  holding = false;
  held.length = 0;
  exchanges = 0;
});

function tokenSource() {
  return new TokenVaultTokenSource({
    store: new MemoryStore(),
    sealer: IN_PROCESS,
    lockTtlMs: 5000,
    client,
    tokenUrl: new URL('/oauth/token', endpoint.url),
    clientId: 'broker-vault-client',
    clientSecret: 'not-a-real-secret',
    maxRetryAfterSeconds: 30,
  });
}

async function until(condition: () => boolean) {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('a fresh request and an exchange in flight', () => {
  it.each([
    ['an ordinary', false],
    ['a fresh', true],
  ] as const)(
    'does not take the answer of %s exchange begun before it: it exchanges again after that one ends',
    async (_kind, firstFresh) => {
      const tokens = tokenSource();
      holding = true;
      const before = tokens.acquire(caller, github, { fresh: firstFresh });
      await until(() => held.length === 1);
      // The user disconnects GitHub while that exchange's answer (a token) is on its way.
      connected = false;
      const fresh = tokens.acquire(caller, github, { fresh: true });
      const freshOutcome = fresh.then(
        () => 'token',
        (error: { code?: string }) => error.code,
      );
      holding = false;
      held.splice(0).forEach((send) => send());

      expect((await before).token).toBe('gho_token1');
      expect(await freshOutcome).toBe('identity_not_linked');
      expect(exchanges).toBe(2);
      // The fresh answer is the one kept: the next ordinary call is refused without an exchange.
      await expect(tokens.acquire(caller, github)).rejects.toMatchObject({
        code: 'identity_not_linked',
      });
      expect(exchanges).toBe(2);
    },
  );

  it('lets ordinary requests that come later share the fresh exchange', async () => {
    const tokens = tokenSource();
    holding = true;
    const fresh = tokens.acquire(caller, github, { fresh: true });
    await until(() => held.length === 1);
    const later = tokens.acquire(caller, github);
    holding = false;
    held.splice(0).forEach((send) => send());
    expect((await fresh).token).toBe('gho_token1');
    expect((await later).token).toBe('gho_token1');
    expect(exchanges).toBe(1);
  });

  it('lets a fresh request share a fresh exchange begun after it started', async () => {
    const tokens = tokenSource();
    holding = true;
    const ordinary = tokens.acquire(caller, github);
    await until(() => held.length === 1);
    connected = false;
    // Two fresh requests wait for the ordinary exchange; the first then exchanges again, and the
    // second shares that exchange: it began after both requests did, so after the change.
    const first = tokens.acquire(caller, github, { fresh: true }).catch((error) => error.code);
    const second = tokens.acquire(caller, github, { fresh: true }).catch((error) => error.code);
    holding = false;
    held.splice(0).forEach((send) => send());
    expect((await ordinary).token).toBe('gho_token1');
    expect(await first).toBe('identity_not_linked');
    expect(await second).toBe('identity_not_linked');
    expect(exchanges).toBe(2);
  });
});
