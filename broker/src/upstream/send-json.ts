import type { z } from 'zod';
import { BrokerError } from '../errors/broker-error.js';
import {
  UpstreamUnreachableError,
  type UpstreamClient,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream-client.js';

/** An upstream JSON answer: the response as received, and its body if it is the expected one. */
export interface JsonAnswer<T> {
  response: UpstreamResponse;
  /** The body parsed with the schema when the status is 200 and the body matches; else undefined. */
  data: T | undefined;
}

/**
 * The broker's one way to call a JSON endpoint upstream (the tenant's token endpoint and
 * Management API, a provider's token endpoint): sends `call`, and parses a 200 answer with
 * `schema`. A call that gets no answer becomes `upstream_unavailable`, one whose answer cannot be
 * read (too large) `upstream_error`, both naming `upstream` (e.g. "the tenant token endpoint");
 * every status is left to the caller, which knows what each means for it.
 */
export async function sendJson<Schema extends z.ZodType>(
  client: UpstreamClient,
  call: UpstreamRequest,
  schema: Schema,
  upstream: string,
): Promise<JsonAnswer<z.infer<Schema>>> {
  let response: UpstreamResponse;
  try {
    response = await client.send(call);
  } catch (error) {
    if (error instanceof UpstreamUnreachableError) {
      throw new BrokerError('upstream_unavailable', `${upstream} cannot be reached`);
    }
    throw new BrokerError('upstream_error', `${upstream} answered badly`);
  }
  if (response.status !== 200) return { response, data: undefined };
  let body: unknown;
  try {
    body = JSON.parse(response.body.toString('utf8'));
  } catch {
    return { response, data: undefined };
  }
  const parsed = schema.safeParse(body);
  return { response, data: parsed.success ? parsed.data : undefined };
}

/** An OAuth token-endpoint request: a form POST that asks for JSON. Safe to repeat. */
export function tokenRequest(
  url: URL,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): UpstreamRequest {
  return {
    method: 'POST',
    url,
    idempotent: true,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
  };
}
