import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runNpmScript } from './run-script.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

function bundle(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'linkboard-bundle-'));
  directories.push(directory);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(directory, name, '..'), { recursive: true });
    writeFileSync(join(directory, name), content);
  }
  return directory;
}

const clean = {
  'main/index.js': 'export const x = 1;',
  'renderer/assets/app.js': 'console.log("hi")',
};

describe('npm run check:bundles', () => {
  it('passes clean bundles', async () => {
    const { code, stdout } = await runNpmScript('check:bundles', ['--dir', bundle(clean)]);
    expect(code).toBe(0);
    expect(stdout).toContain('Bundles clean');
  });

  it('fails a bundle that contains client_credentials', async () => {
    const planted = bundle({
      ...clean,
      'main/index.js': 'body.set("grant_type", "client_credentials")',
    });
    const { code, stderr } = await runNpmScript('check:bundles', ['--dir', planted]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/main\/index\.js contains "client_credentials"/);
  });

  it('fails a bundle that contains the value of a secret-like build variable, naming the variable only', async () => {
    const value = `s3cr3t-${crypto.randomUUID()}`;
    const planted = bundle({ ...clean, 'renderer/assets/app.js': `const key = "${value}";` });
    const { code, stderr, stdout } = await runNpmScript('check:bundles', ['--dir', planted], {
      AUTH0_CLIENT_SECRET: value,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('contains the value of the build variable AUTH0_CLIENT_SECRET');
    expect(`${stdout}${stderr}`).not.toContain(value);
  });

  it('tolerates only the exact shapes of the known library code', async () => {
    const library =
      'l=await async function(e,t,n,o,i){return Dn(e,t,n,"client_credentials",new URLSearchParams(o),i)}';
    expect(
      (await runNpmScript('check:bundles', ['--dir', bundle({ 'vendor.js': library })])).code,
    ).toBe(0);
    const lookalike = `${library};fetch(u,{body:"grant_type=client_credentials"})`;
    expect(
      (await runNpmScript('check:bundles', ['--dir', bundle({ 'vendor.js': lookalike })])).code,
    ).toBe(1);
  });
});
