import { BrokerError } from '../errors/broker-error.js';

interface UserSlots {
  inUse: number;
  waiting: Array<() => void>;
}

/** Users with no call in flight whose entries are kept before they are swept. */
const KEPT_IDLE_USERS = 1024;

/**
 * At most `limit` provider calls in flight per user (docs/architecture.md#timeouts-budgets-and-limits):
 * further calls wait for a slot until their deadline, so one user's burst of large answers cannot
 * take the broker's memory or the provider's rate limit from everyone else.
 *
 * A user's entry stays when their last call ends, and idle entries are swept in one go once
 * `keptIdle` more users are known. Deleting it at every call's end (most users have one call at
 * a time) replaced the map's hash table every few dozen calls; V8 keeps a replaced table linked
 * to its successor, so once one table is in the old generation every young collection keeps all
 * later tables and what they held alive into it (bench/README.md, point 15).
 */
export class UserCallSlots {
  private readonly users = new Map<string, UserSlots>();
  private sweepAt: number;

  constructor(
    private readonly limit: number,
    private readonly keptIdle = KEPT_IDLE_USERS,
  ) {
    this.sweepAt = keptIdle;
  }

  /** Users with an entry: those with calls in flight or waiting, and idle ones not yet swept. */
  get knownUsers(): number {
    return this.users.size;
  }

  /** Waits for a slot; resolves with its release (safe to call more than once). */
  async acquire(userId: string, deadline: AbortSignal): Promise<() => void> {
    const free = this.take(userId);
    if (free) return free;
    const user = this.users.get(userId)!;
    await this.waitForSlot(user, deadline);
    return this.releaseOf(user);
  }

  /**
   * A free slot's release at once, without a promise (the usual call: the bound only bites for a
   * burst), or undefined when all of the user's slots are taken and `acquire` must wait.
   */
  take(userId: string): (() => void) | undefined {
    let user = this.users.get(userId);
    if (!user) {
      if (this.users.size >= this.sweepAt) this.sweepIdle();
      user = { inUse: 0, waiting: [] };
      this.users.set(userId, user);
    }
    if (user.inUse >= this.limit) return undefined;
    user.inUse += 1;
    return this.releaseOf(user);
  }

  private releaseOf(user: UserSlots): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // A slot is handed straight to the next waiting call, or given back.
      const next = user.waiting.shift();
      if (next) return next();
      user.inUse -= 1;
    };
  }

  /**
   * Drops the entries of users with nothing in flight. When most users are busy, the next sweep
   * waits until the map has doubled, so a sweep costs O(1) per new user on average.
   */
  private sweepIdle(): void {
    for (const [userId, user] of this.users) {
      if (user.inUse === 0 && user.waiting.length === 0) this.users.delete(userId);
    }
    this.sweepAt = Math.max(this.keptIdle, this.users.size * 2);
  }

  private waitForSlot(user: UserSlots, deadline: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const granted = () => {
        deadline.removeEventListener('abort', late);
        resolve();
      };
      const late = () => {
        const at = user.waiting.indexOf(granted);
        if (at >= 0) user.waiting.splice(at, 1);
        reject(
          new BrokerError(
            'upstream_unavailable',
            'too many of your calls are in progress: none ended within the time budget',
          ),
        );
      };
      if (deadline.aborted) return late();
      user.waiting.push(granted);
      deadline.addEventListener('abort', late, { once: true });
    });
  }
}
