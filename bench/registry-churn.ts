/**
 * `node --import tsx bench/registry-churn.ts`: what a long-lived `Set` or `Map` that is added to
 * and deleted from on every request costs the young-generation collections (bench/README.md,
 * point 15). Each "request" allocates a small object graph and drops it after 32 more requests,
 * as a server with 32 calls in flight does; with a registry, it is also added to a `Set` (or a
 * `Map` keyed by one of 500 users) for its life, or its user's entry is added once and kept. The registries first hold a few entries through
 * several scavenges, as a broker's do before its first calls, so their tables are in the old
 * generation when the churn starts. Each case runs in a process of its own, with the broker's
 * `node` flags, and prints the bytes moved into the old generation per request and the scavenge
 * time per request, from `v8.GCProfiler`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GCProfiler } from 'node:v8';
import { BROKER_NODE_FLAGS } from '../broker/production-bundle.js';

const CASES = [
  'no registry',
  'Set of requests',
  'Map of users',
  'Map of users, kept',
  'WeakMap of requests',
] as const;
type Case = (typeof CASES)[number];
const IN_FLIGHT = 32;
const SECONDS = Number(process.env.CHURN_SECONDS ?? 3);

function run(which: Case): string {
  const set = new Set<object>();
  const map = new Map<string, object>();
  const weak = new WeakMap<object, string>();
  for (let i = 0; i < 8; i += 1) {
    set.add({ warm: i });
    map.set(`warm-${i}`, { warm: i });
  }
  // Garbage enough for a few scavenges: the registries' tables are promoted meanwhile.
  let sink = 0;
  for (let i = 0; i < 3_000_000; i += 1) sink += [i].length;
  if (sink !== 3_000_000) throw new Error('the warm-up was cut short');

  const profiler = new GCProfiler();
  profiler.start();
  const inFlight: Array<{ request: object; user: string }> = [];
  let requests = 0;
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) {
    for (let i = 0; i < 1000; i += 1, requests += 1) {
      const request = { id: requests, headers: { a: String(requests), b: 'x' }, body: [requests] };
      const user = `user-${requests % 500}`;
      if (which === 'Set of requests') set.add(request);
      // As connection mounts record a request's connection: never deleted, gone with the request.
      if (which === 'WeakMap of requests') weak.set(request, user);
      if (which === 'Map of users') map.set(user, { inUse: 1, request });
      // As `UserCallSlots` keeps them: an idle user's entry stays.
      if (which === 'Map of users, kept' && !map.has(user)) map.set(user, { inUse: 0 });
      inFlight.push({ request, user });
      if (inFlight.length > IN_FLIGHT) {
        const done = inFlight.shift()!;
        if (which === 'Set of requests') set.delete(done.request);
        if (which === 'Map of users') map.delete(done.user);
      }
    }
  }
  const { statistics } = profiler.stop();
  const oldSpace = (heap: (typeof statistics)[number]['beforeGC']) =>
    heap.heapSpaceStatistics.find((space) => space.spaceName === 'old_space')?.spaceUsedSize ?? 0;
  let promoted = 0;
  let scavengeUs = 0;
  let scavenges = 0;
  for (const gc of statistics) {
    if (gc.gcType !== 'Scavenge') continue;
    scavenges += 1;
    scavengeUs += gc.cost;
    promoted += oldSpace(gc.afterGC) - oldSpace(gc.beforeGC);
  }
  return (
    `${which.padEnd(18)} ${String(requests).padStart(9)} requests, ${scavenges} scavenges: ` +
    `${(promoted / requests).toFixed(1)} B per request into the old generation, ` +
    `${((scavengeUs * 1000) / requests).toFixed(1)} ns of scavenging per request`
  );
}

const which = CASES.find((name) => name === process.argv[2]);
if (which) {
  console.log(run(which));
} else {
  for (const name of CASES) {
    const child = spawnSync(
      process.execPath,
      [...BROKER_NODE_FLAGS, '--import', 'tsx', fileURLToPath(import.meta.url), name],
      { encoding: 'utf8' },
    );
    process.stdout.write(child.stdout || child.stderr);
  }
}
