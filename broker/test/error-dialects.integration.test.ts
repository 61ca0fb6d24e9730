import { Problem } from '@linkboard/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsProblemJson } from '../src/http/error-dialect.js';
import { callBroker, startStack, type BrokerHandle, type Stack } from './support/stack.js';

/**
 * Broker refusals on `/v1/idp/{connection}/…` in the provider's own error shape, so an SDK's
 * error object reads them; problem details for whoever asks, and on every other route.
 */
let stack: Stack;
let broker: BrokerHandle;
let carol: string;
let alice: string;

const JSON_TYPE = 'application/json; charset=utf-8';

beforeAll(async () => {
  stack = await startStack();
  broker = await stack.startBroker();
  carol = await stack.tokenFor('carol');
  alice = await stack.tokenFor('alice');
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

/** A call as an SDK makes it: its own Accept, never problem+json. */
function sdkCall(path: string, token: string | undefined, accept = 'application/json') {
  return callBroker(broker.url, path, token, { headers: { accept } });
}

describe('refusals in the caller dialect', () => {
  it("answers GitHub's {message, documentation_url} with the broker's code and request id", async () => {
    const response = await sdkCall(
      '/v1/idp/github/user/repos',
      carol,
      'application/vnd.github.v3+json',
    );
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe(JSON_TYPE);
    const body = response.json() as Record<string, unknown>;
    expect(body).toEqual({
      message: expect.stringMatching(/^No identity of this connection is linked to your account: /),
      documentation_url: 'https://linkboard.dev/problems/identity_not_linked',
      status: '404',
      code: 'identity_not_linked',
      requestId: response.headers.get('x-request-id'),
    });
  });

  it("answers Google's {error: {code, message, status, errors}} with the broker's code", async () => {
    const response = await sdkCall(
      '/v1/idp/google-oauth2/calendar/v3/users/me/calendarList',
      carol,
    );
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe(JSON_TYPE);
    const body = response.json() as {
      error: Record<string, unknown>;
      code: string;
      requestId: string;
    };
    expect(body.error).toMatchObject({
      code: 404,
      status: 'NOT_FOUND',
      message: expect.stringContaining('No identity of this connection is linked'),
      errors: [{ domain: 'linkboard', reason: 'identity_not_linked', message: expect.any(String) }],
    });
    expect(body.code).toBe('identity_not_linked');
    expect(body.requestId).toBe(response.headers.get('x-request-id'));
  });

  it("answers Graph's {error: {code, message, innerError}} with the broker's code as Graph's code", async () => {
    const response = await sdkCall('/v1/idp/windowslive/v1.0/me', carol, '*/*');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe(JSON_TYPE);
    const body = response.json() as {
      error: Record<string, unknown>;
      code: string;
      requestId: string;
    };
    expect(body.error).toMatchObject({
      code: 'identity_not_linked',
      message: expect.stringContaining('No identity of this connection is linked'),
      innerError: { 'request-id': response.headers.get('x-request-id') },
    });
    expect(body.code).toBe('identity_not_linked');
  });

  it('words every refusal on the proxy route so, a refused token too, keeping WWW-Authenticate', async () => {
    const noToken = await sdkCall('/v1/idp/github/user', undefined);
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(noToken.json()).toMatchObject({ code: 'invalid_token', status: '401' });
    const notAllowed = await sdkCall('/v1/idp/github/user/emails', alice);
    expect(notAllowed.status).toBe(403);
    expect(notAllowed.json()).toMatchObject({
      code: 'path_not_allowed',
      message: expect.stringMatching(/^This path is not allowed/),
    });
  });

  it("tells the broker's not-linked refusal from the provider's own 404 by the code member", async () => {
    const providers = await sdkCall('/v1/idp/github/repos/alice/no-such-repository', alice);
    expect(providers.status).toBe(404);
    const own = providers.json() as Record<string, unknown>;
    expect(own.message).toBe('Not Found');
    expect(own).not.toHaveProperty('code');
    const brokers = await sdkCall('/v1/idp/github/repos/alice/no-such-repository', carol);
    expect(brokers.status).toBe(404);
    expect(brokers.json()).toMatchObject({ code: 'identity_not_linked' });
  });
});

describe('problem details where asked for, and off the proxy route', () => {
  it('answers problem+json on the proxy route to a caller that accepts it, as the desktop does', async () => {
    for (const accept of [
      'application/problem+json',
      'application/json, application/problem+json',
      'application/json;q=0.9, Application/Problem+JSON;q=0.5',
    ]) {
      const response = await sdkCall('/v1/idp/github/user/repos', carol, accept);
      expect(response.headers.get('content-type'), accept).toBe('application/problem+json');
      expect(Problem.parse(response.json()).code).toBe('identity_not_linked');
    }
    const refused = await sdkCall(
      '/v1/idp/github/user/repos',
      carol,
      'application/problem+json;q=0, */*',
    );
    expect(refused.headers.get('content-type')).toBe(JSON_TYPE);
  });

  it('keeps problem+json on /v1/me and for a connection the catalogue does not know', async () => {
    const me = await sdkCall('/v1/me/identities', undefined);
    expect(me.status).toBe(401);
    expect(me.headers.get('content-type')).toBe('application/problem+json');
    const unknown = await sdkCall('/v1/idp/gitlab/user', alice);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect(Problem.parse(unknown.json()).code).toBe('provider_unknown');
  });

  it('reads Accept by media range and weight', () => {
    expect(acceptsProblemJson(undefined)).toBe(false);
    expect(acceptsProblemJson('*/*')).toBe(false);
    expect(acceptsProblemJson('application/problem+jsonx')).toBe(false);
    expect(acceptsProblemJson('application/problem+json; q=0')).toBe(false);
    expect(acceptsProblemJson('text/html, application/problem+json; charset=utf-8')).toBe(true);
    expect(acceptsProblemJson(['application/json', 'application/problem+json'])).toBe(true);
  });
});
