import { Problem } from '@linkboard/contract';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/cache/redis-store.js';
import { newCacheKey } from './support/cache-key.js';
import { connectAccount, disconnectAccount } from './support/connected-accounts.js';
import { redisUnavailableReason, startRedis } from './support/redis-server.js';
import {
  callBroker,
  listIdentities,
  startStack,
  type BrokerHandle,
  type Stack,
} from './support/stack.js';

/**
 * Two brokers in token-vault mode sharing a real `redis-server`: the fresh account list after the
 * app's Disconnect, sent to one instance, takes effect on the others at once, though each kept
 * the exchanged token in its own memory (docs/architecture.md#fleet-state).
 */
const noRedis = redisUnavailableReason();
const isPublish = (args: string[]) => args[0]?.toLowerCase() === 'publish';

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(noRedis !== undefined)(
  `token-vault fleet after Connect and Disconnect${noRedis ? ` (skipped: ${noRedis})` : ''}`,
  () => {
    let stack: Stack;
    let redis: Awaited<ReturnType<typeof startRedis>>;
    let first: BrokerHandle;
    let second: BrokerHandle;

    beforeAll(async () => {
      stack = await startStack();
      redis = await startRedis();
      const env = { REDIS_URL: redis.url, BROKER_CACHE_KEY: newCacheKey() };
      [first, second] = await Promise.all([
        stack.startVaultBroker({ env }),
        stack.startVaultBroker({ env }),
      ]);
    }, 60_000);
    afterAll(async () => {
      await stack?.close();
      redis?.stop();
    });
    beforeEach(async () => {
      await stack.reset();
    });

    it('stops serving a disconnected account on every instance once one gives the fresh list', async () => {
      const dave = await stack.tokenFor('dave');
      await connectAccount(stack.info, 'dave', 'github');
      // dave browses through both instances: one exchange, the token kept in each one's memory.
      for (const broker of [first, second, first, second]) {
        expect((await callBroker(broker.url, '/v1/idp/github/user', dave)).status).toBe(200);
      }
      expect((await stack.stats()).tokenVaultExchanges.github).toBe(1);
      expect((await stack.stats()).idpCalls.github).toBe(4);

      await disconnectAccount(stack.info, 'dave', 'github');
      expect(await listIdentities(first.url, dave, true)).toEqual([]);

      const refused = await callBroker(second.url, '/v1/idp/github/user', dave);
      expect(refused.status).toBe(404);
      expect(Problem.parse(refused.json())).toMatchObject({
        code: 'identity_not_linked',
        connect: { connection: 'github' },
      });
      expect(await listIdentities(second.url, dave)).toEqual([]);
      const stats = await stack.stats();
      // GitHub was not called with the disconnected account's token, and the second instance
      // took the fresh answer from Redis rather than exchanging again.
      expect(stats.idpCalls.github).toBe(4);
      expect(stats.tokenVaultExchanges.github).toBe(2);
    });

    it('shows an account connected from the app on every instance once one gives the fresh list', async () => {
      const carol = await stack.tokenFor('carol');
      expect(await listIdentities(first.url, carol)).toEqual([]);
      expect(await listIdentities(second.url, carol)).toEqual([]);
      await connectAccount(stack.info, 'carol', 'github');
      expect(await listIdentities(first.url, carol, true)).toEqual(['github:ready']);
      expect(await listIdentities(second.url, carol)).toEqual(['github:ready']);
      expect((await callBroker(second.url, '/v1/idp/github/user', carol)).status).toBe(200);
      // One exchange for the first lists (shared), one for the fresh list; none on the second since.
      expect((await stack.stats()).tokenVaultExchanges.github).toBe(2);
    });

    it('carries no user id and no connection name through Redis', async () => {
      const monitor = new Redis(redis.url);
      const seen: string[][] = [];
      monitor.on('error', () => {});
      const feed = await monitor.monitor();
      feed.on('monitor', (_time: string, args: string[]) => seen.push(args));
      try {
        const dave = await stack.tokenFor('dave');
        await connectAccount(stack.info, 'dave', 'github');
        expect(await listIdentities(first.url, dave, true)).toEqual(['github:ready']);
        await until(() => seen.some(isPublish), 'the notice');
      } finally {
        feed.disconnect();
        monitor.disconnect();
      }
      // The notice names the kind of value, and carries the user and connection sealed.
      expect(seen.find(isPublish)?.[1]).toBe('linkboard:broker:token-vault:replaced');
      for (const line of seen.map((args) => args.join(' '))) {
        expect(line).not.toContain('auth0|dave');
        expect(line).not.toContain('github');
      }
    });
  },
);

describe.skipIf(noRedis !== undefined)(
  `RedisStore channels${noRedis ? ` (skipped: ${noRedis})` : ''}`,
  () => {
    it('delivers messages to every subscriber, and says when a lost subscription is back', async () => {
      const redis = await startRedis();
      const publisher = new RedisStore(redis.url);
      const listener = new RedisStore(redis.url);
      const messages: string[] = [];
      let subscribed = 0;
      try {
        listener.subscribe('test:channel', {
          onMessage: (message) => messages.push(message),
          onSubscribed: () => (subscribed += 1),
        });
        await until(() => subscribed === 1, 'the subscription');
        await publisher.connected(2000);
        await publisher.publish('test:channel', 'one');
        await until(() => messages.length === 1, 'the first message');
        expect(messages).toEqual(['one']);

        // The subscriber's connection is cut: messages sent meanwhile are lost, so the listener
        // is told once it is subscribed again, and hears what comes after.
        const admin = new Redis(redis.url);
        await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
        admin.disconnect();
        await until(() => subscribed === 2, 'the subscription again');
        await publisher.publish('test:channel', 'two');
        await until(() => messages.length === 2, 'the second message');
        expect(messages).toEqual(['one', 'two']);
      } finally {
        await publisher.close();
        await listener.close();
        redis.stop();
      }
    });
  },
);
