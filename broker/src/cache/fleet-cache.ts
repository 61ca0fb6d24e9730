import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SharedStore } from './shared-store.js';
import type { StoreNames, ValueSealer } from './value-sealer.js';

/** A value and the epoch ms after which nobody in the fleet uses it. */
export interface Kept<T> {
  value: T;
  expiresAt: number;
}

/**
 * How a `get` was answered: `shared` from the store (another instance fetched it), `fetched` by
 * this instance for the fleet, `alone` by this instance without the store (memory mode, the
 * store unreachable, or another instance's fetch outlasting the lock). Memory mode reports nothing.
 */
export type FleetCacheOutcome = 'shared' | 'fetched' | 'alone';

export interface FleetCacheOptions<T> {
  store: SharedStore;
  sealer: ValueSealer;
  /** This kind of value, e.g. `identities`: the part of its store names in the clear. */
  namespace: string;
  /** The stored value's shape: what does not match is a miss. */
  schema: z.ZodType<T>;
  /** Longest a fetch holds the fleet-wide lock: longer than the fetch's own time budget. */
  lockTtlMs: number;
  now?: () => number;
  onOutcome?: (outcome: FleetCacheOutcome) => void;
  /**
   * For a caller that keeps copies of the values in its own memory: called with a value's id when
   * another instance replaced it (`announceReplaced`), and with undefined when such notices may
   * have been missed (the subscription was down), so the copies (that one, or all) are dropped.
   * Only with a store outside the process.
   */
  onReplacedElsewhere?: (id: string | undefined) => void;
}

/** A notice that one instance replaced a value (`announceReplaced`), sealed on the channel. */
const ReplacedNotice = z.object({ id: z.string(), from: z.string() });
type ReplacedNotice = z.infer<typeof ReplacedNotice>;

/** A failure of the store, not of the fetch: the caller then fetches alone. */
class StoreFailure {
  constructor(readonly cause: unknown) {}
}

const POLL_MS = 25;
/** Stored values are written as JSON of `{ v, e }`: the value and its `expiresAt`. */
interface Stored<T> {
  v: T;
  e: number;
}

/**
 * One fetch per key across a fleet (docs/architecture.md#fleet-state): the value is read from the
 * shared store, sealed, under a name that does not say whose it is (`sealer.names`); when absent,
 * one instance takes the key's lock and fetches while the others wait for its value. In memory
 * mode (a store inside the process) the caller's own per-instance cache already has the value, so
 * this only fetches. Any store failure makes the instance fetch alone, never fail the caller.
 */
export class FleetCache<T> {
  private readonly now: () => number;
  /** Where replacements are announced: the kind of value in the clear, no id. */
  private readonly channel: string;
  /** Tells this instance's own notices from the others'. */
  private readonly instanceId = randomUUID();

  constructor(private readonly options: FleetCacheOptions<T>) {
    this.now = options.now ?? Date.now;
    this.channel = `${options.namespace}:replaced`;
    const { store, onReplacedElsewhere } = options;
    if (store.fleetWide && store.subscribe && onReplacedElsewhere) {
      store.subscribe(this.channel, {
        onMessage: (message) => {
          const id = this.openNotice(message);
          if (id !== undefined) onReplacedElsewhere(id);
        },
        onSubscribed: () => onReplacedElsewhere(undefined),
      });
    }
  }

  /**
   * Tells the other instances that the shared value for `id` was just replaced (a `get` whose
   * `accept` refused what the store held), so they drop their own copies of it instead of serving
   * them until they expire (docs/architecture.md#fleet-state). Sealed: the id names a user. A
   * store failure is ignored (the other instances then keep their copies until they expire).
   */
  async announceReplaced(id: string): Promise<void> {
    const { store, sealer } = this.options;
    if (!store.fleetWide || !store.publish) return;
    const notice = JSON.stringify({ id, from: this.instanceId } satisfies ReplacedNotice);
    await store.publish(this.channel, sealer.seal(this.channel, notice)).catch(() => {});
  }

  /** The id a notice from another instance names, or undefined (this one's, or unreadable). */
  private openNotice(message: string): string | undefined {
    const notice = ReplacedNotice.safeParse(this.openJson(this.channel, message));
    if (!notice.success || notice.data.from === this.instanceId) return undefined;
    return notice.data.id;
  }

  /**
   * The fleet's value for `id` that `accept` takes (a value it refuses counts as absent, e.g. the
   * token a provider just refused), or the one `fetch` gets, which is then shared.
   */
  async get(
    id: string,
    fetch: () => Promise<Kept<T>>,
    accept: (value: T) => boolean = () => true,
  ): Promise<Kept<T>> {
    const { store, lockTtlMs, onOutcome } = this.options;
    if (!store.fleetWide) return fetch();
    const names = this.namesOf(id);
    const deadline = this.now() + lockTtlMs;
    try {
      while (this.now() < deadline) {
        const kept = await this.readAny(names, accept);
        if (kept) {
          onOutcome?.('shared');
          return kept.kept;
        }
        const lock = `${names.current}:lock`;
        const release = await this.storeCall(() => store.tryLock(lock, lockTtlMs));
        if (release) return await this.fetchAsLeader(names, fetch, accept, release);
        // Another instance is fetching: wait for its value to appear.
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    } catch (error) {
      if (!(error instanceof StoreFailure)) throw error;
    }
    onOutcome?.('alone');
    const fresh = await fetch();
    // A command that timed out may still have taken the lock: instances waiting on it then find
    // this value instead of waiting for the lock to expire, if the store answers again.
    await this.write(names.current, fresh).catch(() => {});
    return fresh;
  }

  /** Removes the shared value for `id` if `matches` takes it (compare and drop). */
  async drop(id: string, matches: (value: T) => boolean): Promise<void> {
    const { store } = this.options;
    if (!store.fleetWide) return;
    try {
      const found = await this.readAny(this.namesOf(id), matches);
      if (found) await this.storeCall(() => store.delete(found.name));
    } catch {
      // The store is down: nothing there to drop.
    }
  }

  private async fetchAsLeader(
    names: StoreNames,
    fetch: () => Promise<Kept<T>>,
    accept: (value: T) => boolean,
    release: () => Promise<void>,
  ): Promise<Kept<T>> {
    const { onOutcome } = this.options;
    try {
      // Written between our last read and taking the lock.
      const again = await this.readAny(names, accept).catch(() => undefined);
      if (again) {
        onOutcome?.('shared');
        return again.kept;
      }
      const fresh = await fetch();
      // The value is this caller's now, whatever happens to the store.
      await this.write(names.current, fresh).catch(() => {});
      onOutcome?.('fetched');
      return fresh;
    } finally {
      await release().catch(() => {});
    }
  }

  private async write(name: string, kept: Kept<T>): Promise<void> {
    const ttlMs = kept.expiresAt - this.now();
    if (ttlMs <= 0) return;
    const text = JSON.stringify({ v: kept.value, e: kept.expiresAt } satisfies Stored<T>);
    await this.options.store.set(name, this.options.sealer.seal(name, text), ttlMs);
  }

  /**
   * The value under the current name, else under a previous key's (a rotation rolling out:
   * values written before it stay in use until they expire).
   */
  private async readAny(
    names: StoreNames,
    accept: (value: T) => boolean,
  ): Promise<{ kept: Kept<T>; name: string } | undefined> {
    for (const name of [names.current, ...names.previous]) {
      const kept = await this.read(name, accept);
      if (kept) return { kept, name };
    }
    return undefined;
  }

  private async read(name: string, accept: (value: T) => boolean): Promise<Kept<T> | undefined> {
    const sealed = await this.storeCall(() => this.options.store.get(name));
    if (sealed === undefined) return undefined;
    const stored = this.openJson(name, sealed) as Partial<Stored<unknown>> | null | undefined;
    if (typeof stored?.e !== 'number' || stored.e <= this.now()) return undefined;
    const parsed = this.options.schema.safeParse(stored.v);
    if (!parsed.success || !accept(parsed.data)) return undefined;
    return { value: parsed.data, expiresAt: stored.e };
  }

  /** What a sealed value under `name` holds, parsed, or undefined if it does not open or parse. */
  private openJson(name: string, sealed: string): unknown {
    const text = this.options.sealer.open(name, sealed);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }

  private async storeCall<R>(call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (error) {
      throw new StoreFailure(error);
    }
  }

  private namesOf(id: string): StoreNames {
    return this.options.sealer.names(this.options.namespace, id);
  }
}
