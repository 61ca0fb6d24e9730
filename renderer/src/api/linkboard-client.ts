import type { IpcResult, LinkboardApi } from '@linkboard/contract/ipc';
import { unwrap } from './unwrap';

/** A bridge function with its envelope unwrapped: it resolves to the value or throws. */
type Unwrapped<F> = F extends (...args: infer A) => Promise<IpcResult<infer T>>
  ? (...args: A) => Promise<T>
  : F;

/**
 * The renderer's only way out: `window.linkboard` with the same namespaces and functions (so the
 * same channel map types it), each answer unwrapped into a value or a thrown `LinkboardError`.
 * Functions that answer no envelope (`auth.onCallback`) pass through as they are. Screens and
 * hooks use this, never the raw bridge.
 */
export type LinkboardClient = {
  [N in keyof LinkboardApi]: { [F in keyof LinkboardApi[N]]: Unwrapped<LinkboardApi[N][F]> };
};

type Functions = Record<string, Record<string, (...args: unknown[]) => unknown>>;

export function createLinkboardClient(api: LinkboardApi): LinkboardClient {
  const bridge = api as unknown as Functions;
  const client: Functions = {};
  for (const [namespace, functions] of Object.entries(bridge)) {
    client[namespace] = Object.fromEntries(
      Object.keys(functions).map((name) => [
        name,
        (...args: unknown[]) => {
          // Looked up on each call, so a test may replace a function of the bridge afterwards.
          const answer = bridge[namespace]?.[name]?.(...args);
          return answer instanceof Promise ? unwrap(answer as Promise<IpcResult<unknown>>) : answer;
        },
      ]),
    );
  }
  return client as unknown as LinkboardClient;
}
