import { AUTH_CALLBACK_EVENT } from '@linkboard/contract/desktop';
import type {
  IpcChannel,
  IpcRequest,
  IpcResponse,
  IpcResult,
  LinkboardApi,
} from '@linkboard/contract/ipc';

/**
 * What the preload needs from Electron, and no more: a way to call main on a channel and a way to
 * hear the one event main sends. In Electron these are `ipcRenderer.invoke` and `ipcRenderer.on`;
 * the end-to-end host passes a shim.
 */
export interface IpcTransport {
  invoke(channel: IpcChannel, payload: unknown): Promise<unknown>;
  subscribe(event: typeof AUTH_CALLBACK_EVENT, listener: (value: unknown) => void): () => void;
}

/**
 * `window.linkboard`: one function per channel of the contract's channel map, grouped by namespace.
 * Every value that crosses is plain data: the functions resolve to `IpcResult` envelopes, the
 * callback listener receives the URL string alone, and nothing of `ipcRenderer` or its event
 * objects is reachable from the page.
 */
export function buildLinkboardApi(transport: IpcTransport): LinkboardApi {
  async function call<C extends IpcChannel>(
    channel: C,
    payload: IpcRequest<C>,
  ): Promise<IpcResult<IpcResponse<C>>> {
    try {
      return (await transport.invoke(channel, payload)) as IpcResult<IpcResponse<C>>;
    } catch {
      // A rejected invoke (main gone, no handler) becomes an error value like any other.
      return {
        ok: false,
        error: { code: 'internal_error', message: 'The app could not reach its main process.' },
      };
    }
  }

  const api = {
    auth: {
      prepare: () => call('auth:prepare', {}),
      open: (url: string) => call('auth:open', { url }),
      cancel: () => call('auth:cancel', {}),
      onCallback(listener: (url: string) => void): () => void {
        return transport.subscribe(AUTH_CALLBACK_EVENT, (value) => {
          if (typeof value === 'string') listener(value);
        });
      },
    },
    cache: {
      get: (key: string) => call('cache:get', { key }),
      set: (key: string, value: unknown) => call('cache:set', { key, value }),
      remove: (key: string) => call('cache:remove', { key }),
      allKeys: () => call('cache:allKeys', {}),
      clear: () => call('cache:clear', {}),
    },
    broker: {
      request: (request: IpcRequest<'broker:request'>) => call('broker:request', request),
      identities: (accessToken: string) => call('broker:identities', { accessToken }),
      providers: (accessToken: string) => call('broker:providers', { accessToken }),
    },
    app: {
      info: () => call('app:info', {}),
      updateState: () => call('app:updateState', {}),
      installUpdate: () => call('app:installUpdate', {}),
    },
  } satisfies LinkboardApi;

  return api;
}

/** The channels `buildLinkboardApi` calls; a channel added to the contract but not here fails to compile. */
const exposedChannels = {
  'auth:prepare': true,
  'auth:open': true,
  'auth:cancel': true,
  'cache:get': true,
  'cache:set': true,
  'cache:remove': true,
  'cache:allKeys': true,
  'cache:clear': true,
  'broker:request': true,
  'broker:identities': true,
  'broker:providers': true,
  'app:info': true,
  'app:updateState': true,
  'app:installUpdate': true,
} as const satisfies Record<IpcChannel, true>;
export const EXPOSED_CHANNELS = Object.keys(exposedChannels) as IpcChannel[];
