import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ProvidersResponse, SandboxInfo } from '@linkboard/contract';
import { describe, expect, it } from 'vitest';
import { signIn } from './support/sign-in.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function answers(url: string): Promise<boolean> {
  try {
    await (await fetch(url, { signal: AbortSignal.timeout(1000) })).body?.cancel();
    return true;
  } catch {
    return false;
  }
}

describe('npm run dev:stack', () => {
  it('prints one JSON line once sandbox and broker answer, and SIGTERM stops both', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev-stack.ts'], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no start line')), 40_000);
        createInterface({ input: child.stdout }).once('line', (first) => {
          clearTimeout(timer);
          resolve(first);
        });
      });
      const started = JSON.parse(line) as { sandbox: unknown; brokerUrl: string };
      const info = SandboxInfo.parse(started.sandbox);
      expect(started.brokerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const { accessToken } = await signIn(info, 'alice');
      const response = await fetch(`${started.brokerUrl}/v1/providers`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(ProvidersResponse.parse(await response.json()).providers.length).toBeGreaterThan(2);
      const repos = await fetch(`${started.brokerUrl}/v1/idp/github/user/repos?per_page=2`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(repos.status).toBe(200);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await answers(`${started.brokerUrl}/healthz`)).toBe(false);
      expect(await answers(`${info.domain}/.well-known/jwks.json`)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
