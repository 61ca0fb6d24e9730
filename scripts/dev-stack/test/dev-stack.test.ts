import { fileURLToPath } from 'node:url';
import { ProvidersResponse } from '@linkboard/contract';
import { signInHeadless } from '@linkboard/testing/headless-sign-in';
import { spawnJsonLineProcess } from '@linkboard/testing/json-line-process';
import { describe, expect, it } from 'vitest';
import { DevStackLine } from '../src/dev-stack-line.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

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
    const stack = spawnJsonLineProcess({
      command: process.execPath,
      args: ['--import', 'tsx', 'scripts/dev-stack/src/cli.ts'],
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn' },
      parse: (json) => DevStackLine.parse(json),
      stderr: 'ignore',
      timeoutMs: 40_000,
      name: 'npm run dev:stack',
    });
    try {
      const { value: started, line } = await stack.started;
      // One line, and nothing before it.
      expect(stack.stdout().split('\n')[0]).toBe(line);
      const info = started.sandbox;
      expect(started.brokerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const { access_token: accessToken } = await signInHeadless(info, 'alice');
      const response = await fetch(`${started.brokerUrl}/v1/providers`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(ProvidersResponse.parse(await response.json()).providers.length).toBeGreaterThan(2);
      const repos = await fetch(`${started.brokerUrl}/v1/idp/github/user/repos?per_page=2`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(repos.status).toBe(200);

      expect(await stack.stop()).toEqual({ code: 0, signal: null });
      expect(await answers(`${started.brokerUrl}/healthz`)).toBe(false);
      expect(await answers(`${info.domain}/.well-known/jwks.json`)).toBe(false);
    } finally {
      await stack.stop({ signal: 'SIGKILL' });
    }
  }, 60_000);
});
