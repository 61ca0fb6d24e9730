import type { SharedStore } from '../cache/shared-store.js';
import { BrokerError } from '../errors/broker-error.js';

const BLOCKED_KEY = 'management-blocked-until';

/**
 * Honours the Management API's 429s across the fleet: once it says "wait", no instance calls it
 * again before the time is up; callers get `upstream_rate_limited` with `Retry-After` instead.
 */
export class ManagementRateGate {
  private localUntil = 0;

  constructor(
    private readonly store: SharedStore,
    private readonly now: () => number = Date.now,
  ) {}

  async check(): Promise<void> {
    // A local copy, so the gate holds even when the shared store is down.
    const localWait = this.localUntil - this.now();
    if (localWait > 0) {
      throw new BrokerError('upstream_rate_limited', 'the tenant Management API is rate limiting', {
        retryAfterSeconds: Math.ceil(localWait / 1000),
      });
    }
    const text = await this.store.get(BLOCKED_KEY).catch(() => undefined);
    const until = text ? Number(text) : 0;
    const waitMs = until - this.now();
    if (waitMs > 0) {
      throw new BrokerError('upstream_rate_limited', 'the tenant Management API is rate limiting', {
        retryAfterSeconds: Math.ceil(waitMs / 1000),
      });
    }
  }

  async block(seconds: number): Promise<void> {
    const ms = Math.max(1, seconds) * 1000;
    this.localUntil = this.now() + ms;
    await this.store.set(BLOCKED_KEY, String(this.localUntil), ms).catch(() => {});
  }
}
