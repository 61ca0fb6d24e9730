import type { SharedStore } from '../cache/shared-store.js';
import { BrokerError } from '../errors/broker-error.js';

/** Shared: when the wait ends (epoch ms). Present until a call after the wait has succeeded. */
const GATE_KEY = 'management-gate';
/** Shared lock held by the one trial call let through once the wait is over. */
const TRIAL_KEY = 'management-gate-trial';
/** How long the gate stays half-open (one trial at a time) after a wait, at most. */
const HALF_OPEN_MS = 10 * 60_000;
/** Longest a trial call holds its lock if its instance never reports back. */
const TRIAL_LOCK_MS = 30_000;

/** The one call let through after a wait; it says how it went so the gate opens or stays shut. */
export interface GateTrial {
  /** The Management API answered (anything but 429): everyone may call again. */
  succeeded(): Promise<void>;
  /** The call failed without an answer: the next caller may try. */
  failed(): Promise<void>;
}

function rateLimited(waitMs: number): BrokerError {
  return new BrokerError('upstream_rate_limited', 'the tenant Management API is rate limiting', {
    retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
    limitedBy: 'management',
  });
}

/**
 * Honours the Management API's 429s across the fleet, like a circuit breaker: once it says
 * "wait", no instance calls it before the time is up (the wait capped at `maxWaitSeconds`); then
 * one trial call goes through (half-open) while the others still get `upstream_rate_limited`;
 * its success opens the gate for everyone, another 429 shuts it again.
 */
export class ManagementRateGate {
  /** A local copy of the wait, so the gate holds even when the shared store is down. */
  private localUntil = 0;

  constructor(
    private readonly store: SharedStore,
    private readonly maxWaitSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Refuses while the gate is shut; returns the trial when this call is the one let through. */
  async check(): Promise<GateTrial | undefined> {
    const now = this.now();
    if (this.localUntil > now) throw rateLimited(this.localUntil - now);
    const text = await this.store.get(GATE_KEY).catch(() => undefined);
    if (text === undefined) return undefined;
    const until = Number(text);
    if (until > now) throw rateLimited(until - now);
    const release = await this.store.tryLock(TRIAL_KEY, TRIAL_LOCK_MS).catch(() => undefined);
    if (!release) throw rateLimited(1000);
    return {
      succeeded: async () => {
        await this.store.delete(GATE_KEY).catch(() => {});
        await release().catch(() => {});
      },
      failed: () => release().catch(() => {}),
    };
  }

  /** Shuts the gate for the upstream's `seconds` (at most the cap); returns the wait applied. */
  async block(seconds: number): Promise<number> {
    const wait = Math.min(this.maxWaitSeconds, Math.max(1, seconds));
    this.localUntil = this.now() + wait * 1000;
    await this.store
      .set(GATE_KEY, String(this.localUntil), wait * 1000 + HALF_OPEN_MS)
      .catch(() => {});
    await this.store.delete(TRIAL_KEY).catch(() => {});
    return wait;
  }
}
