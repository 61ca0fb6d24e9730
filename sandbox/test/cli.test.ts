import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { SandboxInfo } from '../src/start-line.js';
import { spawnJsonLineProcess } from '@linkboard/testing/json-line-process';
import { afterEach, describe, expect, it } from 'vitest';
import { managementToken } from './support/management.js';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const running: ChildProcess[] = [];

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

interface Started {
  child: ChildProcess;
  info: SandboxInfo;
  stdout: () => string;
  stderr: () => string;
}

async function startCli(args: string[]): Promise<Started> {
  const cli = spawnJsonLineProcess({
    command: process.execPath,
    args: ['--import', 'tsx', CLI, ...args],
    parse: (json) => SandboxInfo.parse(json),
    timeoutMs: 20_000,
    name: 'the sandbox CLI',
  });
  running.push(cli.child);
  const { value: info } = await cli.started;
  return { child: cli.child, info, stdout: cli.stdout, stderr: cli.stderr };
}

describe('the sandbox command', () => {
  it('prints exactly one JSON start line, serves, logs on stderr without secrets, and stops on SIGTERM', async () => {
    const { child, info, stdout, stderr } = await startCli(['--port', '0']);
    expect(info.domain).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const discovery = await fetch(`${info.domain}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    const accessToken = await managementToken(info);
    expect((await fetch(`${info.domain}/_sandbox/stats`)).status).toBe(200);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stdout().trim().split('\n')).toHaveLength(1);
    expect(stderr()).toContain('POST /oauth/token 200');
    for (const secret of [
      info.m2m.clientSecret,
      info.m2mLimited.clientSecret,
      ...Object.values(info.idpClients).map((client) => client.clientSecret),
      accessToken,
    ]) {
      expect(stderr()).not.toContain(secret);
    }
  });

  it('takes --no-control and the Management API rate-limit flags', async () => {
    const { child, info } = await startCli([
      '--port',
      '0',
      '--no-control',
      '--management-rate-limit',
      '2',
      '--management-rate-window',
      '60',
    ]);
    expect((await fetch(`${info.domain}/_sandbox/stats`)).status).toBe(404);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await fetch(`${info.domain}/api/v2/users/auth0%7Calice`);
      statuses.push(response.status);
      expect(response.headers.get('x-ratelimit-limit')).toBe('2');
    }
    expect(statuses).toEqual([401, 401, 429]);
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('refuses an unknown flag with usage and exit code 64', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--prot', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(child);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(64);
    expect(stderr).toContain('Usage: linkboard-sandbox');
  });
});
