/**
 * What the real preload gets when it imports `electron` in the Chromium host (bundled by esbuild in
 * place of the real module). It runs in the page, so it only uses the two host bindings:
 * - `contextBridge.exposeInMainWorld(name, api)` → `window[name] = api` (frozen, as Electron copies it);
 * - `ipcRenderer.invoke(channel, payload)` → the invoke binding, which the host answers by calling
 *   main's real IPC registry with the calling frame's URL and whether it is the main frame;
 * - `ipcRenderer.on(channel, listener)` → events main sends to this window, fetched by long-polling
 *   the event binding; listeners get an event object and the arguments, as in Electron.
 */
import { IPC_INVOKE_BINDING, IPC_NEXT_EVENT_BINDING, type HostEvent } from './bridge-names.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

const hostWindow = globalThis as unknown as Record<string, unknown>;

function binding<T extends (...args: never[]) => unknown>(name: string): T {
  const fn = hostWindow[name];
  if (typeof fn !== 'function') {
    throw new Error(`The Chromium host did not install the ${name} binding`);
  }
  return fn as T;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
    for (const key of Object.getOwnPropertyNames(value)) {
      deepFreeze((value as Record<string, unknown>)[key]);
    }
    Object.freeze(value);
  }
  return value;
}

export const contextBridge = {
  exposeInMainWorld(apiKey: string, api: unknown): void {
    Object.defineProperty(globalThis, apiKey, {
      value: deepFreeze(api),
      enumerable: true,
      configurable: false,
      writable: false,
    });
  },
};

const listeners = new Map<string, Set<Listener>>();
let polling = false;

async function pollEvents(): Promise<void> {
  const nextEvent = binding<() => Promise<HostEvent | null>>(IPC_NEXT_EVENT_BINDING);
  for (;;) {
    const event = await nextEvent();
    if (event === null) return;
    for (const listener of [...(listeners.get(event.channel) ?? [])]) {
      listener({ sender: ipcRenderer }, ...event.args);
    }
  }
}

export const ipcRenderer = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const invoke =
      binding<(channel: string, ...args: unknown[]) => Promise<unknown>>(IPC_INVOKE_BINDING);
    return invoke(channel, ...args);
  },
  on(channel: string, listener: Listener) {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
    if (!polling) {
      polling = true;
      void pollEvents().finally(() => {
        polling = false;
      });
    }
    return ipcRenderer;
  },
  once(channel: string, listener: Listener) {
    const wrapped: Listener = (event, ...args) => {
      ipcRenderer.removeListener(channel, wrapped);
      listener(event, ...args);
    };
    return ipcRenderer.on(channel, wrapped);
  },
  removeListener(channel: string, listener: Listener) {
    listeners.get(channel)?.delete(listener);
    return ipcRenderer;
  },
  off(channel: string, listener: Listener) {
    return ipcRenderer.removeListener(channel, listener);
  },
  removeAllListeners(channel?: string) {
    if (channel === undefined) listeners.clear();
    else listeners.delete(channel);
    return ipcRenderer;
  },
};

export default { contextBridge, ipcRenderer };
