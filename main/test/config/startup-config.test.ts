import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStartupConfig } from '../../src/config/startup-config.js';
import { CONFIG_REFUSED_EXIT_CODE, ConfigRefusal } from '../../src/errors/config-refusal.js';
import { ManagedPolicyError } from '../../src/policy/managed-policy-error.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

function settingsFile(content: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'linkboard-settings-'));
  directories.push(directory);
  const file = join(directory, 'settings.json');
  writeFileSync(file, content);
  return file;
}

const devDefaults = JSON.stringify({
  auth0Domain: 'http://127.0.0.1:4000',
  clientId: 'desktop',
  brokerAudience: 'https://broker.linkboard.local/',
  brokerUrl: 'http://127.0.0.1:4100',
  updatesEnabled: false,
});

const base = { readPolicy: async () => null, argv: [] as string[], isDevelopment: true };

describe('loadStartupConfig', () => {
  it('reads user settings, environment and the development defaults, in that order of strength', async () => {
    const result = await loadStartupConfig({
      ...base,
      userSettingsFile: settingsFile(JSON.stringify({ redirectMode: 'custom-scheme' })),
      environment: { LINKBOARD_DEV_DEFAULTS: devDefaults, LINKBOARD_CLIENT_ID: 'from-env' },
    });
    expect(result.ok && result.loaded.config).toMatchObject({
      auth0Domain: 'http://127.0.0.1:4000',
      clientId: 'from-env',
      redirectMode: 'custom-scheme',
      updatesEnabled: false,
    });
    expect(result.ok && result.loaded.sources).toMatchObject({
      auth0Domain: 'default',
      clientId: 'environment',
      redirectMode: 'user',
    });
  });

  it('ignores the development defaults in a packaged build', async () => {
    const result = await loadStartupConfig({
      ...base,
      isDevelopment: false,
      userSettingsFile: '/nonexistent/settings.json',
      environment: { LINKBOARD_DEV_DEFAULTS: devDefaults },
    });
    expect(result).toMatchObject({
      ok: false,
      exitCode: CONFIG_REFUSED_EXIT_CODE,
      message: expect.stringContaining('auth0Domain: is not set'),
    });
  });

  it('refuses a secret in the user settings file, naming the file and the key', async () => {
    const file = settingsFile(JSON.stringify({ clientSecret: 'x' }));
    const result = await loadStartupConfig({ ...base, userSettingsFile: file, environment: {} });
    expect(result).toMatchObject({ ok: false, exitCode: CONFIG_REFUSED_EXIT_CODE });
    expect(!result.ok && result.message).toContain(file);
    expect(!result.ok && result.message).toContain('"clientSecret"');
  });

  it('refuses development defaults that carry a secret, by name', async () => {
    const result = await loadStartupConfig({
      ...base,
      userSettingsFile: '/nonexistent/settings.json',
      environment: { LINKBOARD_DEV_DEFAULTS: JSON.stringify({ m2mClientSecret: 'x' }) },
    });
    expect(!result.ok && result.message).toContain('"m2mClientSecret"');
  });

  it('refuses a settings file that is not a JSON object', async () => {
    const result = await loadStartupConfig({
      ...base,
      userSettingsFile: settingsFile('[1,2'),
      environment: {},
    });
    expect(result).toMatchObject({
      ok: false,
      exitCode: CONFIG_REFUSED_EXIT_CODE,
      message: expect.stringContaining('is not valid JSON'),
    });
  });

  it('refuses to start on a managed policy it cannot trust, as on any refused configuration', async () => {
    const refusal = new ManagedPolicyError('/etc/linkboard/policy.json', 'writable_by_others', 'x');
    expect(refusal).toBeInstanceOf(ConfigRefusal);
    const result = await loadStartupConfig({
      ...base,
      readPolicy: () => Promise.reject(refusal),
      userSettingsFile: '/nonexistent/settings.json',
      environment: {},
    });
    expect(result).toEqual({
      ok: false,
      exitCode: CONFIG_REFUSED_EXIT_CODE,
      message: refusal.message,
    });
  });

  it('lets a failure that only looks like a refusal through as the bug it is', async () => {
    const lookAlike = Object.assign(new Error('not a refusal'), {
      code: 'managed_policy_refused',
      exitCode: CONFIG_REFUSED_EXIT_CODE,
    });
    await expect(
      loadStartupConfig({
        ...base,
        readPolicy: () => Promise.reject(lookAlike),
        userSettingsFile: '/nonexistent/settings.json',
        environment: {},
      }),
    ).rejects.toBe(lookAlike);
  });
});
