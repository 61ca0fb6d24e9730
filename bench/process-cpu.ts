import { readFileSync } from 'node:fs';

/** CPU time (user + system, ms) used so far by a process or one of its threads, from /proc. */
function cpuMsOf(statPath: string): number | undefined {
  try {
    const fields = readFileSync(statPath, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/**
 * CPU time a process has used so far, all threads, and its main (JavaScript) thread alone; the
 * rest is V8's garbage-collection and compiler threads and libuv's pool. Undefined off Linux.
 */
export function cpuMs(pid: number | undefined): { all: number; main: number } | undefined {
  if (pid === undefined) return undefined;
  const all = cpuMsOf(`/proc/${pid}/stat`);
  const main = cpuMsOf(`/proc/${pid}/task/${pid}/stat`);
  return all === undefined || main === undefined ? undefined : { all, main };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
