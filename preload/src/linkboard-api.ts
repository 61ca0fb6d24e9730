import { AUTH_CALLBACK_EVENT } from '@linkboard/contract/desktop';
import {
  buildBridge,
  type IpcChannel,
  type IpcRequest,
  type IpcResponse,
  type IpcResult,
  type LinkboardApi,
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
 * `window.linkboard`: one function per channel of the contract's channel map, at the place its
 * entry names, built by walking the map. Every value that crosses is plain data: the functions
 * resolve to `IpcResult` envelopes, the callback listener receives the URL string alone, and
 * nothing of `ipcRenderer` or its event objects is reachable from the page.
 */
export function buildLinkboardApi(transport: IpcTransport): LinkboardApi {
  async function invoke<C extends IpcChannel>(
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
  const bridge = buildBridge(invoke);
  return {
    ...bridge,
    auth: {
      ...bridge.auth,
      onCallback(listener: (url: string) => void): () => void {
        return transport.subscribe(AUTH_CALLBACK_EVENT, (value) => {
          if (typeof value === 'string') listener(value);
        });
      },
    },
  };
}
