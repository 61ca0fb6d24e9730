import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CONFIG_FILE_BYTES, readJsonConfigFile } from '../../src/config/json-file-source.js';
import { loadConfig } from '../../src/config/load-config.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

function scratch(): string {
  const directory = mkdtempSync(join(tmpdir(), 'linkboard-config-file-'));
  directories.push(directory);
  return directory;
}

/** Settles within `ms`, or fails: a read that blocks (a FIFO) or never ends (`/dev/zero`) must not. */
function within<T>(promise: Promise<T>, ms = 2000): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_resolve, reject) =>
      setTimeout(() => reject(new Error(`still reading after ${ms} ms`)), ms).unref(),
    ),
  ]);
}

describe('configuration files', () => {
  it('reads a regular JSON file of settings', async () => {
    const file = join(scratch(), 'settings.json');
    writeFileSync(file, JSON.stringify({ redirectMode: 'custom-scheme' }));
    expect(await readJsonConfigFile(file, 'user')).toEqual({
      kind: 'user',
      location: file,
      values: { redirectMode: 'custom-scheme' },
    });
    expect(await readJsonConfigFile(join(scratch(), 'missing.json'), 'user')).toBeNull();
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = join(scratch(), 'settings.json');
    execFileSync('mkfifo', [fifo]);
    await expect(within(readJsonConfigFile(fifo, 'user'))).rejects.toMatchObject({
      code: 'invalid_configuration',
      message: expect.stringContaining('is not a regular file'),
    });
  });

  it.each([
    ['a link to /dev/zero', '/dev/zero'],
    ['a link to /dev/null', '/dev/null'],
  ])('refuses %s before reading it', async (_name, target) => {
    const link = join(scratch(), 'settings.json');
    symlinkSync(target, link);
    await expect(within(readJsonConfigFile(link, 'user'))).rejects.toMatchObject({
      message: expect.stringContaining('is not a regular file'),
    });
  });

  it('refuses a directory', async () => {
    const directory = join(scratch(), 'settings.json');
    mkdirSync(directory);
    await expect(readJsonConfigFile(directory, 'user')).rejects.toMatchObject({
      code: 'invalid_configuration',
    });
  });

  it('refuses a file larger than the cap', async () => {
    const file = join(scratch(), 'settings.json');
    writeFileSync(file, JSON.stringify({ padding: 'x'.repeat(MAX_CONFIG_FILE_BYTES) }));
    await expect(readJsonConfigFile(file, 'user')).rejects.toMatchObject({
      message: expect.stringContaining(`larger than ${MAX_CONFIG_FILE_BYTES} bytes`),
    });
  });

  it('refuses a duplicate key that would hide a secret from the parsed settings', async () => {
    const file = join(scratch(), 'settings.json');
    // JSON.parse keeps the last "advanced": the first one, with the secret, would vanish.
    writeFileSync(file, '{"advanced": {"clientSecret": "s3cr3t-value"}, "advanced": {}}');
    await expect(readJsonConfigFile(file, 'user')).rejects.toMatchObject({
      code: 'invalid_configuration',
      message: expect.stringContaining('sets "advanced" more than once'),
    });
    expect(
      JSON.stringify(await readJsonConfigFile(file, 'user').catch((e: Error) => e.message)),
    ).not.toContain('s3cr3t');
  });

  it('tells a duplicate key from the same name in sibling objects or inside strings', async () => {
    const file = join(scratch(), 'settings.json');
    writeFileSync(
      file,
      '{"note": "{\\"a\\": 1, \\"a\\": 2}", "list": [{"k": 1}, {"k": 2}], "k": [["k"]]}',
    );
    expect(await readJsonConfigFile(file, 'user')).toMatchObject({ kind: 'user' });
  });

  it('refuses a secret under a key spelled with a separator the old check did not know', async () => {
    const file = join(scratch(), 'settings.json');
    writeFileSync(file, JSON.stringify({ 'client:secret': 'x' }));
    const source = await readJsonConfigFile(file, 'user');
    expect(source).not.toBeNull();
    expect(loadConfig([source!], { isDevelopment: true })).toMatchObject({
      ok: false,
      error: { code: 'secret_in_configuration', key: 'client:secret' },
    });
  });
});
