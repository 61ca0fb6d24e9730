import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnJsonLineProcess, type JsonLineProcess } from '../src/json-line-process.js';

// Small Node programs stand in for the sandbox, the broker and the dev stack.
const running: JsonLineProcess<unknown>[] = [];

function node<T>(
  program: string,
  options: Partial<Parameters<typeof spawnJsonLineProcess<T>>[0]> & {
    parse: (json: unknown) => T;
  },
): JsonLineProcess<T> {
  const started = spawnJsonLineProcess({
    command: process.execPath,
    args: ['-e', program],
    name: 'the test program',
    ...options,
  });
  running.push(started);
  return started;
}

function urlOf(json: unknown): string {
  const url = (json as { url?: unknown }).url;
  if (typeof url !== 'string') throw new Error('no url');
  return url;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => process.stop({ graceMs: 2000 })));
});

describe('spawnJsonLineProcess', () => {
  it('resolves with the first line parse accepts, and passes every other line on', async () => {
    const others: string[] = [];
    const started = node(
      `console.log('booting');
       console.log(JSON.stringify({ other: true }));
       console.log(JSON.stringify({ url: 'http://127.0.0.1:1' }));
       console.log('serving');
       console.error('a log line');
       setInterval(() => {}, 1000);`,
      { parse: urlOf, onOtherLine: (line) => others.push(line) },
    );
    const { value, line } = await started.started;
    expect(value).toBe('http://127.0.0.1:1');
    expect(line).toBe('{"url":"http://127.0.0.1:1"}');
    await expect.poll(() => others).toEqual(['booting', '{"other":true}', 'serving']);
    await expect.poll(() => started.stderr()).toContain('a log line');
    expect(started.stdout().split('\n').filter(Boolean)).toHaveLength(4);
    expect(await started.stop()).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('reads a start line printed just before the process exits', async () => {
    const started = node(`console.log(JSON.stringify({ url: 'u' }));`, { parse: urlOf });
    expect((await started.started).value).toBe('u');
  });

  it('rejects with the exit code and stderr when the process ends first, without quoting stdout', async () => {
    const started = node(
      `console.log('secret-on-stdout'); console.error('bad flag'); process.exit(64);`,
      { parse: urlOf },
    );
    const failure = await started.started.then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/the test program ended \(exit code 64\) before its start line/);
    expect(failure).toContain('bad flag');
    expect(failure).toContain('not JSON');
    expect(failure).not.toContain('secret-on-stdout');
  });

  it('rejects and stops the process when no start line comes in time', async () => {
    const started = node(`setInterval(() => {}, 1000);`, { parse: urlOf, timeoutMs: 300 });
    await expect(started.started).rejects.toThrow(/printed no start line within 300 ms/);
    await expect.poll(() => started.child.signalCode, { timeout: 5000 }).toBe('SIGTERM');
  });

  it('rejects when the program cannot be spawned', async () => {
    const started = spawnJsonLineProcess({
      command: '/nonexistent/program',
      parse: urlOf,
    });
    await expect(started.started).rejects.toThrow(
      /could not start \(spawn \/nonexistent\/program ENOENT\)/,
    );
  });

  it('keeps nothing with keepOutput: false, while the process runs on to its end', async () => {
    const started = node(
      `console.log(JSON.stringify({ url: 'u' }));
       for (let i = 0; i < 2000; i += 1) { console.log('x'.repeat(100)); console.error('y'.repeat(100)); }
       process.stdout.write('', () => process.exit(3));`,
      { parse: urlOf, keepOutput: false },
    );
    const exited = once(started.child, 'exit');
    await started.started;
    expect(await exited).toEqual([3, null]);
    expect(started.stdout()).toBe('');
    expect(started.stderr()).toBe('');
  });
});
