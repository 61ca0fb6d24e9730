/**
 * What broker instances share: small string values with a time to live and short locks.
 * In memory for one instance; through Redis (`REDIS_URL`) for a fleet, so the fleet fetches one
 * M2M token per lifetime and honours one Management rate limit.
 */
export interface SharedStore {
  /**
   * Whether values leave this process (Redis): then the fleet shares them, and whatever carries a
   * token is sealed first (docs/architecture.md#fleet-state).
   */
  readonly fleetWide: boolean;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Takes a lock for at most `ttlMs`; returns a release function, or undefined when held elsewhere. */
  tryLock(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
  close(): Promise<void>;
  /** Resolves once a store outside the process is connected, or false after `timeoutMs`. */
  connected?(timeoutMs: number): Promise<boolean>;
  /** Whether a store outside the process answers (readiness); absent for memory. */
  ping?(): Promise<boolean>;
  /**
   * Sends `message` to every instance listening on `channel` (Redis `PUBLISH`): kept nowhere, so
   * only instances connected at that moment get it. Absent for memory (one instance).
   */
  publish?(channel: string, message: string): Promise<void>;
  /** Listens on `channel` for as long as the store is open. Absent for memory. */
  subscribe?(channel: string, listener: ChannelListener): void;
}

/** What an instance does with the messages of one channel. */
export interface ChannelListener {
  onMessage(message: string): void;
  /**
   * Called each time the subscription is (again) in place: messages sent before it may have been
   * missed, so whatever they would have changed must be treated as changed.
   */
  onSubscribed(): void;
}

/** One instance's store: a map with expiry times. */
export class MemoryStore implements SharedStore {
  readonly fleetWide = false;
  private readonly values = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string) {
    return this.current(key);
  }

  private current(key: string): string | undefined {
    const entry = this.values.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.values.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlMs: number) {
    this.values.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  async delete(key: string) {
    this.values.delete(key);
  }

  async tryLock(key: string, ttlMs: number) {
    // Checked and taken with no await between: two callers in this process cannot both win.
    if (this.current(key) !== undefined) return undefined;
    const owner = Math.random().toString(36);
    this.values.set(key, { value: owner, expiresAt: this.now() + ttlMs });
    return async () => {
      if (this.current(key) === owner) this.values.delete(key);
    };
  }

  async close() {
    this.values.clear();
  }
}
