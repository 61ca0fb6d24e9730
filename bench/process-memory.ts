import { readFileSync } from 'node:fs';

/**
 * The most memory a process has held at once so far (its peak resident set, `VmHWM` in
 * /proc/PID/status), in MiB: what a container's memory limit is measured against. Undefined off
 * Linux or once the process has gone.
 */
export function peakRssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('VmHWM:'));
    return line ? Math.round(Number(line.split(/\s+/)[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
