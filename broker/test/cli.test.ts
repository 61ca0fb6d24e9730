import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const brokerDir = fileURLToPath(new URL('..', import.meta.url));

describe('npm run broker', () => {
  it('refuses to start without configuration, listing every problem, with exit code 78', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts'], {
      cwd: brokerDir,
      env: { PATH: process.env.PATH, AUTH0_M2M_CLIENT_SECRET: 'do-not-print-me' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(78);
    for (const name of ['AUTH0_DOMAIN', 'AUTH0_M2M_CLIENT_ID', 'BROKER_AUDIENCE', 'PORT']) {
      expect(result.stderr).toContain(name);
    }
    expect(result.stderr).not.toContain('do-not-print-me');
    expect(result.stdout).toBe('');
  });
});
