import type { IpcResult } from '@linkboard/contract/ipc';
import { LinkboardError } from './linkboard-error';

/**
 * Waits for an IPC call and returns its value, or throws its error as a `LinkboardError`. A bridge
 * that rejects instead of answering an envelope (it should not) becomes an `internal_error`.
 */
export async function unwrap<T>(call: Promise<IpcResult<T>>): Promise<T> {
  let result: IpcResult<T>;
  try {
    result = await call;
  } catch (cause) {
    throw new LinkboardError({
      code: 'internal_error',
      message: cause instanceof Error ? cause.message : 'The app did not answer.',
    });
  }
  if (result.ok) return result.value;
  throw new LinkboardError(result.error);
}
