// @vitest-environment node
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { gzipSync } from 'node:zlib';

/**
 * The production bundle as main serves it under `default-src 'self'; script-src 'self'` (no
 * `unsafe-inline`, no `unsafe-eval`): built here into a temporary folder with the real config.
 */
const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url));
let outDir: string;
let html: string;
let scripts: string;
let styles: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'linkboard-renderer-'));
  await build({
    configFile,
    logLevel: 'silent',
    mode: 'production',
    // Vitest sets NODE_ENV=test, which would otherwise keep React's development build in.
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: { outDir, emptyOutDir: true },
  });
  html = await readFile(join(outDir, 'index.html'), 'utf8');
  const assets = await readdir(join(outDir, 'assets'));
  const read = (ext: string) =>
    Promise.all(
      assets
        .filter((name) => name.endsWith(ext))
        .map((name) => readFile(join(outDir, 'assets', name), 'utf8')),
    ).then((texts) => texts.join('\n'));
  scripts = await read('.js');
  styles = await read('.css');
}, 60_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('renderer bundle', () => {
  it('has no inline script, style or event handler in index.html', () => {
    const tags = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(tags.length).toBeGreaterThan(0);
    for (const [, attributes, body] of tags) {
      expect(attributes).toMatch(/\bsrc="\.\/assets\/[^"]+\.js"/);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('loads everything from its own folder: relative URLs, nothing remote', () => {
    expect(html).toMatch(/<link rel="stylesheet"[^>]*href="\.\/assets\/[^"]+\.css"/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(styles).not.toMatch(/url\(\s*['"]?(https?:)?\/\//);
    expect(styles).not.toMatch(/@import/);
  });

  it('needs no eval', () => {
    expect(scripts).not.toMatch(/\beval\(/);
    expect(scripts).not.toMatch(/new Function\(/);
  });

  it('stays under 200 KB of script, gzipped', () => {
    const gzipped = gzipSync(Buffer.from(scripts), { level: 9 }).length;
    expect(gzipped).toBeLessThan(200 * 1024);
  });

  it('leaves the development fake bridge out', () => {
    expect(scripts).not.toContain('placeholder-refresh-token');
    expect(scripts).not.toContain('ada-lovelace');
  });
});
