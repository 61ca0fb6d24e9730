import { beforeEach, describe, expect, it, vi } from 'vitest';

// The preload entry against a fake `electron`: what reaches the page through contextBridge.
const exposed = new Map<string, unknown>();
const handlers = new Map<string, (...args: unknown[]) => void>();
const invoked: unknown[][] = [];

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => exposed.set(name, api) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      invoked.push(args);
      return { ok: true, value: {} };
    },
    on: (event: string, handler: (...args: unknown[]) => void) => handlers.set(event, handler),
    removeListener: (event: string, handler: unknown) => {
      if (handlers.get(event) === handler) handlers.delete(event);
    },
  },
}));

function leaves(value: unknown, path = 'linkboard'): Array<[string, unknown]> {
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => leaves(inner, `${path}.${key}`));
  }
  return [[path, value]];
}

beforeEach(async () => {
  exposed.clear();
  vi.resetModules();
  await import('../src/index.js');
});

describe('preload entry', () => {
  it('exposes window.linkboard alone, made of functions only, never ipcRenderer', () => {
    expect([...exposed.keys()]).toEqual(['linkboard']);
    const api = exposed.get('linkboard') as Record<string, Record<string, unknown>>;
    expect(Object.keys(api).sort()).toEqual(['app', 'auth', 'broker', 'cache', 'views', 'web']);
    for (const [path, leaf] of leaves(api)) expect(typeof leaf, path).toBe('function');
    expect(JSON.stringify(Object.keys(api.auth ?? {}))).not.toMatch(/ipc|invoke|send|on\b/i);
  });

  it('hands the auth callback listener the URL, not the IPC event, and unsubscribes', async () => {
    const api = exposed.get('linkboard') as {
      auth: {
        onCallback(listener: (...args: unknown[]) => void): () => void;
        prepare(): Promise<unknown>;
      };
    };
    const received: unknown[][] = [];
    const unsubscribe = api.auth.onCallback((...args) => received.push(args));
    const event = { sender: { send() {} }, ports: [] };
    handlers.get('auth:callback')?.(event, 'linkboard://callback?code=c&state=s');
    expect(received).toEqual([['linkboard://callback?code=c&state=s']]);
    unsubscribe();
    expect(handlers.has('auth:callback')).toBe(false);
    await api.auth.prepare();
    expect(invoked.at(-1)).toEqual(['auth:prepare', {}]);
  });
});
