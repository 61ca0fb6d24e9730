import {
  ipcChannels,
  type IpcChannel,
  type IpcResponse,
  type IpcResult,
} from '@linkboard/contract';
import type { z } from 'zod';
import { IpcFailure } from './ipc-failure.js';
import { originOf, type IpcSender } from './ipc-sender.js';

type ParsedRequest<C extends IpcChannel> = z.output<(typeof ipcChannels)[C]['request']>;

export type IpcHandler<C extends IpcChannel> = (
  request: ParsedRequest<C>,
) => Promise<IpcResponse<C>> | IpcResponse<C>;

export interface IpcMessage {
  channel: string;
  payload: unknown;
  sender: IpcSender;
}

export interface IpcRegistryOptions {
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
  /** Registers the one handler of a channel of the contract's map. */
  handle<C extends IpcChannel>(channel: C, handler: IpcHandler<C>): void;
  /**
   * Checks the sender, the channel and the payload, runs the handler and returns its result as an
   * `IpcResult`. Never throws. Used by the Electron layer (`ipcMain.handle`) and the e2e binding.
   */
  dispatch(message: IpcMessage): Promise<IpcResult<unknown>>;
  /** The channels that have a handler. */
  registeredChannels(): IpcChannel[];
}

function isIpcChannel(channel: string): channel is IpcChannel {
  return Object.hasOwn(ipcChannels, channel);
}

/**
 * The one place IPC handlers live (docs/architecture.md#security-rules, rule 2: the sender is checked where messages arrive). Every
 * message must come from the main frame of our own window at our origin, name a channel of the
 * contract, and carry a payload its request schema accepts; the handler's answer must pass the
 * response schema too, so a bug cannot leak fields the contract does not name.
 */
export function createIpcRegistry(options: IpcRegistryOptions): IpcRegistry {
  const handlers = new Map<IpcChannel, IpcHandler<IpcChannel>>();

  function refuse(channel: string, error: IpcFailure, reason: string): IpcResult<never> {
    options.onRefusal?.({ channel, code: error.code, reason });
    return { ok: false, error: error.toIpcError() };
  }

  function senderProblem(sender: IpcSender): string | null {
    if (!sender.isMainFrame) return 'not the main frame';
    if (!options.isOurWindow(sender.windowId)) return 'not our window';
    if (originOf(sender.url) !== options.expectedOrigin) return 'foreign origin';
    return null;
  }

  return {
    handle(channel, handler) {
      if (!isIpcChannel(channel))
        throw new Error(`${String(channel)} is not an IPC channel of the contract`);
      if (handlers.has(channel)) throw new Error(`${channel} already has a handler`);
      handlers.set(channel, handler as IpcHandler<IpcChannel>);
    },

    registeredChannels: () => [...handlers.keys()],

    async dispatch({ channel, payload, sender }) {
      const problem = senderProblem(sender);
      if (problem) {
        return refuse(
          channel,
          new IpcFailure(
            'forbidden_sender',
            'This request did not come from the Linkboard window.',
          ),
          problem,
        );
      }
      const handler = isIpcChannel(channel) ? handlers.get(channel) : undefined;
      if (!isIpcChannel(channel) || !handler) {
        return refuse(
          channel,
          new IpcFailure('unknown_channel', 'No such request.'),
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
          new IpcFailure('invalid_payload', `The request was malformed (${fields.join(', ')}).`),
          'invalid payload',
        );
      }
      try {
        const response = await handler(parsed.data as ParsedRequest<IpcChannel>);
        const checked = ipcChannels[channel].response.safeParse(response);
        if (!checked.success) {
          options.onHandlerError?.(
            channel,
            new Error(`${channel} answered outside its response schema`),
          );
          return {
            ok: false,
            error: { code: 'internal_error', message: 'The app failed to answer.' },
          };
        }
        return { ok: true, value: checked.data };
      } catch (error) {
        if (error instanceof IpcFailure) return { ok: false, error: error.toIpcError() };
        options.onHandlerError?.(channel, error);
        return {
          ok: false,
          error: { code: 'internal_error', message: 'The app failed to answer.' },
        };
      }
    },
  };
}
