import type { SharedStore } from '../cache/shared-store.js';
import { BrokerError } from '../http/broker-error.js';

const BLOCKED_KEY = 'management-blocked-until';

/**
 * Honours the Management API's 429s across the fleet: once it says "wait", no instance calls it
 * again before the time is up; callers get `upstream_rate_limited` with `Retry-After` instead.
 */
export class ManagementRateGate {
  constructor(
    private readonly store: SharedStore,
    private readonly now: () => number = Date.now,
  ) {}

  async check(): Promise<void> {
    const text = await this.store.get(BLOCKED_KEY);
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
    await this.store.set(BLOCKED_KEY, String(this.now() + ms), ms);
  }
}
