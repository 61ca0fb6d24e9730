import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererContentSecurityPolicy } from '../../src/renderer-protocol/content-security-policy.js';
import {
  createRendererHandler,
  type RendererHandler,
} from '../../src/renderer-protocol/renderer-handler.js';

let base: string;
let handler: RendererHandler;
const csp = rendererContentSecurityPolicy('https://tenant.auth0.com');

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'linkboard-renderer-'));
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><script type="module" src="/assets/app.js"></script>',
  );
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(root, 'assets', 'data.bin'), 'x');
  writeFileSync(join(base, 'secret.txt'), 'outside the root');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'x.js'), 'sibling');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  handler = createRendererHandler({ root, csp });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('renderer protocol handler', () => {
  it.each([
    ['app://linkboard/index.html', 'text/html; charset=utf-8'],
    ['app://linkboard/', 'text/html; charset=utf-8'],
    ['app://linkboard/assets/app.js', 'text/javascript; charset=utf-8'],
    ['app://linkboard/assets/app.css?v=1', 'text/css; charset=utf-8'],
    ['http://127.0.0.1:5173/assets/logo.svg', 'image/svg+xml'],
    ['app://linkboard/assets/data.bin', 'application/octet-stream'],
  ])('serves %s as %s with the CSP', async (url, type) => {
    const response = await handler(url);
    expect(response.status).toBe(200);
    expect(response.headers['Content-Type']).toBe(type);
    expect(response.headers['Content-Security-Policy']).toBe(csp);
    expect(response.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it.each([
    'app://linkboard/../secret.txt',
    'app://linkboard/%2e%2e/secret.txt',
    'app://linkboard/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://linkboard/..%2fsecret.txt',
    'app://linkboard/..%5csecret.txt',
    'app://linkboard/assets/link.txt',
    'app://linkboard/%2e%2e/renderer-evil/x.js',
    'app://linkboard/index.html%00.js',
    'app://linkboard/missing.js',
    'app://linkboard/assets',
    'app://linkboard/%E0%A4%A',
  ])('refuses %s', async (url) => {
    const response = await handler(url);
    expect([400, 404]).toContain(response.status);
    expect(String(response.body)).not.toContain('outside the root');
    expect(String(response.body)).not.toContain('sibling');
    expect(response.headers['Content-Security-Policy']).toBe(csp);
  });
});

describe('renderer CSP', () => {
  it('allows scripts from the app only, never eval, and network to the Auth0 origin only', () => {
    const directives = Object.fromEntries(
      csp.split(';').map((directive) => {
        const [name, ...values] = directive.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(['https://tenant.auth0.com']);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/\*/);
    expect(rendererContentSecurityPolicy('http://127.0.0.1:4000')).toContain(
      'connect-src http://127.0.0.1:4000;',
    );
  });
});
