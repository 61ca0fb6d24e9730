/**
 * Loaded into a bench broker with `node --import` when BENCH_FULL_CACHES is set (children.ts):
 * a stand-in for the broker's memory caches at their bounds, kept alive for the life of the
 * process, to measure the memory a full instance needs. 10,000 users (`max` of the identities
 * and verified-token caches) each with three linked accounts at realistic token lengths (GitHub
 * 40 characters, Google ~215 and a refresh token, Microsoft ~1,400 and a refresh token), and a
 * verified caller token of ~1 KB each: 57 MiB of V8 heap once collected
 * (`v8.getHeapStatistics()`, against 4 MiB for an empty `node`). Plain JavaScript: the broker
 * runs its bundle with plain `node`, without tsx.
 */
import { randomBytes } from 'node:crypto';

const users = Number(process.env.BENCH_FULL_CACHES_USERS ?? 10_000);
const text = (length) => randomBytes(length).toString('base64url').slice(0, length);
const kept = new Map();
for (let index = 0; index < users; index += 1) {
  const userId = `auth0|bench-user-${index}`;
  const profile = { name: `User ${index}`, email: `user${index}@example.com` };
  kept.set(userId, {
    userId,
    fetchedAt: Date.now(),
    refusedConnections: new Set(),
    identities: [
      {
        connection: 'github',
        provider: 'github',
        userId: String(9_000_000 + index),
        isSocial: true,
        accessToken: `gho_${text(36)}`,
        refreshToken: undefined,
        accessTokenExpiresAt: undefined,
        profile: { ...profile, login: `user${index}`, picture: `https://example.com/u/${index}` },
      },
      {
        connection: 'google-oauth2',
        provider: 'google-oauth2',
        userId: text(21),
        isSocial: true,
        accessToken: `ya29.${text(210)}`,
        refreshToken: `1//${text(100)}`,
        accessTokenExpiresAt: Date.now() + 3_600_000,
        profile,
      },
      {
        connection: 'windowslive',
        provider: 'windowslive',
        userId: text(16),
        isSocial: true,
        accessToken: `EwB${text(1_400)}`,
        refreshToken: `M.C${text(400)}`,
        accessTokenExpiresAt: Date.now() + 3_600_000,
        profile,
      },
    ],
  });
  kept.set(`Bearer ${text(1_000)}`, { userId });
}
globalThis.benchFullCaches = kept;
