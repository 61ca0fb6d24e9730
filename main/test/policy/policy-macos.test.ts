import { describe, expect, it } from 'vitest';
import { SecretInConfigurationError } from '../../src/config/config-errors.js';
import { loadConfig } from '../../src/config/load-config.js';
import {
  macManagedPreferenceFiles,
  ManagedPolicyError,
  readMacManagedPreferences,
} from '../../src/policy/index.js';
import { fakeManagedPreferences } from './policy-fixtures.js';

const DEVICE = '/Library/Managed Preferences/com.linkboard.desktop.plist';
const USER = '/Library/Managed Preferences/alice/com.linkboard.desktop.plist';

/** alice's managed preferences on a Mac where these plist fixtures are installed (path → fixture). */
function readAlicePreferences(files: Record<string, string>) {
  return readMacManagedPreferences({
    username: 'alice',
    readPlist: fakeManagedPreferences(files).readPlist,
  });
}

describe('readMacManagedPreferences', () => {
  it('reads the device file, then the signed-in user’s', async () => {
    expect(macManagedPreferenceFiles('alice')).toEqual([DEVICE, USER]);
    const preferences = fakeManagedPreferences({});
    expect(
      await readMacManagedPreferences({ username: 'alice', readPlist: preferences.readPlist }),
    ).toBeNull();
    expect(preferences.read).toEqual([DEVICE, USER]);
  });

  it('does not build a per-user path from a user name that could leave the folder', () => {
    expect(macManagedPreferenceFiles('../../tmp')).toEqual([DEVICE]);
    expect(macManagedPreferenceFiles('..')).toEqual([DEVICE]);
  });

  it('takes each key from the device profile when both set it', async () => {
    const policy = await readAlicePreferences({
      [DEVICE]: 'macos/device.plist',
      [USER]: 'macos/user.plist',
    });
    expect(policy).toEqual({
      kind: 'policy',
      location: `${DEVICE} + ${USER}`,
      values: {
        Auth0Domain: 'contoso.eu.auth0.com',
        ClientId: 'kV3nT8pQz1LmW5rXy0Ab',
        BrokerAudience: 'https://broker.contoso.com/',
        BrokerUrl: 'https://broker.contoso.com',
        UpdatesEnabled: false,
        LoopbackPort: 47855,
        PayloadIdentifier: 'com.linkboard.desktop.policy',
        UpdateChannel: 'beta',
      },
    });
  });

  it('refuses a plist whose root is not a dictionary, and one it cannot read', async () => {
    await expect(
      readAlicePreferences({ [DEVICE]: 'macos/array-root.plist' }),
    ).rejects.toMatchObject({ problem: 'malformed', location: DEVICE });
    const failing = async () => {
      throw new Error('plutil failed: invalid object in plist for destination format');
    };
    await expect(
      readMacManagedPreferences({ username: 'alice', readPlist: failing }),
    ).rejects.toBeInstanceOf(ManagedPolicyError);
  });
});

describe('macOS managed preferences in the config service', () => {
  const userSettings = {
    kind: 'user' as const,
    location: 'settings.json',
    values: { clientId: 'from-user-settings', updatesEnabled: true },
  };

  it('win over user settings, and their keys are reported as policy', async () => {
    const policy = await readAlicePreferences({
      [DEVICE]: 'macos/device.plist',
      [USER]: 'macos/user.plist',
    });
    const result = loadConfig([userSettings, policy!], { isDevelopment: false });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.config).toMatchObject({
      clientId: 'kV3nT8pQz1LmW5rXy0Ab',
      updatesEnabled: false,
      updateChannel: 'beta',
    });
    expect(result.value.sources).toMatchObject({
      clientId: 'policy',
      updatesEnabled: 'policy',
      updateChannel: 'policy',
    });
  });

  it('an M2MClientSecret key in the user profile stops the app, naming the key and the file', async () => {
    const policy = await readAlicePreferences({
      [DEVICE]: 'macos/device.plist',
      [USER]: 'macos/user-with-secret.plist',
    });
    const result = loadConfig([userSettings, policy!], { isDevelopment: false });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(SecretInConfigurationError);
    expect(result.error).toMatchObject({ source: 'policy', key: 'M2MClientSecret', exitCode: 78 });
    expect(result.error.message).toContain(USER);
    expect(result.error.message).not.toContain('placeholder-not-a-secret');
  });
});
