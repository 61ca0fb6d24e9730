import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * One emulated IdP API. `path` is what follows `/_idp/{connection}` (e.g. `/user/repos`); `url` is
 * the whole request URL, for the query.
 */
export interface IdpRequest {
  req: IncomingMessage;
  res: ServerResponse;
  path: string;
  url: URL;
}

export type IdpHandler = (request: IdpRequest) => Promise<void>;

/** Clamps a numeric query parameter the way the real APIs do: fall back on junk, cap at the maximum. */
export function intParam(value: string | null, fallback: number, min: number, max: number): number {
  if (value === null || !/^\d+$/.test(value)) return fallback;
  return Math.min(max, Math.max(min, Number(value)));
}
