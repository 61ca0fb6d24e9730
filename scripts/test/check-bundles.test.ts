import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as devStackLine from '@linkboard/dev-stack/dev-stack-line';
import * as sandbox from '@linkboard/sandbox';
import { SandboxInfo } from '@linkboard/sandbox/start-line';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_ONLY_FIELDS, SANDBOX_SCHEMA_NAMES } from '../sandbox-only-names.js';
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

/**
 * A project of its own: electron-builder.yml packages out/app (without source maps) and
 * package.json; out/notes is test output that does not ship.
 */
function project(files: Record<string, string>): string {
  return bundle({
    'electron-builder.yml': 'files:\n  - out/app/**\n  - "!**/*.map"\n  - package.json\n',
    'package.json': '{"name":"fixture-app","version":"1.0.0","main":"out/app/main.js"}',
    'out/app/main.js': 'export const x = 1;',
    'out/app/renderer.js': 'console.log("hi")',
    ...files,
  });
}

describe('npm run check:bundles on what electron-builder packages (--project)', () => {
  const grant = 'body.set("grant_type", "client_credentials")';

  it('fails a packaged file that contains client_credentials, and says nothing of files that do not ship', async () => {
    const planted = project({
      'out/app/main.js': grant,
      'out/app/main.js.map': `{"sourcesContent":["${grant}"]}`,
      'out/notes/scratch.js': grant,
    });
    const { code, stderr } = await runNpmScript('check:bundles', ['--project', planted]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^FAIL out\/app\/main\.js contains "client_credentials"/m);
    expect(stderr).not.toContain('out/notes/scratch.js');
    expect(stderr).not.toContain('main.js.map');
  });

  it('passes when only files outside `files` contain it', async () => {
    const unshipped = project({
      'out/app/main.js.map': `{"sourcesContent":["${grant}"]}`,
      'out/notes/scratch.js': grant,
    });
    const { code, stdout } = await runNpmScript('check:bundles', ['--project', unshipped]);
    expect(code).toBe(0);
    // out/app/main.js, out/app/renderer.js, package.json.
    expect(stdout).toMatch(/Bundles clean: 3 files/);
  });

  it('fails a packaged file that contains the value of a secret-like build variable, naming the variable only', async () => {
    const value = `m2m-${crypto.randomUUID()}`;
    const planted = project({
      'out/app/renderer.js': `const broker = { secret: "${value}" };`,
      'out/notes/scratch.js': `const secret = "${value}";`,
    });
    const { code, stderr, stdout } = await runNpmScript('check:bundles', ['--project', planted], {
      LINKBOARD_M2M_CLIENT_SECRET: value,
    });
    expect(code).toBe(1);
    expect(stderr).toContain(
      'FAIL out/app/renderer.js contains the value of the build variable LINKBOARD_M2M_CLIENT_SECRET',
    );
    expect(stderr).not.toContain('out/notes/scratch.js');
    expect(`${stdout}${stderr}`).not.toContain(value);
  });

  it('refuses to pass when `files` matches nothing built', async () => {
    const unbuilt = bundle({
      'electron-builder.yml': 'files:\n  - out/app/**\n  - package.json\n',
      'package.json': '{"name":"fixture-app","version":"1.0.0"}',
      'out/notes/scratch.js': 'export {};',
    });
    const { code, stderr } = await runNpmScript('check:bundles', ['--project', unbuilt]);
    expect(code).toBe(2);
    expect(stderr).toContain("electron-builder's files match no built file");
  });
});

describe('npm run check:bundles refuses sandbox-only code in the product', () => {
  it('names only what the sandbox and the dev stack declare', () => {
    for (const name of SANDBOX_SCHEMA_NAMES)
      expect(name in sandbox || name in devStackLine, `${name} is exported by neither`).toBe(true);
    for (const field of SANDBOX_ONLY_FIELDS)
      expect(Object.keys(SandboxInfo.shape)).toContain(field);
  });

  it('fails a bundle that carries the sandbox start line schema, naming the file and the names', async () => {
    const planted = bundle({
      ...clean,
      'main/index.js':
        'var SandboxInfo = object({ domain: string(), desktopClientId: string(), m2mLimited: ClientCredentials });',
    });
    const { code, stderr } = await runNpmScript('check:bundles', ['--dir', planted]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      'FAIL main/index.js contains sandbox-only names (SandboxInfo, desktopClientId, m2mLimited)',
    );
    expect(stderr).not.toContain('renderer/assets/app.js');
  });

  it('fails on each name alone, wherever it is', async () => {
    const names = [...SANDBOX_SCHEMA_NAMES, ...SANDBOX_ONLY_FIELDS];
    const planted = bundle(
      Object.fromEntries(
        names.map((name) => [`assets/${name}.js`, `const line = { ${name}: 1 };`]),
      ),
    );
    const { code, stderr } = await runNpmScript('check:bundles', ['--dir', planted]);
    expect(code).toBe(1);
    for (const name of names)
      expect(stderr).toContain(`FAIL assets/${name}.js contains sandbox-only names (${name})`);
  });
});
