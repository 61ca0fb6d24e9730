/**
 * A child process that says it is ready by printing one JSON line on stdout — the sandbox's
 * `SandboxInfo`, the broker's `{"brokerUrl": …}`, the dev stack's `{"sandbox": …, "brokerUrl": …}`
 * — started the way a person or a script would start it, and waited for with a deadline.
 *
 * The start line is the first stdout line that is JSON and that `parse` accepts (a zod schema's
 * `parse` fits); every other stdout line goes to `onOtherLine`, before and after it, so a process
 * that logs on stdout once it runs (the broker's audit lines) keeps being drained and never blocks
 * on a full pipe.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  stopChildProcess,
  type ChildExit,
  type StopChildProcessOptions,
} from './stop-child-process.js';

export interface JsonLineProcessOptions<T> {
  /** The program, e.g. `process.execPath` (with `['--import', 'tsx', script]`) or `npm`. */
  command: string;
  args?: readonly string[];
  cwd?: string;
  /** The child's whole environment; `process.env` when absent. */
  env?: NodeJS.ProcessEnv;
  /** Takes the parsed JSON of a stdout line and returns the start line's value; throws when it is not the start line. */
  parse: (json: unknown) => T;
  /** `pipe` (the default) keeps stderr for `stderr()` and for the error when the start fails. */
  stderr?: 'pipe' | 'inherit' | 'ignore';
  /** How long the process may take to print its start line; then it is stopped and `started` rejects. */
  timeoutMs?: number;
  /** Every stdout line that is not the start line (a script passes them on to its stderr). */
  onOtherLine?: (line: string) => void;
  /**
   * Whether `stdout()` and `stderr()` keep what the process printed (the default, for tests that
   * assert on it); a script running a long-lived process turns it off so nothing grows unbounded.
   */
  keepOutput?: boolean;
  /** What the process is called in errors; the command line when absent. */
  name?: string;
}

export interface StartLine<T> {
  /** What `parse` returned. */
  value: T;
  /** The line as printed, for passing it on unchanged. */
  line: string;
}

export interface JsonLineProcess<T> {
  readonly child: ChildProcess;
  /** Resolves with the start line; rejects when the process ends, fails to spawn or times out first. */
  readonly started: Promise<StartLine<T>>;
  /** Everything printed on stdout so far (empty with `keepOutput: false`). */
  stdout(): string;
  /** Everything printed on stderr so far (empty unless stderr is piped and kept). */
  stderr(): string;
  /** SIGTERM (or the given signal), SIGKILL after the grace time; resolves with how it exited. */
  stop(options?: StopChildProcessOptions): Promise<ChildExit>;
}

const STDERR_IN_ERRORS = 2000;

export function spawnJsonLineProcess<T>(options: JsonLineProcessOptions<T>): JsonLineProcess<T> {
  const args = options.args ?? [];
  const name = options.name ?? [options.command, ...args].join(' ');
  const keepOutput = options.keepOutput ?? true;
  const stderrMode = options.stderr ?? 'pipe';
  const child = spawn(options.command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', stderrMode],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  if (keepOutput) child.stdout!.on('data', (chunk: string) => (stdout += chunk));
  if (child.stderr) {
    child.stderr.setEncoding('utf8');
    // Read even when not kept: a child blocks once a pipe nobody reads is full.
    child.stderr.on('data', (chunk: string) => {
      if (keepOutput) stderr += chunk;
    });
  }
  const stop = (stopOptions?: StopChildProcessOptions) => stopChildProcess(child, stopOptions);

  const started = new Promise<StartLine<T>>((resolve, reject) => {
    let settled = false;
    let refused: string | undefined;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const tail = stderr.slice(-STDERR_IN_ERRORS).trim();
      const lastRefusal = refused === undefined ? '' : `; the last stdout line refused: ${refused}`;
      // The refused line itself is left out: a start line can carry secrets (the sandbox's).
      reject(new Error(`${name} ${why}${lastRefusal}${tail ? `\n${tail}` : ''}`));
    };
    const timeoutMs = options.timeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      fail(`printed no start line within ${timeoutMs} ms`);
      void stop();
    }, timeoutMs);

    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!settled) {
        const parsed = parseStartLine(line, options.parse);
        if (parsed.ok) {
          settled = true;
          clearTimeout(timer);
          resolve({ value: parsed.value, line });
          return;
        }
        refused = parsed.why;
      }
      options.onOtherLine?.(line);
    });
    child.once('error', (error) => fail(`could not start (${error.message})`));
    // `close`, not `exit`: a start line printed just before exiting is still read first.
    child.once('close', (code, signal) =>
      fail(`ended (${signal ?? `exit code ${code}`}) before its start line`),
    );
  });

  return { child, started, stdout: () => stdout, stderr: () => stderr, stop };
}

function parseStartLine<T>(
  line: string,
  parse: (json: unknown) => T,
): { ok: true; value: T } | { ok: false; why: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    // Not JSON.parse's message: it quotes the line.
    return { ok: false, why: 'not JSON' };
  }
  try {
    return { ok: true, value: parse(json) };
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  }
}
