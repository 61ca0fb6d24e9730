/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and summarises where the time went: the
 * frames with the most self time, and self time added up per package (or `node:` internals,
 * the broker's own source, GC, idle). Usable alone: `node --import tsx
 * bench/cpu-profile-summary.ts FILE [TOP]`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FrameTime {
  frame: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time not spent idle (the process was running JavaScript, GC or native code). */
  busyMs: number;
  frames: FrameTime[];
  groups: FrameTime[];
}

/** Where a script lives, short: `fastify/lib/reply.js`, `broker/src/proxy/idp-proxy.ts`, `node:…`. */
function shortUrl(url: string): string {
  if (url === '') return '';
  if (url.startsWith('node:')) return url;
  const path = url.replace(/^file:\/\//, '');
  const nodeModules = path.lastIndexOf('/node_modules/');
  if (nodeModules !== -1) return path.slice(nodeModules + '/node_modules/'.length);
  const root = fileURLToPath(new URL('..', import.meta.url));
  return path.startsWith(root) ? path.slice(root.length) : path;
}

/** The package a frame belongs to: `fastify`, `@scope/pkg`, `node:internal`, `broker`, `(gc)`… */
function groupOf(url: string, functionName: string): string {
  if (url === '') return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  if (url.startsWith('node:')) return 'node: (built-ins)';
  const short = shortUrl(url);
  if (short !== url.replace(/^file:\/\//, '') && !short.startsWith('/')) {
    const parts = short.split('/');
    if (url.includes('/node_modules/')) {
      return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    }
    return parts[0]!;
  }
  return short;
}

export function summariseProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  for (const [index, id] of profile.samples.entries()) {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  }
  const frames = new Map<string, number>();
  const groups = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    totalUs += us;
    if (functionName === '(idle)') idleUs += us;
    const frame = `${functionName || '(anonymous)'} ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
    frames.set(frame, (frames.get(frame) ?? 0) + us);
    const group = groupOf(url, functionName);
    groups.set(group, (groups.get(group) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const rank = (entries: Map<string, number>): FrameTime[] =>
    [...entries]
      .filter(([name]) => name !== '(idle)' && !name.startsWith('(idle) '))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, us]) => ({
        frame,
        selfMs: Math.round(us / 100) / 10,
        share: Math.round((us / Math.max(busyUs, 1)) * 1000) / 10,
      }));
  return {
    totalMs: Math.round(totalUs / 1000),
    busyMs: Math.round(busyUs / 1000),
    frames: rank(frames),
    groups: rank(groups),
  };
}

/** Prints the summary; given the number of requests served, also microseconds per request. */
export function printSummary(summary: ProfileSummary, requests?: number): void {
  const perRequest = (ms: number) =>
    requests ? `${((ms * 1000) / requests).toFixed(1).padStart(6)} µs/req  ` : '';
  const line = (entry: FrameTime) =>
    `${entry.share.toFixed(1).padStart(5)}%  ${entry.selfMs.toFixed(1).padStart(8)} ms  ` +
    `${perRequest(entry.selfMs)}${entry.frame}`;
  console.log(
    `profile: ${summary.totalMs} ms, busy ${summary.busyMs} ms` +
      (requests ? ` = ${perRequest(summary.busyMs).trim()} over ${requests} requests` : '') +
      ' (shares are of busy time; start-up included)',
  );
  console.log('\nself time by package:');
  for (const group of summary.groups) console.log(line(group));
  console.log('\ntop frames by self time:');
  for (const frame of summary.frames) console.log(line(frame));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: cpu-profile-summary.ts FILE.cpuprofile [TOP]');
    process.exit(64);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  printSummary(summariseProfile(profile, Number(process.argv[3] ?? 25)));
}
