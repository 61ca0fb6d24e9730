/**
 * A fixed-window limiter shaped like Auth0's Management API limits: every answer carries
 * `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` (epoch seconds), and a request
 * over the limit gets 429 with `retry-after`.
 */
export interface RateLimitSettings {
  limit: number;
  windowSeconds: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class FixedWindowRateLimiter {
  readonly #settings: RateLimitSettings;
  readonly #now: () => number;
  #windowStart = 0;
  #used = 0;

  constructor(settings: RateLimitSettings, now: () => number = Date.now) {
    if (!(settings.limit >= 1) || !(settings.windowSeconds >= 1)) {
      throw new RangeError('rate limit needs limit >= 1 and windowSeconds >= 1');
    }
    this.#settings = settings;
    this.#now = now;
  }

  consume(): RateLimitDecision {
    const now = this.#now();
    const windowMs = this.#settings.windowSeconds * 1000;
    if (now - this.#windowStart >= windowMs) {
      // A window opens with the first request after the previous one closed.
      this.#windowStart = now;
      this.#used = 0;
    }
    const resetAt = Math.ceil((this.#windowStart + windowMs) / 1000);
    const allowed = this.#used < this.#settings.limit;
    if (allowed) this.#used += 1;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(this.#settings.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.#settings.limit - this.#used)),
      'x-ratelimit-reset': String(resetAt),
    };
    if (!allowed) headers['retry-after'] = String(Math.max(1, resetAt - Math.floor(now / 1000)));
    return { allowed, headers };
  }

  reset(): void {
    this.#windowStart = 0;
    this.#used = 0;
  }
}
