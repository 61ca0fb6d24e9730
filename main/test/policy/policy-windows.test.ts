import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { SecretInConfigurationError } from '../../src/config/config-errors.js';
import {
  ManagedPolicyError,
  parseRegQueryOutput,
  readWindowsRegistryPolicy,
  registryValueData,
  WINDOWS_POLICY_KEYS,
} from '../../src/policy/index.js';
import { fakeRegistry, fixture } from './policy-fixtures.js';

const HKLM = String.raw`HKLM\SOFTWARE\Policies\Linkboard`;
const HKCU = String.raw`HKCU\SOFTWARE\Policies\Linkboard`;
const environment = {
  SystemRoot: String.raw`C:\Windows`,
  LINKBOARD_UPDATE_HOST: 'updates.contoso.com',
};

describe('reg query output', () => {
  it('reads every value line with its type, skipping the header, (Default) aside, and subkeys', async () => {
    const values = parseRegQueryOutput(await fixture('windows/all-value-types.txt'));
    expect(values.map((value) => [value.name, value.type])).toEqual([
      ['(Default)', 'REG_SZ'],
      ['Plain', 'REG_SZ'],
      ['Empty', 'REG_SZ'],
      ['Number', 'REG_DWORD'],
      ['Big', 'REG_QWORD'],
      ['Expanded', 'REG_EXPAND_SZ'],
      ['List', 'REG_MULTI_SZ'],
      ['Value With Spaces', 'REG_SZ'],
      ['Blob', 'REG_BINARY'],
    ]);
  });

  it('turns each type into the value it means', async () => {
    const values = parseRegQueryOutput(await fixture('windows/all-value-types.txt'));
    const data = Object.fromEntries(
      values.map((value) => [value.name, registryValueData(value, { systemroot: 'D:\\Win' })]),
    );
    expect(data).toMatchObject({
      Plain: 'some text with  two spaces',
      Empty: '',
      Number: 8080,
      Big: 4294967296,
      Expanded: String.raw`D:\Win\linkboard\%UNKNOWN_VARIABLE%`,
      List: ['latest', 'beta'],
      'Value With Spaces': 'spaced',
      Blob: '0102AB',
    });
  });
});

describe('readWindowsRegistryPolicy', () => {
  it('queries HKLM then HKCU', async () => {
    const registry = await fakeRegistry({});
    expect(WINDOWS_POLICY_KEYS).toEqual([HKLM, HKCU]);
    expect(await readWindowsRegistryPolicy({ runRegQuery: registry.run, environment })).toBeNull();
    expect(registry.queried).toEqual([HKLM, HKCU]);
  });

  it('takes each value from HKLM when both keys set it, however HKCU spells it', async () => {
    const registry = await fakeRegistry({
      [HKLM]: 'windows/hklm-linkboard.txt',
      [HKCU]: 'windows/hkcu-linkboard.txt',
    });
    const policy = await readWindowsRegistryPolicy({ runRegQuery: registry.run, environment });
    expect(policy).toEqual({
      kind: 'policy',
      location: `${HKLM} + ${HKCU}`,
      values: {
        Auth0Domain: 'contoso.eu.auth0.com',
        ClientId: 'kV3nT8pQz1LmW5rXy0Ab',
        BrokerAudience: 'https://broker.contoso.com/',
        BrokerUrl: 'https://broker.contoso.com',
        UpdatesEnabled: 0,
        LoopbackPort: 47855,
        UpdateChannel: 'beta',
        UpdateFeedUrl: 'https://updates.contoso.com/desktop',
        RedirectMode: '',
      },
    });
  });

  it('has no policy when the key exists but holds no value', async () => {
    const registry = await fakeRegistry({ [HKLM]: 'windows/hklm-empty.txt' });
    expect(await readWindowsRegistryPolicy({ runRegQuery: registry.run, environment })).toBeNull();
  });

  it('names only HKCU when only HKCU is set', async () => {
    const registry = await fakeRegistry({ [HKCU]: 'windows/hkcu-linkboard.txt' });
    const policy = await readWindowsRegistryPolicy({ runRegQuery: registry.run, environment });
    expect(policy?.location).toBe(HKCU);
    expect(policy?.values.clientid).toBe('user-chosen-client');
  });

  it('refuses to start without the policy when reg.exe fails for another reason than a missing key', async () => {
    const denied = await fixture('windows/access-denied.stderr.txt');
    const runRegQuery = async () => ({ exitCode: 1, stdout: '', stderr: denied });
    const reading = readWindowsRegistryPolicy({ runRegQuery, environment });
    await expect(reading).rejects.toBeInstanceOf(ManagedPolicyError);
    await expect(reading).rejects.toMatchObject({ problem: 'unreadable', location: HKLM });
  });
});

describe('the Windows policy in the config service', () => {
  const userSettings = {
    kind: 'user' as const,
    location: 'settings.json',
    values: {
      clientId: 'from-user-settings',
      brokerUrl: 'https://elsewhere.example.com',
      updatesEnabled: true,
      updateChannel: 'alpha',
    },
  };

  it('wins over user settings, and its keys are reported as policy', async () => {
    const registry = await fakeRegistry({
      [HKLM]: 'windows/hklm-linkboard.txt',
      [HKCU]: 'windows/hkcu-linkboard.txt',
    });
    const policy = await readWindowsRegistryPolicy({ runRegQuery: registry.run, environment });
    const result = loadConfig([userSettings, policy!], { isDevelopment: false });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.config).toMatchObject({
      clientId: 'kV3nT8pQz1LmW5rXy0Ab',
      brokerUrl: 'https://broker.contoso.com',
      updatesEnabled: false,
      loopbackPort: 47855,
      updateChannel: 'beta',
      updateFeedUrl: 'https://updates.contoso.com/desktop',
    });
    expect(result.value.sources).toMatchObject({
      clientId: 'policy',
      brokerUrl: 'policy',
      updatesEnabled: 'policy',
      updateChannel: 'policy',
      // An empty REG_SZ does not set a key: redirectMode falls through to the built-in default.
      redirectMode: 'default',
    });
  });

  it('a ClientSecret value in HKCU stops the app, naming the value and the key it is under', async () => {
    const registry = await fakeRegistry({
      [HKLM]: 'windows/hklm-linkboard.txt',
      [HKCU]: 'windows/hkcu-with-secret.txt',
    });
    const policy = await readWindowsRegistryPolicy({ runRegQuery: registry.run, environment });
    const result = loadConfig([userSettings, policy!], { isDevelopment: false });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(SecretInConfigurationError);
    expect(result.error).toMatchObject({ source: 'policy', key: 'ClientSecret', exitCode: 78 });
    expect(result.error.message).toContain(HKCU);
    expect(result.error.message).toContain('"ClientSecret"');
    expect(result.error.message).not.toContain('placeholder-not-a-secret');
  });
});
