import {
  ipcChannels,
  type IpcChannel,
  type IpcError,
  type IpcParsedRequest,
  type IpcResponse,
  type IpcResult,
} from '@linkboard/contract';
import { DesktopError } from '../errors/desktop-error.js';
import { originOf, type IpcSender } from './ipc-sender.js';

export type IpcHandler<C extends IpcChannel> = (
  request: IpcParsedRequest<C>,
) => Promise<IpcResponse<C>> | IpcResponse<C>;

/**
 * One handler per channel of the contract's map, no more and no fewer: a handler object written
 * `satisfies IpcHandlers` fails to compile when a channel is missing or one is extra.
 */
export type IpcHandlers = { [C in IpcChannel]: IpcHandler<C> };

export interface IpcMessage {
  channel: string;
  payload: unknown;
  sender: IpcSender;
}

export interface IpcRegistryOptions {
  /** Every channel's handler (main/src/ipc/ipc-handlers.ts). */
  handlers: IpcHandlers;
  /** The renderer's origin: `app://linkboard` in the app, `http://127.0.0.1:PORT` in the e2e host. */
  expectedOrigin: string;
  /** Whether `windowId` is the app's own window (the one that loaded our renderer). */
  isOurWindow(windowId: number | null): boolean;
  /** Where refusals are reported (channel and reason only, never the payload). */
  onRefusal?(refusal: { channel: string; code: string; reason: string }): void;
  /** Where unexpected handler failures are reported; the renderer only hears `internal_error`. */
  onHandlerError?(channel: IpcChannel, error: unknown): void;
}

export interface IpcRegistry {
  /**
   * Checks the sender, the channel and the payload, runs the handler and returns its result as an
   * `IpcResult`. Never throws. Used by the Electron layer (`ipcMain.handle`) and the e2e binding.
   */
  dispatch(message: IpcMessage): Promise<IpcResult<unknown>>;
}

function isIpcChannel(channel: string): channel is IpcChannel {
  return Object.hasOwn(ipcChannels, channel);
}

/** What the renderer hears of any failure that is not a `DesktopError`: nothing of its cause. */
const INTERNAL_ERROR: IpcError = { code: 'internal_error', message: 'The app failed to answer.' };

/** A service's refusal as the bridge carries it: its code, its message, the broker's details. */
function ipcErrorOf(error: DesktopError): IpcError {
  return { code: error.code, message: error.message, ...error.details };
}

/**
 * The handlers by channel. The type already demands exactly the map's channels; this says so again
 * at run time for an object that got past the compiler (a cast, plain JavaScript).
 */
function handlerTable(handlers: IpcHandlers): Map<IpcChannel, IpcHandler<IpcChannel>> {
  const table = new Map<IpcChannel, IpcHandler<IpcChannel>>();
  for (const [channel, handler] of Object.entries(handlers)) {
    if (!isIpcChannel(channel)) throw new Error(`${channel} is not an IPC channel of the contract`);
    if (typeof handler !== 'function') throw new Error(`${channel} has no handler function`);
    table.set(channel, handler as IpcHandler<IpcChannel>);
  }
  const missing = Object.keys(ipcChannels).filter((channel) => !table.has(channel as IpcChannel));
  if (missing.length > 0) throw new Error(`no handler for ${missing.join(', ')}`);
  return table;
}

/**
 * The one place IPC messages arrive, and so where the sender is checked
 * (docs/architecture.md#security-rules, rule 2). Every
 * message must come from the main frame of our own window at our origin, name a channel of the
 * contract, and carry a payload its request schema accepts; the handler's answer must pass the
 * response schema too, so a bug cannot leak fields the contract does not name.
 */
export function createIpcRegistry(options: IpcRegistryOptions): IpcRegistry {
  const handlers = handlerTable(options.handlers);

  function refuse(channel: string, error: IpcError, reason: string): IpcResult<never> {
    options.onRefusal?.({ channel, code: error.code, reason });
    return { ok: false, error };
  }

  function senderProblem(sender: IpcSender): string | null {
    if (!sender.isMainFrame) return 'not the main frame';
    if (!options.isOurWindow(sender.windowId)) return 'not our window';
    if (originOf(sender.url) !== options.expectedOrigin) return 'foreign origin';
    return null;
  }

  return {
    async dispatch({ channel, payload, sender }) {
      const problem = senderProblem(sender);
      if (problem) {
        return refuse(
          channel,
          {
            code: 'forbidden_sender',
            message: 'This request did not come from the Linkboard window.',
          },
          problem,
        );
      }
      const handler = isIpcChannel(channel) ? handlers.get(channel) : undefined;
      if (!isIpcChannel(channel) || !handler) {
        return refuse(
          channel,
          { code: 'unknown_channel', message: 'No such request.' },
          'unknown channel',
        );
      }
      const parsed = ipcChannels[channel].request.safeParse(payload);
      if (!parsed.success) {
        const fields = [
          ...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(payload)')),
        ];
        return refuse(
          channel,
          {
            code: 'invalid_payload',
            message: `The request was malformed (${fields.join(', ')}).`,
          },
          'invalid payload',
        );
      }
      try {
        const response = await handler(parsed.data as IpcParsedRequest<IpcChannel>);
        const checked = ipcChannels[channel].response.safeParse(response);
        if (!checked.success) {
          options.onHandlerError?.(
            channel,
            new Error(`${channel} answered outside its response schema`),
          );
          return { ok: false, error: INTERNAL_ERROR };
        }
        return { ok: true, value: checked.data };
      } catch (error) {
        if (error instanceof DesktopError) return { ok: false, error: ipcErrorOf(error) };
        options.onHandlerError?.(channel, error);
        return { ok: false, error: INTERNAL_ERROR };
      }
    },
  };
}
