import type { ChildProcess } from 'node:child_process';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StopChildProcessOptions {
  /** The signal that asks it to stop; SIGTERM unless a test exercises another (SIGINT). */
  signal?: NodeJS.Signals;
  /** How long it may take to stop before SIGKILL: a process that ignores the signal is not left behind. */
  graceMs?: number;
}

/**
 * Asks a child process to stop and resolves once it has exited (at once if it already had), with
 * its exit code or signal: tests assert on a clean exit, and nothing outlives the test or script.
 */
export function stopChildProcess(
  child: ChildProcess,
  options: StopChildProcessOptions = {},
): Promise<ChildExit> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    const kill = setTimeout(() => child.kill('SIGKILL'), options.graceMs ?? 10_000);
    child.once('exit', (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal });
    });
    child.kill(options.signal ?? 'SIGTERM');
  });
}
