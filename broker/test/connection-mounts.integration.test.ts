import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { linkTarget } from '@linkboard/contract/link-header';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, startBroker, type ConfigError } from '../src/index.js';
import { callBroker, startStack, type Stack } from './support/stack.js';

/** A connection mounted at the root of a port of its own (`BROKER_CONNECTION_PORTS`). */
let stack: Stack;
let broker: Awaited<ReturnType<typeof startBroker>>;
let google: string;
let alice: string;

beforeAll(async () => {
  stack = await startStack();
  const env = brokerEnvFromSandbox(stack.info, {
    LOG_LEVEL: 'silent',
    BROKER_CONNECTION_PORTS: '{"google-oauth2": 0}',
  });
  broker = await startBroker(loadConfig(env));
  google = broker.connectionUrls['google-oauth2']!;
  alice = await stack.tokenFor('alice');
}, 60_000);

afterAll(async () => {
  await broker?.close();
  await stack?.close();
});

describe('connection mounts', () => {
  it('serves /{path} on the mount as /v1/idp/{connection}/{path}, paging relative to the mount', async () => {
    expect(new URL(google).port).not.toBe(new URL(broker.url).port);
    const path = '/calendar/v3/users/me/calendarList?maxResults=2';
    const mounted = await callBroker(google, path, alice);
    const direct = await callBroker(broker.url, `/v1/idp/google-oauth2${path}`, alice);
    expect(mounted.status).toBe(200);
    expect(mounted.json()).toEqual(direct.json());
    expect(linkTarget(mounted.headers.get('link') ?? '', 'next')).toMatch(
      /^\/calendar\/v3\/users\/me\/calendarList\?maxResults=2&pageToken=/,
    );
    expect(linkTarget(direct.headers.get('link') ?? '', 'next')).toMatch(
      /^\/v1\/idp\/google-oauth2\/calendar\/v3\/users\/me\/calendarList\?/,
    );
  });

  it('reaches only its own connection, with the same checks and refusals', async () => {
    const other = await callBroker(google, '/v1/idp/github/user', alice, {
      headers: { accept: 'application/json' },
    });
    expect(other.status).toBe(403);
    expect(other.json()).toMatchObject({ code: 'path_not_allowed', error: { code: 403 } });
    const health = await callBroker(google, '/healthz', undefined);
    expect(health.status).toBe(401);
    const noToken = await callBroker(google, '/oauth2/v3/userinfo', undefined);
    expect(noToken.status).toBe(401);
    expect(noToken.json()).toMatchObject({ code: 'invalid_token' });
  });

  it('refuses a mount for an unknown connection, a bad port, or a port used twice', () => {
    const env = brokerEnvFromSandbox(stack.info, { PORT: '8080' });
    const problems = (ports: string) => {
      try {
        loadConfig({ ...env, BROKER_CONNECTION_PORTS: ports });
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    };
    expect(problems('{"gitlab": 8081}')).toEqual([
      'BROKER_CONNECTION_PORTS: "gitlab" is not a catalogue connection',
    ]);
    expect(problems('{"github": "x"}')).toEqual([
      'BROKER_CONNECTION_PORTS: "github" needs a port number (0 for any)',
    ]);
    expect(problems('{"github": 8080}')).toEqual([
      'BROKER_CONNECTION_PORTS: port 8080 is used twice',
    ]);
    expect(problems('[8081]')).toHaveLength(1);
    expect(
      loadConfig({ ...env, BROKER_CONNECTION_PORTS: '{"github": 8081}' }).connectionPorts,
    ).toEqual({ github: 8081 });
  });
});
