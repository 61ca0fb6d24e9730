import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readPlistWithPlutil,
  readWindowsRegistryPolicy,
  runRegQueryWithRegExe,
  systemRegExe,
} from '../../src/policy/index.js';
import { fixtureDir } from './policy-fixtures.js';

// reg.exe and plutil do not exist here: stand-in executables that print what the real ones print
// (the same fixtures) check the process plumbing of the real edges: arguments, exit codes, output.
describe('the real edges, with stand-in executables', () => {
  let dir: string;

  async function executable(name: string, script: string): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, `#!/bin/sh\n${script}\n`);
    await chmod(file, 0o755);
    return file;
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'linkboard-edges-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds reg.exe in System32 by absolute path', () => {
    expect(systemRegExe(String.raw`D:\Windows`)).toBe(String.raw`D:\Windows\System32\reg.exe`);
  });

  it('runs `reg query KEY` and passes on output and exit codes', async () => {
    const hklm = path.join(fixtureDir, 'windows/hklm-linkboard.txt');
    const missing = path.join(fixtureDir, 'windows/key-missing.stderr.txt');
    const reg = await executable(
      'reg',
      `[ "$1" = query ] || exit 64
case "$2" in
  'HKLM\\SOFTWARE\\Policies\\Linkboard') cat '${hklm}' ;;
  *) cat '${missing}' >&2; exit 1 ;;
esac`,
    );
    const policy = await readWindowsRegistryPolicy({
      runRegQuery: (key) => runRegQueryWithRegExe(key, reg),
      environment: {},
    });
    expect(policy?.location).toBe(String.raw`HKLM\SOFTWARE\Policies\Linkboard`);
    expect(policy?.values.LoopbackPort).toBe(47855);
    await expect(runRegQueryWithRegExe('HKCU\\x', reg)).resolves.toMatchObject({ exitCode: 1 });
    await expect(runRegQueryWithRegExe('HKCU\\x', path.join(dir, 'absent'))).rejects.toThrow();
  });

  it('reads a plist through `plutil -convert json -o - FILE`, null when the file is absent', async () => {
    const plutil = await executable(
      'plutil',
      `[ "$1 $2 $3 $4" = "-convert json -o -" ] || exit 64
printf '{"ClientId":"from-plutil","UpdatesEnabled":false}'`,
    );
    const plist = path.join(dir, 'com.linkboard.desktop.plist');
    await writeFile(plist, 'binary plist stand-in');
    expect(await readPlistWithPlutil(plist, plutil)).toEqual({
      ClientId: 'from-plutil',
      UpdatesEnabled: false,
    });
    expect(await readPlistWithPlutil(path.join(dir, 'absent.plist'), plutil)).toBeNull();
    const failing = await executable('plutil-fails', `echo 'invalid object in plist' >&2; exit 1`);
    await expect(readPlistWithPlutil(plist, failing)).rejects.toThrow(
      /plutil failed: invalid object/,
    );
  });
});
