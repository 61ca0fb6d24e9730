import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DevStackLine } from '@linkboard/dev-stack/dev-stack-line';
import { signInHeadless } from '@linkboard/testing/headless-sign-in';
import { spawnJsonLineProcess, type JsonLineProcess } from '@linkboard/testing/json-line-process';

const root = fileURLToPath(new URL('../..', import.meta.url));
let stack: JsonLineProcess<DevStackLine> | undefined;

afterAll(async () => {
  await stack?.stop({ graceMs: 5000 });
});

describe('npm run dev:stack with TOKEN_SOURCE=token-vault', () => {
  it('runs the broker with the Token Vault client only: erin browses GitHub, no Management API call', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TOKEN_SOURCE: 'token-vault',
      LOG_LEVEL: 'warn',
    };
    stack = spawnJsonLineProcess({
      command: process.execPath,
      args: ['--import', 'tsx', 'scripts/dev-stack/src/cli.ts'],
      cwd: root,
      env,
      parse: (json) => DevStackLine.parse(json),
      timeoutMs: 60_000,
      name: 'dev:stack',
    });
    const { value } = await stack.started;
    const { sandbox, brokerUrl } = value;

    const { access_token: erin } = await signInHeadless(sandbox, 'erin');
    const user = await fetch(`${brokerUrl}/v1/idp/github/user`, {
      headers: { authorization: `Bearer ${erin}` },
    });
    expect(user.status).toBe(200);
    expect(((await user.json()) as { login: string }).login).toBe('erin-vault');
    const identities = (await (
      await fetch(`${brokerUrl}/v1/me/identities`, { headers: { authorization: `Bearer ${erin}` } })
    ).json()) as { connectable: string[] };
    expect(identities.connectable.length).toBeGreaterThan(0);

    const stats = (await (await fetch(`${sandbox.domain}/_sandbox/stats`)).json()) as {
      managementGetUser: number;
      grants: Record<string, number>;
      tokenVaultExchanges: Record<string, number>;
    };
    expect(stats.managementGetUser).toBe(0);
    expect(stats.grants.client_credentials ?? 0).toBe(0);
    expect(stats.tokenVaultExchanges.github).toBeGreaterThan(0);
  }, 90_000);
});
