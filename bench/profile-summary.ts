/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and summarises where the time went, or a
 * sampled allocation profile (`.heapprofile`, from `allocation-sampler.mjs`) and where the bytes
 * were allocated, in the same three views:
 *   - self time (bytes) added up per package (or `node:` built-ins, the project's own source, GC,
 *     idle);
 *   - the frames with the most self time, a native frame (`writev`, a regular expression…) named
 *     with the JavaScript function that called it, so `writev ← Socket._writev` and GC are told
 *     apart from the code that caused them;
 *   - the project's own functions by total time (self and everything they call), which is what
 *     a fix in that function can save.
 * Frames of a bundle with a source map beside it (`broker/dist/server/broker.mjs.map`) are shown
 * at their original file and line, so the profile of the production bundle names `broker/src/…`
 * and each package. Usable alone: `node --import tsx bench/profile-summary.ts FILE [TOP]`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** V8's sampling heap profile: a tree of frames, each with the bytes sampled there. */
interface HeapProfileNode {
  id: number;
  callFrame: ProfileNode['callFrame'];
  selfSize: number;
  children: HeapProfileNode[];
}

export interface AllocationProfile {
  head: HeapProfileNode;
}

export type Profile = CpuProfile | AllocationProfile;

/** What a profile weighs: CPU time (in µs) or bytes allocated. */
type Unit = 'time' | 'bytes';

export interface FrameTime {
  frame: string;
  /** Milliseconds of self (or total) time, or bytes. */
  amount: number;
  share: number;
}

export interface ProfileSummary {
  unit: Unit;
  /** All of the profile: milliseconds, or bytes. */
  total: number;
  /** Time not spent idle (the process was running JavaScript, GC or native code); all bytes. */
  busy: number;
  groups: FrameTime[];
  frames: FrameTime[];
  /** The project's own functions (not node_modules, not built-ins) by total time (bytes). */
  ownTotals: FrameTime[];
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** Where a frame's code is, as a repository-relative path or a package path. */
interface Place {
  /** `broker/src/proxy/idp-proxy.ts`, `fastify/lib/reply.js`, `node:net`, or '' (native). */
  file: string;
  line: number;
  /** Whether it is a dependency's code (under node_modules). */
  isPackage: boolean;
}

/** Source maps of the bundles the profile ran, by script URL (null: none beside it). */
const maps = new Map<string, SourceMap | null>();

function sourceMapOf(url: string): SourceMap | null {
  if (maps.has(url)) return maps.get(url)!;
  let map: SourceMap | null = null;
  if (url.startsWith('file://')) {
    const mapFile = `${fileURLToPath(url)}.map`;
    if (existsSync(mapFile)) map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
  }
  maps.set(url, map);
  return map;
}

function placeAt(path: string, line: number): Place {
  const nodeModules = path.lastIndexOf('/node_modules/');
  if (nodeModules !== -1) {
    return { file: path.slice(nodeModules + '/node_modules/'.length), line, isPackage: true };
  }
  return { file: path.startsWith(root) ? path.slice(root.length) : path, line, isPackage: false };
}

function placeOf({ url, lineNumber, columnNumber }: ProfileNode['callFrame']): Place {
  if (url === '') return { file: '', line: 0, isPackage: false };
  if (url.startsWith('node:')) return { file: url, line: lineNumber + 1, isPackage: false };
  // WebAssembly in this process is undici's HTTP parser (llhttp).
  if (url.startsWith('wasm://')) return { file: 'wasm (undici llhttp)', line: 0, isPackage: true };
  const map = sourceMapOf(url);
  if (map) {
    const entry = map.findEntry(lineNumber, columnNumber) as {
      originalSource?: string;
      originalLine?: number;
    };
    if (entry.originalSource) {
      const source = entry.originalSource.startsWith('file://')
        ? fileURLToPath(entry.originalSource)
        : join(dirname(fileURLToPath(url)), entry.originalSource);
      return placeAt(source, (entry.originalLine ?? 0) + 1);
    }
  }
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return placeAt(path, lineNumber + 1);
}

/** The package a place belongs to: `fastify`, `@scope/pkg`, `node: (built-ins)`, `broker`… */
function groupOf(place: Place, functionName: string): string {
  if (place.file === '') return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  if (place.file.startsWith('node:')) return 'node: (built-ins)';
  const parts = place.file.split('/');
  if (place.isPackage && parts[0]!.startsWith('@')) return `${parts[0]}/${parts[1]}`;
  return parts[0]!;
}

/** The profile's frames, and what each weighs itself (µs of CPU, or bytes). */
function weighed(profile: Profile): {
  nodes: ProfileNode[];
  self: Map<number, number>;
  unit: Unit;
} {
  const self = new Map<number, number>();
  if ('head' in profile) {
    const nodes: ProfileNode[] = [];
    const visit = (node: HeapProfileNode) => {
      nodes.push({
        id: node.id,
        callFrame: node.callFrame,
        children: node.children.map((c) => c.id),
      });
      self.set(node.id, (self.get(node.id) ?? 0) + node.selfSize);
      for (const child of node.children) visit(child);
    };
    visit(profile.head);
    return { nodes, self, unit: 'bytes' };
  }
  for (const [index, id] of profile.samples.entries()) {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  }
  return { nodes: profile.nodes, self, unit: 'time' };
}

export function summariseProfile(profile: Profile, top = 25): ProfileSummary {
  const { nodes, self, unit } = weighed(profile);
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of nodes) {
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  }
  interface Described {
    frame: string;
    group: string;
    own: boolean;
  }
  const described = new Map<number, Described>();
  const describe = (id: number): Described => {
    const known = described.get(id);
    if (known) return known;
    const { callFrame } = byId.get(id)!;
    const place = placeOf(callFrame);
    const name = callFrame.functionName || '(anonymous)';
    let frame = place.file === '' ? name : `${name} ${place.file}:${place.line}`;
    if (place.file === '' && !name.startsWith('(')) {
      // A native frame: named with its JavaScript caller.
      const parent = parentOf.get(id);
      const caller = parent === undefined ? undefined : byId.get(parent)!.callFrame;
      if (caller && caller.url !== '') {
        const at = placeOf(caller);
        frame = `${name} ← ${caller.functionName || '(anonymous)'} ${at.file}:${at.line}`;
      }
    }
    const result = {
      frame,
      group: groupOf(place, name),
      own: place.file !== '' && !place.file.startsWith('node:') && !place.isPackage,
    };
    described.set(id, result);
    return result;
  };

  const frames = new Map<string, number>();
  const groups = new Map<string, number>();
  const ownTotals = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of self) {
    const { functionName } = byId.get(id)!.callFrame;
    totalUs += us;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const { frame, group } = describe(id);
    frames.set(frame, (frames.get(frame) ?? 0) + us);
    groups.set(group, (groups.get(group) ?? 0) + us);
    // Total time: each of the project's functions on the stack once, however often it recurs.
    const counted = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const { frame: own, own: isOwn } = describe(at);
      if (!isOwn || counted.has(own)) continue;
      counted.add(own);
      ownTotals.set(own, (ownTotals.get(own) ?? 0) + us);
    }
  }
  const busyUs = totalUs - idleUs;
  // Times in milliseconds to a tenth; bytes as they are.
  const scaled = (amount: number) => (unit === 'time' ? Math.round(amount / 100) / 10 : amount);
  const rank = (entries: Map<string, number>): FrameTime[] =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, amount]) => ({
        frame,
        amount: scaled(amount),
        share: Math.round((amount / Math.max(busyUs, 1)) * 1000) / 10,
      }));
  return {
    unit,
    total: scaled(totalUs),
    busy: scaled(busyUs),
    groups: rank(groups),
    frames: rank(frames),
    ownTotals: rank(ownTotals),
  };
}

/** Prints the summary; given the number of requests served, also microseconds per request. */
export function printSummary(summary: ProfileSummary, requests?: number): void {
  const time = summary.unit === 'time';
  const perRequest = (amount: number) => {
    if (!requests) return '';
    return time
      ? `${((amount * 1000) / requests).toFixed(1).padStart(6)} µs/req  `
      : `${Math.round(amount / requests)
          .toString()
          .padStart(6)} B/req  `;
  };
  const whole = (amount: number) =>
    time
      ? `${amount.toFixed(1).padStart(8)} ms`
      : `${(amount / 2 ** 20).toFixed(1).padStart(8)} MiB`;
  const line = (entry: FrameTime) =>
    `${entry.share.toFixed(1).padStart(5)}%  ${whole(entry.amount)}  ` +
    `${perRequest(entry.amount)}${entry.frame}`;
  const what = time ? 'time' : 'bytes allocated';
  console.log(
    time
      ? `profile: ${summary.total} ms, busy ${summary.busy} ms`
      : `allocations: ${whole(summary.total).trim()} sampled`,
    (requests ? `= ${perRequest(summary.busy).trim()} over ${requests} requests ` : '') +
      `(shares are of ${time ? 'busy time' : 'all bytes'}; start-up included)`,
  );
  console.log(`\nself ${what} by package:`);
  for (const group of summary.groups) console.log(line(group));
  console.log(`\ntop frames by self ${what} (a native frame ← its JavaScript caller):`);
  for (const frame of summary.frames) console.log(line(frame));
  console.log(`\nthe project’s own functions by total ${what} (self and callees):`);
  for (const frame of summary.ownTotals) console.log(line(frame));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: profile-summary.ts FILE.cpuprofile|FILE.heapprofile [TOP]');
    process.exit(64);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  printSummary(summariseProfile(profile, Number(process.argv[3] ?? 25)));
}
