import { execFileSync } from 'node:child_process';
import { chmod, chown, copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretInConfigurationError } from '../../src/config/config-errors.js';
import { loadConfig } from '../../src/config/load-config.js';
import {
  LINUX_POLICY_FILE,
  ManagedPolicyError,
  readLinuxPolicyFile,
} from '../../src/policy/index.js';
import { fixtureDir } from './policy-fixtures.js';

// The ownership checks need files owned by root and by someone else: only root can make both.
// CI and these machines run the tests as root; elsewhere the suite says why it is skipped.
const isRoot = process.getuid?.() === 0;
const OTHER_UID = 1000;

describe.skipIf(!isRoot)('readLinuxPolicyFile (needs root to chown test files)', () => {
  let root: string;
  let policyDir: string;
  let policyFile: string;

  async function installPolicy(fixtureName: string, mode = 0o644) {
    await copyFile(path.join(fixtureDir, 'linux', fixtureName), policyFile);
    await chown(policyFile, 0, 0);
    await chmod(policyFile, mode);
  }

  function reasonOf(reading: Promise<unknown>) {
    return reading.then(
      () => {
        throw new Error('the policy was accepted');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(ManagedPolicyError);
        return error as ManagedPolicyError;
      },
    );
  }

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'linkboard-policy-'));
    policyDir = path.join(root, 'etc-linkboard');
    await mkdir(policyDir, { mode: 0o755 });
    await chmod(policyDir, 0o755);
    policyFile = path.join(policyDir, 'policy.json');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads /etc/linkboard/policy.json in the app', () => {
    expect(LINUX_POLICY_FILE).toBe('/etc/linkboard/policy.json');
  });

  it('has no policy when the file or its folder does not exist', async () => {
    expect(await readLinuxPolicyFile({ file: policyFile })).toBeNull();
    expect(await readLinuxPolicyFile({ file: path.join(root, 'absent/policy.json') })).toBeNull();
  });

  it('accepts a root-owned file only root can write (644 and 600)', async () => {
    await installPolicy('policy.json');
    expect(await readLinuxPolicyFile({ file: policyFile })).toEqual({
      kind: 'policy',
      location: policyFile,
      values: {
        auth0Domain: 'contoso.eu.auth0.com',
        clientId: 'kV3nT8pQz1LmW5rXy0Ab',
        brokerAudience: 'https://broker.contoso.com/',
        brokerUrl: 'https://broker.contoso.com',
        updatesEnabled: false,
        loopbackPort: 47855,
      },
    });
    await chmod(policyFile, 0o600);
    expect(await readLinuxPolicyFile({ file: policyFile })).not.toBeNull();
  });

  it('refuses a file another user owns', async () => {
    await installPolicy('policy.json');
    await chown(policyFile, OTHER_UID, OTHER_UID);
    const error = await reasonOf(readLinuxPolicyFile({ file: policyFile }));
    expect(error.problem).toBe('not_owned_by_root');
    expect(error.message).toContain(`uid ${OTHER_UID}`);
    expect(error.exitCode).toBe(78);
  });

  it('refuses a group-writable file and a world-writable file', async () => {
    await installPolicy('policy.json', 0o664);
    expect((await reasonOf(readLinuxPolicyFile({ file: policyFile }))).problem).toBe(
      'writable_by_others',
    );
    await chmod(policyFile, 0o646);
    const error = await reasonOf(readLinuxPolicyFile({ file: policyFile }));
    expect(error.problem).toBe('writable_by_others');
    expect(error.message).toContain('646');
  });

  it('refuses a symbolic link, even to a good root-owned file', async () => {
    const target = path.join(policyDir, 'real-policy.json');
    await copyFile(path.join(fixtureDir, 'linux/policy.json'), target);
    await chmod(target, 0o644);
    await symlink(target, policyFile);
    expect((await reasonOf(readLinuxPolicyFile({ file: policyFile }))).problem).toBe(
      'symbolic_link',
    );
  });

  it('refuses a folder others can write or that is a link, and a FIFO without hanging', async () => {
    await installPolicy('policy.json');
    await chmod(policyDir, 0o777);
    expect((await reasonOf(readLinuxPolicyFile({ file: policyFile }))).problem).toBe(
      'unsafe_directory',
    );
    await chmod(policyDir, 0o755);
    await chown(policyDir, OTHER_UID, OTHER_UID);
    expect((await reasonOf(readLinuxPolicyFile({ file: policyFile }))).problem).toBe(
      'unsafe_directory',
    );
    await chown(policyDir, 0, 0);

    const linkedDir = path.join(root, 'linked');
    await symlink(policyDir, linkedDir);
    expect(
      (await reasonOf(readLinuxPolicyFile({ file: path.join(linkedDir, 'policy.json') }))).problem,
    ).toBe('unsafe_directory');

    await rm(policyFile);
    execFileSync('mkfifo', ['-m', '644', policyFile]);
    expect((await reasonOf(readLinuxPolicyFile({ file: policyFile }))).problem).toBe(
      'not_a_regular_file',
    );
  });

  it('refuses a file that is not a JSON object', async () => {
    await writeFile(policyFile, '{"clientId": ');
    await chmod(policyFile, 0o644);
    expect((await reasonOf(readLinuxPolicyFile({ file: policyFile }))).problem).toBe('malformed');
    await writeFile(policyFile, '["clientId"]');
    expect((await reasonOf(readLinuxPolicyFile({ file: policyFile }))).problem).toBe('malformed');
  });

  it('wins over user settings in the config service, its keys reported as policy', async () => {
    await installPolicy('policy.json');
    const policy = await readLinuxPolicyFile({ file: policyFile });
    const userSettings = {
      kind: 'user' as const,
      location: 'settings.json',
      values: { clientId: 'from-user-settings', updatesEnabled: true, updateChannel: 'beta' },
    };
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
      updateChannel: 'user',
    });
  });

  it('a client_secret key in the policy file stops the app, naming the key and the file', async () => {
    await installPolicy('policy-with-secret.json');
    const policy = await readLinuxPolicyFile({ file: policyFile });
    const result = loadConfig([policy!], { isDevelopment: false });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(SecretInConfigurationError);
    expect(result.error).toMatchObject({ source: 'policy', key: 'client_secret', exitCode: 78 });
    expect(result.error.message).toContain(policyFile);
    expect(result.error.message).not.toContain('placeholder-not-a-secret');
  });
});
