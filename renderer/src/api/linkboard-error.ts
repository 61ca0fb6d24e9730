import type { IpcError, IpcErrorCode } from '@linkboard/contract/ipc';

/**
 * An IPC call that answered `{ ok: false }`, as an exception the UI can catch and explain. The code
 * is the stable one from the contract (main's own codes plus the broker's problem codes).
 */
export class LinkboardError extends Error {
  override readonly name = 'LinkboardError';
  readonly code: IpcErrorCode;
  readonly status: number | undefined;
  readonly retryAfter: number | undefined;
  /** The broker's request id, when main passes it on: something to quote to an operator. */
  readonly requestId: string | undefined;

  constructor(error: IpcError & { requestId?: unknown }) {
    super(error.message);
    this.code = error.code;
    this.status = error.status;
    this.retryAfter = error.retryAfter;
    this.requestId = typeof error.requestId === 'string' ? error.requestId : undefined;
  }
}

export function isLinkboardError(error: unknown): error is LinkboardError {
  return error instanceof LinkboardError;
}
