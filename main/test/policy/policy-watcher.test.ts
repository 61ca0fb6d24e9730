import { chmod, chown, copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStartupConfig, type StartupConfig } from '../../src/config/startup-config.js';
import {
  readLinuxPolicyFile,
  readMacManagedPreferences,
  readWindowsRegistryPolicy,
} from '../../src/policy/index.js';
import {
  folderTrigger,
  intervalTrigger,
  replayReading,
  watchManagedPolicy,
  type PolicyReading,
  type PolicyWatcher,
} from '../../src/policy/policy-watcher.js';
import { fakeManagedPreferences, fakeRegistry, fixtureDir } from './policy-fixtures.js';

// A policy changed while the app runs: the watcher re-reads it with the app's own readers and
// reports each change; the configuration is then loaded again with the same checks as at start.

const isRoot = process.getuid?.() === 0;
const watchers: PolicyWatcher[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const watcher of watchers.splice(0)) watcher.close();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** A watcher whose readings arrive in a queue the test can wait on. */
function recordingWatcher(options: Omit<Parameters<typeof watchManagedPolicy>[0], 'onChange'>) {
  const readings: PolicyReading[] = [];
  const waiters: Array<() => void> = [];
  const watcher = watchManagedPolicy({
    ...options,
    settleMs: 50,
    onChange(reading) {
      readings.push(reading);
      waiters.splice(0).forEach((wake) => wake());
    },
  });
  watchers.push(watcher);
  const next = async (count: number) => {
    const deadline = Date.now() + 10_000;
    while (readings.length < count) {
      if (Date.now() > deadline) throw new Error(`no reading ${count} within 10 s`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return readings[count - 1]!;
  };
  return { watcher, readings, next };
}

/** The configuration the app would run with after that reading (or its refusal). */
function reload(reading: PolicyReading): Promise<StartupConfig> {
  return loadStartupConfig({
    readPolicy: replayReading(reading),
    userSettingsFile: '/nonexistent/settings.json',
    environment: { LINKBOARD_BROKER_URL: 'https://broker.from-environment.example' },
    argv: [],
    isDevelopment: false,
  });
}

describe.skipIf(!isRoot)('Linux: /etc/linkboard/policy.json changed on disk (needs root)', () => {
  async function policyFolder() {
    const root = await mkdtemp(path.join(os.tmpdir(), 'linkboard-policy-watch-'));
    folders.push(root);
    const folder = path.join(root, 'etc-linkboard');
    await mkdir(folder, { mode: 0o755 });
    await chmod(folder, 0o755);
    return { folder, file: path.join(folder, 'policy.json') };
  }

  /** Writes as an admin tool would: a new root-owned file renamed into place. */
  async function install(file: string, values: Record<string, unknown>) {
    const temporary = `${file}.tmp`;
    await writeFile(temporary, JSON.stringify(values), { mode: 0o644 });
    await chown(temporary, 0, 0);
    await rename(temporary, file);
  }

  it('reports a changed brokerUrl, a dropped key and then a secret, read with the ownership checks', async () => {
    const { folder, file } = await policyFolder();
    await copyFile(path.join(fixtureDir, 'linux', 'policy.json'), file);
    await chown(file, 0, 0);
    await chmod(file, 0o644);
    const initial = await readLinuxPolicyFile({ file });
    const { next, readings } = recordingWatcher({
      read: () => readLinuxPolicyFile({ file }),
      initial,
      triggers: [folderTrigger(folder)],
    });

    const base = initial!.values;
    await install(file, { ...base, brokerUrl: 'https://broker-2.contoso.com' });
    const changed = await next(1);
    const moved = await reload(changed);
    expect(moved.ok && moved.loaded.config.brokerUrl).toBe('https://broker-2.contoso.com');
    expect(moved.ok && moved.loaded.sources.brokerUrl).toBe('policy');

    // Policy no longer sets brokerUrl: the weaker source's value applies, with its source.
    const { brokerUrl: _dropped, ...withoutBroker } = base;
    await install(file, withoutBroker);
    const dropped = await reload(await next(2));
    expect(dropped.ok && dropped.loaded.config.brokerUrl).toBe(
      'https://broker.from-environment.example',
    );
    expect(dropped.ok && dropped.loaded.sources.brokerUrl).toBe('environment');

    // A secret: the same refusal as at start (exit 78, naming the file and the key).
    await install(file, { ...base, clientSecret: 'placeholder-not-a-secret' });
    const refused = await reload(await next(3));
    expect(refused).toMatchObject({ ok: false, exitCode: 78 });
    expect(!refused.ok && refused.message).toContain('clientSecret');
    expect(!refused.ok && refused.message).toContain(file);

    // A file someone else could write is refused by the reader, as at start.
    await chmod(file, 0o666);
    await writeFile(file, JSON.stringify(base));
    const unsafe = await next(4);
    expect(unsafe.ok).toBe(false);
    expect(await reload(unsafe)).toMatchObject({ ok: false, exitCode: 78 });
    expect(readings).toHaveLength(4);
  });
});

describe('Windows registry and macOS managed preferences (fixtures, re-read on an interval)', () => {
  it('Windows: a secret appearing under HKCU is reported and refused as at start', async () => {
    let registry = await fakeRegistry({
      'HKLM\\SOFTWARE\\Policies\\Linkboard': 'windows/hklm-linkboard.txt',
    });
    let reads = 0;
    const deps = () => ({
      runRegQuery: (key: string) => {
        reads += 1;
        return registry.run(key);
      },
      environment: {},
    });
    const initial = await readWindowsRegistryPolicy(deps());
    const readsAtStart = reads;
    expect(initial?.values).toHaveProperty('BrokerUrl', 'https://broker.contoso.com');
    const { next, readings } = recordingWatcher({
      read: () => readWindowsRegistryPolicy(deps()),
      initial,
      triggers: [intervalTrigger(20)],
    });
    // Unchanged readings are not reported.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(reads).toBeGreaterThan(readsAtStart);
    expect(readings).toEqual([]);

    registry = await fakeRegistry({
      'HKLM\\SOFTWARE\\Policies\\Linkboard': 'windows/hklm-linkboard.txt',
      'HKCU\\SOFTWARE\\Policies\\Linkboard': 'windows/hkcu-with-secret.txt',
    });
    const refused = await reload(await next(1));
    expect(refused).toMatchObject({ ok: false, exitCode: 78 });
    expect(!refused.ok && refused.message).toContain('ClientSecret');
  });

  it('macOS: a changed user profile is reported, then one with a secret is refused', async () => {
    let files: Record<string, string> = {
      '/Library/Managed Preferences/com.linkboard.desktop.plist': 'macos/device.plist',
    };
    const read = () =>
      readMacManagedPreferences({
        username: 'alice',
        readPlist: fakeManagedPreferences(files).readPlist,
      });
    const initial = await read();
    const { watcher, next } = recordingWatcher({ read, initial, triggers: [] });

    files = {
      ...files,
      '/Library/Managed Preferences/alice/com.linkboard.desktop.plist': 'macos/user.plist',
    };
    await watcher.check();
    const changed = await next(1);
    expect(changed.ok && changed.policy?.location).toContain('alice');
    expect((await reload(changed)).ok).toBe(true);

    files = {
      ...files,
      '/Library/Managed Preferences/alice/com.linkboard.desktop.plist':
        'macos/user-with-secret.plist',
    };
    await watcher.check();
    expect(await reload(await next(2))).toMatchObject({ ok: false, exitCode: 78 });
  });
});
