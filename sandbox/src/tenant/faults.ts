import { z } from 'zod';
import { IDP_CONNECTIONS, REFRESHING_CONNECTIONS } from './tenant-config.js';

/**
 * Faults tests inject with `POST /_sandbox/faults`: the next `count` requests to a target fail with a
 * status, are delayed, or have their connection reset.
 */
const FAULT_TARGETS = [
  'token',
  'management',
  'jwks',
  ...IDP_CONNECTIONS.map((connection) => `idp:${connection}` as const),
  ...REFRESHING_CONNECTIONS.map((connection) => `idp-token:${connection}` as const),
] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];

export const FaultRequest = z.discriminatedUnion('kind', [
  z.object({
    target: z.enum(FAULT_TARGETS),
    kind: z.literal('status'),
    status: z.number().int().min(400).max(599).default(500),
    /** Seconds for `Retry-After` on 429 and 503 answers. */
    retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
    count: z.number().int().min(1).max(10_000).default(1),
  }),
  z.object({
    target: z.enum(FAULT_TARGETS),
    kind: z.literal('delay'),
    delayMs: z.number().int().min(0).max(60_000),
    count: z.number().int().min(1).max(10_000).default(1),
  }),
  z.object({
    target: z.enum(FAULT_TARGETS),
    kind: z.literal('reset'),
    count: z.number().int().min(1).max(10_000).default(1),
  }),
]);
export type Fault = z.infer<typeof FaultRequest>;

/** One firing of a fault, as the request that drew it must suffer it. */
export type FaultEffect =
  | { kind: 'status'; status: number; retryAfterSeconds: number }
  | { kind: 'delay'; delayMs: number }
  | { kind: 'reset' };

export class FaultInjector {
  #queue: { fault: Fault; remaining: number }[] = [];

  add(fault: Fault): void {
    this.#queue.push({ fault, remaining: fault.count });
  }

  /** The fault the next request to `target` suffers, if any (first injected, first served). */
  take(target: FaultTarget): FaultEffect | undefined {
    const entry = this.#queue.find((candidate) => candidate.fault.target === target);
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.#queue = this.#queue.filter((candidate) => candidate !== entry);
    const { fault } = entry;
    switch (fault.kind) {
      case 'status':
        return { kind: 'status', status: fault.status, retryAfterSeconds: fault.retryAfterSeconds };
      case 'delay':
        return { kind: 'delay', delayMs: fault.delayMs };
      case 'reset':
        return { kind: 'reset' };
    }
  }

  pending(): { target: FaultTarget; kind: Fault['kind']; remaining: number }[] {
    return this.#queue.map(({ fault, remaining }) => ({
      target: fault.target,
      kind: fault.kind,
      remaining,
    }));
  }

  reset(): void {
    this.#queue = [];
  }
}
