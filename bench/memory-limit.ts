/**
 * A memory limit for one bench process, as a Kubernetes container limit sets one: a cgroup of its
 * own under this process's cgroup, with `limitMiB` as its limit, that the process joins before
 * `node` starts — so Node sizes its heap for the limit (libuv reads the cgroup's limit), and the
 * kernel kills it past the limit, as the kubelet's OOM kill would. Linux only, and it needs the
 * right to create cgroups (root in the bench's container); otherwise it says why and stops.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MemoryLimit {
  /** `command args…` started inside the limit (the same pid: the shell `exec`s it). */
  wrap(command: string, args: string[]): { command: string; args: string[] };
  /** Processes of the cgroup the kernel killed for memory (`oom_kill`, in cgroup v1's
   * `memory.oom_control` or v2's `memory.events`). */
  oomKills(): number;
  /** Removes the cgroup once its process has exited. */
  remove(): void;
}

/** The directory of this process's cgroup that limits memory (v1 `memory` controller, or v2). */
function ownMemoryCgroup(): { dir: string; version: 1 | 2 } {
  const lines = readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n');
  const v1 = lines.find((line) => line.split(':')[1]?.split(',').includes('memory'));
  if (v1) return { dir: join('/sys/fs/cgroup/memory', v1.split(':')[2]!), version: 1 };
  const v2 = lines.find((line) => line.startsWith('0::'));
  if (v2) return { dir: join('/sys/fs/cgroup', v2.slice(3)), version: 2 };
  throw new Error('no memory cgroup for this process (/proc/self/cgroup)');
}

function memoryLimit(name: string, limitMiB: number): MemoryLimit {
  const own = ownMemoryCgroup();
  const dir = join(own.dir, `linkboard-bench-${name}-${process.pid}`);
  const bytes = String(limitMiB * 1024 * 1024);
  try {
    mkdirSync(dir);
    if (own.version === 1) {
      writeFileSync(join(dir, 'memory.limit_in_bytes'), bytes);
      // With swap, v1 would let the process swap past the limit instead; Kubernetes runs
      // without swap.
      const withSwap = join(dir, 'memory.memsw.limit_in_bytes');
      if (existsSync(withSwap)) writeFileSync(withSwap, bytes);
    } else {
      writeFileSync(join(dir, 'memory.max'), bytes);
      writeFileSync(join(dir, 'memory.swap.max'), '0');
    }
  } catch (error) {
    throw new Error(
      `BENCH_MEMORY_LIMIT_MIB needs a cgroup of its own under ${own.dir}: ${String(error)}`,
      { cause: error },
    );
  }
  const procs = join(dir, 'cgroup.procs');
  return {
    wrap: (command, args) => ({
      command: '/bin/sh',
      args: ['-c', 'echo $$ > "$0" && exec "$@"', procs, command, ...args],
    }),
    oomKills: () => {
      const file = join(dir, own.version === 1 ? 'memory.oom_control' : 'memory.events');
      const line = readFileSync(file, 'utf8')
        .split('\n')
        .find((entry) => entry.startsWith('oom_kill '));
      return line ? Number(line.split(' ')[1]) : 0;
    },
    remove: () => {
      try {
        rmdirSync(dir);
      } catch {
        // Still in use (a process that did not exit) or already gone: left for the system.
      }
    },
  };
}

/** `BENCH_MEMORY_LIMIT_MIB`, when set: the limit each proxy process of a bench runs within. */
function benchMemoryLimitMiB(): number | undefined {
  const value = process.env.BENCH_MEMORY_LIMIT_MIB;
  if (value === undefined || value === '') return undefined;
  const mib = Number(value);
  if (!Number.isInteger(mib) || mib < 32) {
    throw new Error(`BENCH_MEMORY_LIMIT_MIB must be a whole number of MiB, at least 32: ${value}`);
  }
  return mib;
}

/**
 * A bench run's memory limits: one per process it names when BENCH_MEMORY_LIMIT_MIB is set,
 * none otherwise; `removeAll` once the processes have stopped.
 */
export class BenchMemoryLimits {
  /** The limit of each process, in MiB, or undefined when the run has none. */
  readonly mib = benchMemoryLimitMiB();
  private readonly made = new Map<string, MemoryLimit>();

  /** A limit of its own for the process `name`, when the run has limits. */
  for(name: string): MemoryLimit | undefined {
    if (this.mib === undefined) return undefined;
    const limit = memoryLimit(name, this.mib);
    this.made.set(name, limit);
    return limit;
  }

  /** Each limited process's name and how many times the kernel killed it for memory. */
  oomKills(): string[] {
    return [...this.made].map(([name, limit]) => `${name} ${limit.oomKills()}`);
  }

  removeAll(): void {
    for (const limit of this.made.values()) limit.remove();
  }
}
