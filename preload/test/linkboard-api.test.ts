import { describe, expect, it } from 'vitest';
import { ipcChannels } from '@linkboard/contract/ipc';
import { buildLinkboardApi, type IpcTransport } from '../src/linkboard-api.js';

function transport() {
  const calls: Array<[string, unknown]> = [];
  const listeners = new Set<(value: unknown) => void>();
  const fake: IpcTransport = {
    invoke: async (channel, payload) => {
      calls.push([channel, payload]);
      return { ok: true, value: { echoed: channel } };
    },
    subscribe: (_event, listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    fake,
    calls,
    emit: (value: unknown) => listeners.forEach((listener) => listener(value)),
  };
}

const token = 'x'.repeat(30);

describe('window.linkboard', () => {
  it('calls each channel with its payload and returns the envelope', async () => {
    const { fake, calls } = transport();
    const api = buildLinkboardApi(fake);
    expect(await api.auth.prepare()).toEqual({ ok: true, value: { echoed: 'auth:prepare' } });
    await api.auth.open({ url: 'https://tenant.auth0.com/authorize' });
    await api.auth.cancel();
    await api.auth.openConnect({
      url: 'https://tenant.auth0.com/connect?ticket=t',
      state: 'state-of-the-connect',
    });
    await api.cache.get({ key: 'k' });
    await api.cache.set({ key: 'k', value: { v: 1 } });
    await api.cache.remove({ key: 'k' });
    await api.cache.allKeys();
    await api.cache.clear();
    await api.views.get({ subject: 'auth0|alice', key: 'github/repositories' });
    await api.views.set({ subject: 'auth0|alice', key: 'github/repositories', data: [{ id: 1 }] });
    await api.broker.request({ connection: 'github', path: '/user', accessToken: token });
    await api.broker.identities({ accessToken: token });
    await api.broker.providers({ accessToken: token });
    await api.web.open({ connection: 'github', url: 'https://github.com/a' });
    await api.web.copy({ connection: 'github', url: 'https://github.com/a' });
    await api.app.info();
    await api.app.updateState();
    await api.app.openLogFolder();
    await api.app.copyDiagnostics();
    await api.app.installUpdate();
    expect(calls).toEqual([
      ['auth:prepare', {}],
      ['auth:open', { url: 'https://tenant.auth0.com/authorize' }],
      ['auth:cancel', {}],
      [
        'auth:openConnect',
        { url: 'https://tenant.auth0.com/connect?ticket=t', state: 'state-of-the-connect' },
      ],
      ['cache:get', { key: 'k' }],
      ['cache:set', { key: 'k', value: { v: 1 } }],
      ['cache:remove', { key: 'k' }],
      ['cache:allKeys', {}],
      ['cache:clear', {}],
      ['views:get', { subject: 'auth0|alice', key: 'github/repositories' }],
      ['views:set', { subject: 'auth0|alice', key: 'github/repositories', data: [{ id: 1 }] }],
      ['broker:request', { connection: 'github', path: '/user', accessToken: token }],
      ['broker:identities', { accessToken: token }],
      ['broker:providers', { accessToken: token }],
      ['web:open', { connection: 'github', url: 'https://github.com/a' }],
      ['web:copy', { connection: 'github', url: 'https://github.com/a' }],
      ['app:info', {}],
      ['app:updateState', {}],
      ['app:openLogFolder', {}],
      ['app:copyDiagnostics', {}],
      ['app:installUpdate', {}],
    ]);
    // Every channel of the map is reachable at its place: the bridge is built by walking the map.
    expect(new Set(calls.map(([channel]) => channel))).toEqual(new Set(Object.keys(ipcChannels)));
  });

  it('turns a failed invoke into an error value', async () => {
    const api = buildLinkboardApi({
      invoke: () => Promise.reject(new Error('No handler registered')),
      subscribe: () => () => undefined,
    });
    expect(await api.app.info()).toEqual({
      ok: false,
      error: { code: 'internal_error', message: expect.any(String) },
    });
  });

  it('passes the callback URL alone to listeners, and unsubscribes', () => {
    const { fake, emit } = transport();
    const api = buildLinkboardApi(fake);
    const received: unknown[][] = [];
    const unsubscribe = api.auth.onCallback((...args: unknown[]) => received.push(args));
    emit('http://127.0.0.1:47823/callback?code=c&state=s');
    emit({ sender: 'event object' });
    unsubscribe();
    emit('http://127.0.0.1:47823/callback?code=late&state=s');
    expect(received).toEqual([['http://127.0.0.1:47823/callback?code=c&state=s']]);
  });
});
