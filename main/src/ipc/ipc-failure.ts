import type { IpcError, IpcErrorCode } from '@linkboard/contract';

/**
 * A refusal or failure a handler reports to the renderer. The registry turns it into
 * `{ ok: false, error }`; any other exception becomes a generic `internal_error`, so no stack,
 * path or token ever crosses the bridge.
 */
export class IpcFailure extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
    readonly details: Pick<IpcError, 'status' | 'retryAfter' | 'requestId'> = {},
  ) {
    super(message);
    this.name = 'IpcFailure';
  }

  toIpcError(): IpcError {
    return { code: this.code, message: this.message, ...this.details };
  }
}
