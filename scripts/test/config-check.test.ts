import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNpmScript } from './run-script.js';

let directory: string;
const file = (name: string, content: unknown) => {
  const path = join(directory, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const policy = {
  Auth0Domain: 'tenant.eu.auth0.com',
  ClientId: 'AbC123',
  BrokerAudience: 'https://broker.example.org/',
  BrokerUrl: 'https://broker.example.org',
};

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'linkboard-config-check-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('npm run config:check', () => {
  it('accepts a good policy: exit 0, effective keys and their sources', async () => {
    const path = file('good.json', { ...policy, LoopbackPort: 50123 });
    const { code, stdout } = await runNpmScript('config:check', [path]);
    expect(code).toBe(0);
    expect(stdout).toContain('accepted');
    expect(stdout).toMatch(/brokerUrl = "https:\/\/broker\.example\.org"\s+\(.*good\.json\)/);
    expect(stdout).toMatch(/loopbackPort = 50123/);
    expect(stdout).toMatch(/redirectMode = "loopback"\s+\(built-in defaults\)/);
  });

  it.each([
    [
      'policy file',
      (path: string) => [path],
      { ...policy, Auth0ClientSecret: 'x' },
      'Auth0ClientSecret',
      {},
    ],
    [
      'user settings',
      (path: string) => [file('p.json', policy), '--user-settings', path],
      { privateKey: 'x' },
      'privateKey',
      {},
    ],
    [
      'environment',
      () => [file('p2.json', policy), '--environment'],
      null,
      'LINKBOARD_M2M_CLIENT_ID',
      { LINKBOARD_M2M_CLIENT_ID: 'abc' },
    ],
    [
      'command line',
      () => [file('p3.json', policy), '--', '--client-secret=abc'],
      null,
      'client-secret',
      {},
    ],
  ] as const)(
    'refuses a secret in the %s: exit 78, the key and where it is, never the value',
    async (_name, args, content, key, environment) => {
      const path = content ? file(`secret-${key}.json`, content) : '';
      const { code, stderr, stdout } = await runNpmScript(
        'config:check',
        [...args(path)],
        environment,
      );
      expect(code).toBe(78);
      expect(stderr).toContain(`"${key}"`);
      expect(stderr).toContain('belong on the broker');
      expect(`${stdout}${stderr}`).not.toMatch(/"abc"|=abc/);
    },
  );

  it('refuses invalid values with exit 78 and says which key', async () => {
    const path = file('http.json', { ...policy, BrokerUrl: 'http://broker.example.org' });
    const { code, stderr } = await runNpmScript('config:check', [path]);
    expect(code).toBe(78);
    expect(stderr).toContain('brokerUrl: must be an https URL');
  });

  it('lists keys a partial policy leaves unset, and refuses them with --complete', async () => {
    const path = file('partial.json', { BrokerUrl: 'https://broker.example.org' });
    const lenient = await runNpmScript('config:check', [path]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('auth0Domain: not set here');
    const strict = await runNpmScript('config:check', [path, '--complete']);
    expect(strict.code).toBe(78);
    expect(strict.stderr).toContain('auth0Domain');
  });

  it('refuses a file that is not JSON with exit 78, and says how to use it without a file', async () => {
    expect((await runNpmScript('config:check', [file('bad.json', '{nope')])).code).toBe(78);
    expect((await runNpmScript('config:check', [])).code).toBe(64);
  });
});
