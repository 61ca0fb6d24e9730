import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ChannelListener, SharedStore } from './shared-store.js';

/** Deletes the lock only if this instance still owns it. */
const RELEASE_SCRIPT =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export interface RedisStoreOptions {
  prefix?: string;
  /** Called once per command that failed (Redis down or slow): the broker then works alone. */
  onError?: (operation: string) => void;
  /** Called when the connection becomes usable (true) or is lost (false). */
  onConnection?: (up: boolean) => void;
}

/**
 * The fleet's store in Redis. Keys are prefixed so a shared Redis can hold other things too.
 * While Redis is unreachable every command fails at once (no offline queue) and ioredis keeps
 * reconnecting by itself, so callers fall back to this instance's memory without waiting
 * (docs/architecture.md#fleet-state).
 */
export class RedisStore implements SharedStore {
  readonly fleetWide = true;
  readonly redis: Redis;
  /** What every key of this store starts with in Redis. */
  readonly prefix: string;
  private readonly onError: (operation: string) => void;
  /** Listeners by full channel name, and the connection that hears them (opened on first use). */
  private readonly channels = new Map<string, ChannelListener>();
  private subscriber: Redis | undefined;

  constructor(url: string, options: RedisStoreOptions = {}) {
    this.prefix = options.prefix ?? 'linkboard:broker:';
    this.onError = options.onError ?? (() => {});
    this.redis = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      // A Redis that does not answer must not hold requests: the broker then works alone.
      commandTimeout: 1000,
      enableOfflineQueue: false,
      // Reconnect quickly, then every second at most, for as long as the process lives.
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    });
    // Errors surface on each command; without a listener ioredis would print them.
    this.redis.on('error', () => {});
    const onConnection = options.onConnection ?? (() => {});
    this.redis.on('ready', () => onConnection(true));
    this.redis.on('close', () => onConnection(false));
  }

  /** Resolves once connected, or after `timeoutMs` (the broker starts degraded then). */
  async connected(timeoutMs: number): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const done = (ready: boolean) => {
        clearTimeout(timer);
        this.redis.off('ready', onReady);
        resolve(ready);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.redis.on('ready', onReady);
    });
  }

  private async run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      this.onError(operation);
      throw error;
    }
  }

  async get(key: string) {
    return (await this.run('get', () => this.redis.get(this.prefix + key))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number) {
    await this.run('set', () =>
      this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs))),
    );
  }

  async delete(key: string) {
    await this.run('delete', () => this.redis.del(this.prefix + key));
  }

  async tryLock(key: string, ttlMs: number) {
    const owner = randomUUID();
    const name = this.prefix + key;
    const taken = await this.run('lock', () =>
      this.redis.set(name, owner, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'),
    );
    if (taken !== 'OK') return undefined;
    return async () => {
      await this.run('unlock', () => this.redis.eval(RELEASE_SCRIPT, 1, name, owner));
    };
  }

  async ping(): Promise<boolean> {
    return (await this.run('ping', () => this.redis.ping())) === 'PONG';
  }

  async publish(channel: string, message: string) {
    await this.run('publish', () => this.redis.publish(this.prefix + channel, message));
  }

  subscribe(channel: string, listener: ChannelListener) {
    const name = this.prefix + channel;
    this.channels.set(name, listener);
    this.subscriber ??= this.openSubscriber();
    if (this.subscriber.status === 'ready') void this.listen(this.subscriber, [name]);
  }

  /**
   * A connection of its own (one that subscribes can send nothing else). Every time it is ready,
   * first or after a reconnection, it subscribes again itself and tells the listeners: what was
   * published while it was down is lost (docs/architecture.md#fleet-state).
   */
  private openSubscriber(): Redis {
    const subscriber = this.redis.duplicate({ autoResubscribe: false });
    subscriber.on('error', () => {});
    subscriber.on('message', (name: string, message: string) =>
      this.channels.get(name)?.onMessage(message),
    );
    subscriber.on('ready', () => void this.listen(subscriber, [...this.channels.keys()]));
    return subscriber;
  }

  private async listen(subscriber: Redis, names: string[]): Promise<void> {
    if (names.length === 0) return;
    try {
      await this.run('subscribe', () => subscriber.subscribe(...names));
    } catch {
      // The connection failed again: its next `ready` subscribes again.
      return;
    }
    for (const name of names) this.channels.get(name)?.onSubscribed();
  }

  async close() {
    this.subscriber?.disconnect();
    this.redis.disconnect();
  }
}
