import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startLoopbackServer, type LoopbackServer } from '@linkboard/testing/loopback-server';

/**
 * Serves a tiny page that loads the real auth0-spa-js (bundled with esbuild from `entry` in
 * `browser/`, `spa-entry.js` unless said) on a loopback origin, as the end-to-end host serves the
 * renderer.
 */
export async function startSpaTestPage(
  config: { domain: string; audience: string },
  entry = 'spa-entry.js',
): Promise<LoopbackServer> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL(`../browser/${entry}`, import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>spa test page</title>
<script type="application/json" id="config">${JSON.stringify(config)}</script>
<script type="module" src="/bundle.js"></script></head><body><p>test page</p></body></html>`;
  return startLoopbackServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/bundle.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
}
