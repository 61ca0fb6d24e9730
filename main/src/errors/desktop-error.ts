import type { IpcErrorCode } from '@linkboard/contract';

/** Codes only the IPC registry gives (a refused sender or channel), never a service. */
type RegistryRefusalCode = 'forbidden_sender' | 'unknown_channel';

/** What a service of main can fail with: its own codes and the broker's problem codes. */
export type DesktopErrorCode = Exclude<IpcErrorCode, RegistryRefusalCode>;

/** What the broker said besides its code, when the failure is the broker's answer. */
export interface DesktopErrorDetails {
  /** HTTP status of the broker's answer. */
  status?: number;
  retryAfter?: number;
  /** The broker's request id, for the user to quote to an operator. */
  requestId?: string;
}

/**
 * A refusal or failure of one of main's services (sign-in, external opener, token store, broker
 * client), with a stable code and a message meant for the user. The services know nothing of IPC:
 * the IPC registry translates this into `{ ok: false, error }`, and any other exception into a
 * generic `internal_error`, so no stack, path or token ever crosses the bridge.
 */
export class DesktopError extends Error {
  override readonly name = 'DesktopError';

  constructor(
    readonly code: DesktopErrorCode,
    message: string,
    readonly details: DesktopErrorDetails = {},
  ) {
    super(message);
  }
}
