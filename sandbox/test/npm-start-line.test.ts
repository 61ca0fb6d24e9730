import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { SandboxInfo } from '../src/start-line.js';
import { afterEach, describe, expect, it } from 'vitest';

// What the README tells people to run: `npm run -s sandbox -- --port 0` from the repository root.
// Without `-s`, npm prints its `> linkboard@… sandbox` banner on stdout before the start line.

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

const groups: ChildProcess[] = [];

/** Signals npm and everything it started: its own process group (it was spawned detached). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

afterEach(() => {
  for (const child of groups.splice(0)) signalGroup(child, 'SIGKILL');
});

async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

describe('npm run -s sandbox -- --port 0', () => {
  it('prints exactly one stdout line, a SandboxInfo, serves, and stops on SIGTERM', async () => {
    // Detached: npm and the sandbox get a process group of their own, as a shell job would. npm 11
    // does not forward a SIGTERM sent to npm alone (npm/run-script#142: it expects the whole group
    // to get the signal, as Ctrl-C does), so the test signals the group.
    const child = spawn('npm', ['run', '-s', 'sandbox', '--', '--port', '0'], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    groups.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;

    await withDeadline(
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (stdout.includes('\n')) resolve();
        };
        child.stdout.on('data', check);
        child.once('exit', () => reject(new Error(`npm exited before its start line: ${stderr}`)));
      }),
      START_TIMEOUT_MS,
      'the start line',
    );
    const info = SandboxInfo.parse(JSON.parse(stdout.slice(0, stdout.indexOf('\n'))));
    expect(info.domain).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const discovery = await fetch(`${info.domain}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);

    signalGroup(child, 'SIGTERM');
    // `close` comes once every process holding npm's pipes has exited: the sandbox too.
    const [code, signal] = await withDeadline(closed, STOP_TIMEOUT_MS, 'stopping');
    // The shell npm runs the script in dies of the signal, so npm reports it (a shell says 143).
    expect([0, 'SIGTERM']).toContain(signal ?? code);
    expect(stderr).toContain('[sandbox] SIGTERM: stopping');
    expect(stderr).not.toContain('failed to stop cleanly');

    // Everything npm and the sandbox printed on stdout, from start to exit: one JSON line.
    const lines = stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(SandboxInfo.safeParse(JSON.parse(lines[0] ?? '')).success).toBe(true);
    await expect(fetch(`${info.domain}/.well-known/jwks.json`)).rejects.toThrow();
  });
});
