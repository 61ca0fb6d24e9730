import { readFileSync } from 'node:fs';

/** One `kB` field of /proc/PID/status, in MiB; undefined off Linux or once the process has gone. */
function statusMiB(pid: number, field: string): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith(`${field}:`));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The most memory a process has held at once so far (its peak resident set, `VmHWM`), in MiB.
 * It counts the pages of the `node` binary and its libraries too (some 35 MiB), which are shared
 * and which the kernel can drop under a memory limit rather than kill.
 */
export function peakRssMiB(pid: number | undefined): number | undefined {
  const peak = pid === undefined ? undefined : statusMiB(pid, 'VmHWM');
  return peak === undefined ? undefined : Math.round(peak);
}

/**
 * The peak of a process's own memory (`RssAnon`: heap, buffers, stacks; not file pages), sampled
 * every `everyMs` until `stop`: what a memory limit kills for. The kernel keeps no peak of it, so
 * a peak shorter than the interval can be missed.
 */
export function samplePeakAnonMiB(
  pid: number | undefined,
  everyMs = 200,
): { stop(): number | undefined } {
  let peak: number | undefined;
  const sample = () => {
    const now = pid === undefined ? undefined : statusMiB(pid, 'RssAnon');
    if (now !== undefined && (peak === undefined || now > peak)) peak = now;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peak === undefined ? undefined : Math.round(peak);
    },
  };
}
