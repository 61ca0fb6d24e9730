import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DESKTOP_SCOPE } from '@linkboard/contract/desktop';
import { listenOnLoopback } from '@linkboard/testing/loopback-server';
import { createLinkboardClient } from '../src/api/linkboard-client';
import { createAuth0Client } from '../src/auth/auth-client';
import { SessionController } from '../src/auth/session-controller';
import { createFakeLinkboard, type FakeLinkboard } from '../dev/fake-linkboard';
import { stateInEnglish } from './helpers/english';

/**
 * The real auth0-spa-js, created as the app creates it, against a small token endpoint on
 * loopback and the fake bridge: sign-in through main's `auth:open` and callback, tokens kept only
 * in main's store, a restart that uses the refresh token, and a refused refresh token.
 */

const CLIENT_ID = 'desktop-client-id';
const AUDIENCE = 'https://broker.linkboard.test';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function idToken(issuer: string, nonce: string | undefined): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'test' }));
  const payload = base64url(
    JSON.stringify({
      iss: issuer,
      aud: CLIENT_ID,
      sub: 'auth0|ada',
      name: 'Ada Lovelace',
      email: 'ada.lovelace@example.com',
      iat: now,
      exp: now + 3600,
      ...(nonce ? { nonce } : {}),
    }),
  );
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}

interface TokenRequest {
  grant_type?: string;
  code?: string;
  code_verifier?: string;
  redirect_uri?: string;
  refresh_token?: string;
  client_id?: string;
}

async function readBody(request: IncomingMessage): Promise<TokenRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  if ((request.headers['content-type'] ?? '').includes('json'))
    return JSON.parse(text) as TokenRequest;
  return Object.fromEntries(new URLSearchParams(text)) as TokenRequest;
}

let server: Server;
let domain: string;
const grants: TokenRequest[] = [];
/** What /authorize would have remembered: the PKCE challenge and nonce of the code. */
let pending: { challenge: string; nonce: string } | null = null;
let validRefreshToken = 'refresh-1';
let issued = 0;

beforeEach(async () => {
  grants.length = 0;
  pending = null;
  validRefreshToken = 'refresh-1';
  issued = 0;
  server = createServer((request, response) => {
    void readBody(request).then((body) => {
      grants.push(body);
      const send = (status: number, payload: unknown) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(payload));
      };
      if (request.url !== '/oauth/token') return send(404, { error: 'not_found' });
      if (body.grant_type === 'authorization_code') {
        const verified =
          pending !== null &&
          body.code === 'code-1' &&
          createHash('sha256')
            .update(body.code_verifier ?? '')
            .digest('base64url') === pending.challenge;
        if (!verified)
          return send(400, { error: 'invalid_grant', error_description: 'PKCE failed' });
        issued++;
        return send(200, {
          access_token: `access-${issued}-for-the-broker-audience`,
          id_token: idToken(`${domain}/`, pending?.nonce),
          refresh_token: validRefreshToken,
          token_type: 'Bearer',
          // Shorter than the SDK's 60 s leeway: the next getTokenSilently() must refresh.
          expires_in: 30,
          scope: DESKTOP_SCOPE,
        });
      }
      if (body.grant_type === 'refresh_token') {
        if (body.refresh_token !== validRefreshToken) {
          return send(403, {
            error: 'invalid_grant',
            error_description: 'Unknown or invalid refresh token.',
          });
        }
        issued++;
        validRefreshToken = `refresh-${issued}`;
        return send(200, {
          access_token: `access-${issued}-for-the-broker-audience`,
          id_token: idToken(`${domain}/`, undefined),
          refresh_token: validRefreshToken,
          token_type: 'Bearer',
          expires_in: 3600,
          scope: DESKTOP_SCOPE,
        });
      }
      return send(400, { error: 'unsupported_grant_type' });
    });
  });
  domain = await listenOnLoopback(server);
  window.sessionStorage.clear();
  window.localStorage.clear();
});

afterEach(async () => {
  await new Promise<void>((done) => server.close(() => done()));
});

function fakeFor(): FakeLinkboard {
  const fake = createFakeLinkboard();
  Object.assign(fake.state.info.config, {
    auth0Domain: domain,
    clientId: CLIENT_ID,
    brokerAudience: AUDIENCE,
  });
  return fake;
}

function controllerFor(fake: FakeLinkboard) {
  const controller = new SessionController({
    linkboard: createLinkboardClient(fake),
    createAuthClient: createAuth0Client,
  });
  const unlisten = controller.listenForCallbacks();
  return { controller, stop: () => (unlisten(), controller.dispose()) };
}

/** The session's state, its messages in English as the UI shows them. */
const status = (controller: SessionController) => stateInEnglish(controller.getSnapshot().state);

function pageStorageText(): string {
  const dump = (storage: Storage) =>
    Array.from({ length: storage.length }, (_, index) => {
      const key = storage.key(index) ?? '';
      return `${key}=${storage.getItem(key) ?? ''}`;
    }).join('\n');
  return `${dump(window.localStorage)}\n${dump(window.sessionStorage)}\n${document.cookie}`;
}

describe('auth0-spa-js wired as the app wires it', () => {
  it("signs in through the system browser with PKCE and keeps tokens only in main's store", async () => {
    const fake = fakeFor();
    const { controller, stop } = controllerFor(fake);
    try {
      await controller.start();
      expect(status(controller).status).toBe('signed-out');
      await controller.signIn();

      const opened = fake.calls.find((call) => call.channel === 'auth:open')?.payload as {
        url: string;
      };
      const authorize = new URL(opened.url);
      expect(`${authorize.origin}${authorize.pathname}`).toBe(`${domain}/authorize`);
      const params = authorize.searchParams;
      expect(params.get('client_id')).toBe(CLIENT_ID);
      expect(params.get('audience')).toBe(AUDIENCE);
      expect(params.get('redirect_uri')).toBe(fake.state.redirectUri);
      expect(params.get('response_type')).toBe('code');
      expect(params.get('code_challenge_method')).toBe('S256');
      expect((params.get('scope') ?? '').split(' ')).toEqual(
        expect.arrayContaining(DESKTOP_SCOPE.split(' ')),
      );
      pending = { challenge: params.get('code_challenge') ?? '', nonce: params.get('nonce') ?? '' };

      fake.emitCallback(
        `${fake.state.redirectUri}?code=code-1&state=${encodeURIComponent(params.get('state') ?? '')}`,
      );
      await vi.waitFor(() => expect(status(controller)).toMatchObject({ status: 'signed-in' }), {
        timeout: 5000,
      });
      expect(status(controller)).toMatchObject({ profile: { name: 'Ada Lovelace' } });

      const exchange = grants.find((grant) => grant.grant_type === 'authorization_code');
      expect(exchange?.redirect_uri).toBe(fake.state.redirectUri);
      expect([...fake.store.keys()].every((key) => key.startsWith('@@auth0spajs@@::'))).toBe(true);
      expect(JSON.stringify([...fake.store.values()])).toContain('refresh-1');
      const storage = pageStorageText();
      expect(storage).not.toContain('refresh-1');
      expect(storage).not.toContain('access-1-for-the-broker-audience');
    } finally {
      stop();
    }

    // A restart: a new session over the same store signs in with the refresh token alone.
    const restarted = controllerFor(fake);
    try {
      fake.calls.length = 0;
      await restarted.controller.start();
      expect(status(restarted.controller)).toMatchObject({
        status: 'signed-in',
        profile: { name: 'Ada Lovelace' },
      });
      expect(fake.calls.map((call) => call.channel)).not.toContain('auth:open');
      expect(grants.at(-1)).toMatchObject({
        grant_type: 'refresh_token',
        refresh_token: 'refresh-1',
      });
      await expect(restarted.controller.getAccessToken()).resolves.toBe(
        'access-2-for-the-broker-audience',
      );
      // The rotated refresh token replaced the old one in main's store.
      const stored = JSON.stringify([...fake.store.values()]);
      expect(stored).toContain('refresh-2');
      expect(stored).not.toContain('refresh-1');
    } finally {
      restarted.stop();
    }
  });

  it('goes back to sign-in with a message when the remembered refresh token is refused', async () => {
    const fake = fakeFor();
    const first = controllerFor(fake);
    await first.controller.start();
    await first.controller.signIn();
    const opened = fake.calls.find((call) => call.channel === 'auth:open')?.payload as {
      url: string;
    };
    const params = new URL(opened.url).searchParams;
    pending = { challenge: params.get('code_challenge') ?? '', nonce: params.get('nonce') ?? '' };
    fake.emitCallback(
      `${fake.state.redirectUri}?code=code-1&state=${encodeURIComponent(params.get('state') ?? '')}`,
    );
    await vi.waitFor(
      () => expect(status(first.controller)).toMatchObject({ status: 'signed-in' }),
      {
        timeout: 5000,
      },
    );
    first.stop();

    validRefreshToken = 'revoked-elsewhere';
    const restarted = controllerFor(fake);
    try {
      await restarted.controller.start();
      expect(status(restarted.controller)).toEqual({
        status: 'signed-out',
        notice: { tone: 'error', message: 'Your sign-in has expired. Sign in again to continue.' },
      });
      expect(fake.store.size).toBe(0);
    } finally {
      restarted.stop();
    }
  });
});
