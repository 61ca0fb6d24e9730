import { BrokerError } from '../errors/broker-error.js';

interface UserSlots {
  inUse: number;
  waiting: Array<() => void>;
}

/**
 * At most `limit` provider calls in flight per user (docs/architecture.md#timeouts-budgets-and-limits):
 * further calls wait for a slot until their deadline, so one user's burst of large answers cannot
 * take the broker's memory or the provider's rate limit from everyone else.
 */
export class UserCallSlots {
  private readonly users = new Map<string, UserSlots>();

  constructor(private readonly limit: number) {}

  /** Waits for a slot; resolves with its release (safe to call more than once). */
  async acquire(userId: string, deadline: AbortSignal): Promise<() => void> {
    const free = this.take(userId);
    if (free) return free;
    const user = this.users.get(userId)!;
    await this.waitForSlot(user, deadline);
    return this.releaseOf(userId, user);
  }

  /**
   * A free slot's release at once, without a promise (the usual call: the bound only bites for a
   * burst), or undefined when all of the user's slots are taken and `acquire` must wait.
   */
  take(userId: string): (() => void) | undefined {
    let user = this.users.get(userId);
    if (!user) {
      user = { inUse: 0, waiting: [] };
      this.users.set(userId, user);
    }
    if (user.inUse >= this.limit) return undefined;
    user.inUse += 1;
    return this.releaseOf(userId, user);
  }

  private releaseOf(userId: string, user: UserSlots): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // A slot is handed straight to the next waiting call, or given back.
      const next = user.waiting.shift();
      if (next) return next();
      user.inUse -= 1;
      if (user.inUse === 0) this.users.delete(userId);
    };
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
