import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { IdentitiesResponse } from '@linkboard/contract';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { startSandbox, type RunningSandbox } from '@linkboard/sandbox';
import { signInHeadless } from '@linkboard/testing/headless-sign-in';
import { spawnJsonLineProcess } from '@linkboard/testing/json-line-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER_NODE_FLAGS, buildBrokerApp } from '../../broker/production-bundle.js';
import { BrokerStartLine } from '../../broker/src/start-line.js';

// The production build, run as an operator would: the bundle and the catalogue copied into a
// folder of their own (no node_modules anywhere above it), started with plain `node` — no tsx, no
// loader, no NODE_OPTIONS — against the sandbox tenant.
let app: string;
let bundle: string;
let sandbox: RunningSandbox;

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'linkboard-broker-app-'));
  ({ bundle } = await buildBrokerApp(app));
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox?.close();
  if (app) rmSync(app, { recursive: true, force: true });
});

/** Every folder from `folder` up to the file system's root. */
function ancestors(folder: string): string[] {
  const chain = [folder];
  while (chain.at(-1) !== parse(folder).root) chain.push(dirname(chain.at(-1) ?? folder));
  return chain;
}

describe('the broker production bundle', () => {
  it('has no node_modules to lean on where it runs', () => {
    expect(ancestors(dirname(bundle)).filter((f) => existsSync(join(f, 'node_modules')))).toEqual(
      [],
    );
  });

  it('serves identities and a proxied call with plain node, then stops on SIGTERM', async () => {
    const broker = spawnJsonLineProcess({
      command: process.execPath,
      // As the image and README start it.
      args: [...BROKER_NODE_FLAGS, bundle],
      cwd: app,
      // Only what an operator sets: no NODE_OPTIONS, so nothing but the bundle can load tsx.
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...brokerEnvFromSandbox(sandbox.info) },
      parse: (json) => BrokerStartLine.parse(json).brokerUrl,
      stderr: 'pipe',
      timeoutMs: 20_000,
      name: 'node broker.mjs',
    });
    try {
      const { value: brokerUrl } = await broker.started;
      const { access_token: accessToken } = await signInHeadless(sandbox.info, 'alice');
      const authorization = { authorization: `Bearer ${accessToken}` };

      const identities = await fetch(`${brokerUrl}/v1/me/identities`, { headers: authorization });
      expect(identities.status).toBe(200);
      const { identities: linked } = IdentitiesResponse.parse(await identities.json());
      expect(linked.map((identity) => [identity.connection, identity.status]).sort()).toEqual([
        ['Username-Password-Authentication', 'token_unavailable'],
        ['github', 'ready'],
        ['google-oauth2', 'ready'],
      ]);

      const repos = await fetch(`${brokerUrl}/v1/idp/github/user/repos?per_page=2`, {
        headers: authorization,
      });
      expect(repos.status).toBe(200);
      expect(((await repos.json()) as unknown[]).length).toBe(2);
      expect(repos.headers.get('link')).toMatch(
        /<\/v1\/idp\/github\/user\/repos\?[^>]*>; rel="next"/,
      );

      expect(await broker.stop()).toEqual({ code: 0, signal: null });
    } finally {
      await broker.stop({ signal: 'SIGKILL' });
    }
  });
});
