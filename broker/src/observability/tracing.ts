import { SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { BrokerError } from '../errors/broker-error.js';
import { TokenRefusal } from '../errors/token-refusal.js';

/**
 * The broker's own spans (docs/architecture.md#traces). Until `startTracing` sets a tracer, `inSpan`
 * only runs its work: with tracing off, no span object, context switch or SDK module exists.
 */
let tracer: Tracer | undefined;

/** Set by `startTracing` once the SDK runs; `undefined` turns the broker's spans off again. */
export function useTracer(next: Tracer | undefined): void {
  tracer = next;
}

/** Whether the broker makes spans: `startTracing` set a tracer. */
export function tracing(): boolean {
  return tracer !== undefined;
}

/** Names of the broker's spans, one per step of a request worth seeing in a trace. */
export const SPAN = {
  verifyToken: 'broker verify access token',
  providerToken: 'broker provider token',
  identities: 'broker identities lookup',
  getUser: 'broker management get user',
  m2mGrant: 'broker m2m grant',
  tokenVaultExchange: 'broker token vault exchange',
  providerRefresh: 'broker provider token refresh',
  providerCall: 'broker provider call',
} as const;

/**
 * Runs `work` inside a span named `name`, the active one for whatever `work` starts (its HTTP
 * and Redis calls become its children). Attributes are names, connections and outcomes only:
 * never a token, a user id or a message (docs/architecture.md#security-rules). A failure marks
 * the span with the error's problem code or refusal reason, not its message.
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  // Only within a request's trace: background work (readiness checks) makes no root spans.
  if (!tracer || !trace.getActiveSpan()) return work(undefined);
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: failureName(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

function failureName(error: unknown): string {
  if (error instanceof TokenRefusal) return `${error.code}:${error.reason}`;
  if (error instanceof BrokerError) return error.code;
  return error instanceof Error ? error.name : 'error';
}
