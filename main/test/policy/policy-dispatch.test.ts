import { describe, expect, it } from 'vitest';
import { readManagedPolicy, type ManagedPolicyDeps } from '../../src/policy/index.js';
import { fakeManagedPreferences, fakeRegistry } from './policy-fixtures.js';

describe('readManagedPolicy', () => {
  async function deps(): Promise<{ deps: ManagedPolicyDeps; queried: string[]; read: string[] }> {
    const registry = await fakeRegistry({
      [String.raw`HKLM\SOFTWARE\Policies\Linkboard`]: 'windows/hklm-linkboard.txt',
    });
    const preferences = fakeManagedPreferences({
      '/Library/Managed Preferences/com.linkboard.desktop.plist': 'macos/device.plist',
    });
    return {
      deps: {
        windows: { runRegQuery: registry.run, environment: {} },
        macos: { username: 'alice', readPlist: preferences.readPlist },
        linux: { file: '/nonexistent-linkboard-test/policy.json' },
      },
      queried: registry.queried,
      read: preferences.read,
    };
  }

  it('reads the registry on Windows only', async () => {
    const setup = await deps();
    const policy = await readManagedPolicy('win32', setup.deps);
    expect(policy?.location).toBe(String.raw`HKLM\SOFTWARE\Policies\Linkboard`);
    expect(setup.read).toEqual([]);
  });

  it('reads managed preferences on macOS only', async () => {
    const setup = await deps();
    const policy = await readManagedPolicy('darwin', setup.deps);
    expect(policy?.location).toBe('/Library/Managed Preferences/com.linkboard.desktop.plist');
    expect(setup.queried).toEqual([]);
  });

  it('reads the policy file on Linux, and nothing on other systems', async () => {
    const setup = await deps();
    expect(await readManagedPolicy('linux', setup.deps)).toBeNull();
    expect(await readManagedPolicy('freebsd', setup.deps)).toBeNull();
    expect(setup.queried).toEqual([]);
    expect(setup.read).toEqual([]);
  });
});
