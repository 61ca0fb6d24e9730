import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parsePlist } from 'plist';
import type { RegQueryResult, RegQueryRunner } from '../../src/policy/index.js';

export const fixtureDir = fileURLToPath(new URL('./fixtures', import.meta.url));

export function fixture(relative: string): Promise<string> {
  return readFile(path.join(fixtureDir, relative), 'utf8');
}

/**
 * `reg query` as it answers on a machine whose registry holds the given fixtures: a key with a
 * fixture prints it and exits 0; any other key exits 1 with reg.exe's "unable to find" message.
 */
export async function fakeRegistry(
  keys: Record<string, string>,
): Promise<{ run: RegQueryRunner; queried: string[] }> {
  const missing = await fixture('windows/key-missing.stderr.txt');
  const outputs = new Map<string, string>();
  for (const [key, file] of Object.entries(keys)) outputs.set(key, await fixture(file));
  const queried: string[] = [];
  const run = async (key: string): Promise<RegQueryResult> => {
    queried.push(key);
    const stdout = outputs.get(key);
    return stdout === undefined
      ? { exitCode: 1, stdout: '', stderr: missing }
      : { exitCode: 0, stdout, stderr: '' };
  };
  return { run, queried };
}

/** Managed preferences as plutil would hand them over, from XML plist fixtures by path. */
export function fakeManagedPreferences(files: Record<string, string>) {
  const read: string[] = [];
  const readPlist = async (file: string): Promise<unknown> => {
    read.push(file);
    const fixtureName = files[file];
    if (fixtureName === undefined) return null;
    return parsePlist(await fixture(fixtureName)) as unknown;
  };
  return { readPlist, read };
}
