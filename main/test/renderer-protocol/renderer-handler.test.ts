import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerImagePath } from '@linkboard/contract/desktop';
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

describe('provider images on the app protocol', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  const asked: Array<[string, string]> = [];
  const withImages = createRendererHandler({
    root: join(tmpdir(), 'no-renderer-needed'),
    csp,
    images: {
      image: async (connection, url) => {
        asked.push([connection, url]);
        return url === 'https://avatars.githubusercontent.com/u/1?v=4'
          ? { type: 'image/png', bytes: png }
          : null;
      },
    },
  });

  it('answers an image with its sniffed type, nosniff and the CSP', async () => {
    const response = await withImages(
      `app://linkboard${providerImagePath('github', 'https://avatars.githubusercontent.com/u/1?v=4')}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers['Content-Type']).toBe('image/png');
    expect(response.headers['X-Content-Type-Options']).toBe('nosniff');
    expect(response.headers['Content-Security-Policy']).toBe(csp);
    expect(new Uint8Array(response.body as Buffer)).toEqual(png);
    expect(asked.at(-1)).toEqual(['github', 'https://avatars.githubusercontent.com/u/1?v=4']);
  });

  it.each([
    ['a refused image', providerImagePath('github', 'https://evil.example/x.png')],
    ['no url', '/_images/github'],
    ['a connection that is not a name', '/_images/..%2fgithub?url=https%3A%2F%2Fa'],
    ['no connection', '/_images/?url=https%3A%2F%2Fa'],
  ])('answers 404 to %s', async (_what, path) => {
    const response = await withImages(`app://linkboard${path}`);
    expect(response.status).toBe(404);
    expect(response.headers['Content-Type']).toBe('text/plain; charset=utf-8');
  });

  it('answers 404 when main serves no images', async () => {
    const path = providerImagePath('github', 'https://avatars.githubusercontent.com/u/1?v=4');
    expect((await handler(`app://linkboard${path}`)).status).toBe(404);
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
    // Provider images come through the app's own protocol, never from a remote origin.
    expect(directives['img-src']).toEqual(["'self'", 'data:']);
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
