import { ipcChannels } from '@linkboard/contract';
import { describe, expect, it } from 'vitest';
import { createIpcRegistry, type IpcHandlers } from '../../src/ipc/ipc-registry.js';
import { DesktopError } from '../../src/errors/desktop-error.js';

const ORIGIN = 'app://linkboard';
const OUR_WINDOW = 7;
const ours = { url: `${ORIGIN}/index.html`, isMainFrame: true, windowId: OUR_WINDOW };
const token = 'a'.repeat(40);

/** A handler for every channel, each failing the test if it runs, then the ones under test. */
function handlersWith(handled: unknown[]): IpcHandlers {
  const untested = Object.fromEntries(
    Object.keys(ipcChannels).map((channel) => [
      channel,
      () => {
        throw new Error(`${channel} is not under test`);
      },
    ]),
  ) as unknown as IpcHandlers;
  return {
    ...untested,
    'cache:get': (request) => {
      handled.push(request);
      return { value: request.key === 'present' ? { body: 1 } : null };
    },
    'broker:request': (request) => {
      handled.push(request);
      return { status: 200, data: [], next: null };
    },
    'auth:open': () => {
      throw new DesktopError('url_not_allowed', 'Only Auth0 sign-in pages open.');
    },
    'auth:cancel': () => {
      throw new Error('/home/ada/secret/path exploded');
    },
    'app:info': () => ({ unexpected: true }) as never,
  };
}

function setUp() {
  const refusals: Array<{ channel: string; code: string; reason: string }> = [];
  const handled: unknown[] = [];
  const registry = createIpcRegistry({
    handlers: handlersWith(handled),
    expectedOrigin: ORIGIN,
    isOurWindow: (id) => id === OUR_WINDOW,
    onRefusal: (refusal) => refusals.push(refusal),
  });
  return { registry, refusals, handled };
}

describe('IPC registry', () => {
  it('runs the handler for a valid message from the main frame of our window', async () => {
    const { registry, handled } = setUp();
    const result = await registry.dispatch({
      channel: 'cache:get',
      payload: { key: 'present' },
      sender: ours,
    });
    expect(result).toEqual({ ok: true, value: { value: { body: 1 } } });
    expect(handled).toEqual([{ key: 'present' }]);
  });

  it.each([
    ['a foreign origin', { ...ours, url: 'https://evil.example/index.html' }],
    ['a look-alike custom origin', { ...ours, url: 'app://linkboard.evil/index.html' }],
    ['credentials in the URL', { ...ours, url: 'app://x@linkboard/index.html' }],
    ['a subframe', { ...ours, isMainFrame: false }],
    ['another window', { ...ours, windowId: 8 }],
    ['no window', { ...ours, windowId: null }],
    ['an unparsable URL', { ...ours, url: 'not a url' }],
  ])('refuses %s without running the handler', async (_name, sender) => {
    const { registry, handled, refusals } = setUp();
    const result = await registry.dispatch({
      channel: 'cache:get',
      payload: { key: 'present' },
      sender,
    });
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'forbidden_sender' }),
    });
    expect(handled).toEqual([]);
    expect(refusals).toHaveLength(1);
  });

  it('refuses unknown channels and prototype names', async () => {
    const { registry } = setUp();
    for (const channel of [
      'shell:exec',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
    ]) {
      const result = await registry.dispatch({ channel, payload: {}, sender: ours });
      expect(result, channel).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'unknown_channel' }),
      });
    }
  });

  it.each([
    ['no payload', 'cache:get', undefined],
    ['a string payload', 'cache:get', 'present'],
    ['a missing field', 'cache:get', {}],
    ['a wrong type', 'cache:get', { key: 42 }],
    ['an extra field', 'cache:get', { key: 'k', extra: true }],
    ['an empty key', 'cache:get', { key: '' }],
    [
      'a short access token',
      'broker:request',
      { connection: 'github', path: '/user', accessToken: 'x' },
    ],
    [
      'a connection name with a slash',
      'broker:request',
      { connection: 'git/hub', path: '/user', accessToken: token },
    ],
    [
      'a relative path',
      'broker:request',
      { connection: 'github', path: 'user', accessToken: token },
    ],
    [
      'a dot-dot segment',
      'broker:request',
      { connection: 'github', path: '/user/../../v1/me', accessToken: token },
    ],
    [
      'an encoded slash',
      'broker:request',
      { connection: 'github', path: '/user%2f..', accessToken: token },
    ],
    [
      'a double slash',
      'broker:request',
      { connection: 'github', path: '//evil.example/x', accessToken: token },
    ],
    [
      'a query in the path',
      'broker:request',
      { connection: 'github', path: '/user?x=1', accessToken: token },
    ],
    [
      'an absolute URL',
      'broker:request',
      { connection: 'github', path: 'https://evil.example/', accessToken: token },
    ],
    [
      'a non-string query value',
      'broker:request',
      { connection: 'github', path: '/user', accessToken: token, query: { page: 2 } },
    ],
    [
      'a base URL chosen by the page',
      'broker:request',
      {
        connection: 'github',
        path: '/user',
        accessToken: token,
        brokerUrl: 'https://evil.example',
      },
    ],
  ])('refuses %s as invalid_payload', async (_name, channel, payload) => {
    const { registry, handled } = setUp();
    const result = await registry.dispatch({ channel, payload, sender: ours });
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'invalid_payload' }),
    });
    expect(handled).toEqual([]);
  });

  it('applies schema defaults before the handler sees the request', async () => {
    const { registry, handled } = setUp();
    const payload = { connection: 'github', path: '/user/repos', accessToken: token };
    expect(
      await registry.dispatch({ channel: 'broker:request', payload, sender: ours }),
    ).toMatchObject({ ok: true });
    expect(handled).toEqual([{ ...payload, query: {} }]);
  });

  it('returns typed failures as values and hides unexpected errors and out-of-schema answers', async () => {
    const { registry } = setUp();
    expect(
      await registry.dispatch({ channel: 'auth:open', payload: { url: 'x' }, sender: ours }),
    ).toEqual({
      ok: false,
      error: { code: 'url_not_allowed', message: 'Only Auth0 sign-in pages open.' },
    });
    const crashed = await registry.dispatch({ channel: 'auth:cancel', payload: {}, sender: ours });
    expect(crashed).toEqual({
      ok: false,
      error: { code: 'internal_error', message: 'The app failed to answer.' },
    });
    expect(JSON.stringify(crashed)).not.toContain('/home/ada');
    expect(
      await registry.dispatch({ channel: 'app:info', payload: {}, sender: ours }),
    ).toMatchObject({
      ok: false,
      error: { code: 'internal_error' },
    });
  });

  it('is built only from a handler object with exactly the channels of the contract', () => {
    const options = { expectedOrigin: ORIGIN, isOurWindow: () => true };
    const complete = handlersWith([]);
    const { 'cache:set': _left, ...missing } = complete;
    // The compiler refuses these (ipc-handlers-type.test.ts); the registry refuses them at run time too.
    expect(() => createIpcRegistry({ ...options, handlers: missing as IpcHandlers })).toThrow(
      /no handler for cache:set/,
    );
    expect(() =>
      createIpcRegistry({
        ...options,
        handlers: { ...complete, 'shell:exec': () => ({}) } as IpcHandlers,
      }),
    ).toThrow(/shell:exec is not an IPC channel/);
    expect(() =>
      createIpcRegistry({
        ...options,
        handlers: { ...complete, 'cache:get': 'not a function' } as unknown as IpcHandlers,
      }),
    ).toThrow(/cache:get has no handler function/);
  });
});
