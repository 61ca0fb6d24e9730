import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { stopChildProcess } from '../src/stop-child-process.js';

function nodeProgram(program: string) {
  return spawn(process.execPath, ['-e', program], { stdio: ['ignore', 'pipe', 'ignore'] });
}

describe('stopChildProcess', () => {
  it('sends the signal and resolves with how the process exited', async () => {
    const child = nodeProgram(
      `process.on('SIGINT', () => process.exit(7)); console.log('ready'); setInterval(() => {}, 1000);`,
    );
    await once(child.stdout, 'data');
    expect(await stopChildProcess(child, { signal: 'SIGINT' })).toEqual({ code: 7, signal: null });
  });

  it('kills a process that ignores the signal once the grace time is over', async () => {
    const child = nodeProgram(
      `process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000);`,
    );
    await once(child.stdout, 'data');
    expect(await stopChildProcess(child, { graceMs: 200 })).toEqual({
      code: null,
      signal: 'SIGKILL',
    });
  });

  it('resolves at once for a process that has already exited', async () => {
    const child = nodeProgram(`process.exit(2)`);
    await once(child, 'exit');
    expect(await stopChildProcess(child)).toEqual({ code: 2, signal: null });
  });
});
