import { readFile, realpath } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { PROVIDER_IMAGE_PATH } from '@linkboard/contract/desktop';
import type { ProviderImage } from '../images/provider-images.js';

export interface RendererResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export interface RendererHandlerOptions {
  /** The built renderer: `out/renderer` (index.html and assets). */
  root: string;
  /** The Content-Security-Policy header (see rendererContentSecurityPolicy). */
  csp: string;
  /** Provider images (`/_images/{connection}?url=`), fetched and kept by main; 404 without. */
  images?: { image(connection: string, url: string): Promise<ProviderImage | null> };
}

/** Maps a request URL (`app://linkboard/…` or `http://127.0.0.1:PORT/…`) to a response. */
export type RendererHandler = (requestUrl: string) => Promise<RendererResponse>;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * Serves the renderer bundle for the `app://` protocol and for the end-to-end host's HTTP server
 * alike, with the same headers: files inside `root` only (no `..`, no encoded separators, no
 * symbolic link out), a content type by extension (with `nosniff`), and the CSP on every answer.
 */
export function createRendererHandler(options: RendererHandlerOptions): RendererHandler {
  const root = resolve(options.root);
  const securityHeaders: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
  // Set by assignment, the form Electronegativity recognises as "this app sets a CSP header".
  securityHeaders['Content-Security-Policy'] = options.csp;
  const refuse = (status: number, text: string): RendererResponse => ({
    status,
    headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' },
    body: text,
  });

  const serveImage = async (request: URL): Promise<RendererResponse> => {
    const connection = request.pathname.slice(PROVIDER_IMAGE_PATH.length);
    const url = request.searchParams.get('url');
    if (!options.images || !/^[a-z0-9][a-z0-9_-]*$/.test(connection) || !url) {
      return refuse(404, 'Not found');
    }
    const image = await options.images.image(connection, url);
    if (!image) return refuse(404, 'Not found');
    return {
      status: 200,
      // The type the bytes were sniffed as, never the provider's label.
      headers: { ...securityHeaders, 'Content-Type': image.type, 'Cache-Control': 'private' },
      body: Buffer.from(image.bytes),
    };
  };

  return async (requestUrl) => {
    let request: URL;
    try {
      request = new URL(requestUrl);
    } catch {
      return refuse(400, 'Bad request');
    }
    if (request.pathname.startsWith(PROVIDER_IMAGE_PATH)) return serveImage(request);
    const { pathname } = request;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return refuse(400, 'Bad request');
    }
    if (
      decoded.includes('\0') ||
      decoded.includes('\\') ||
      decoded.split('/').some((part) => part === '..')
    ) {
      return refuse(404, 'Not found');
    }
    const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    const candidate = resolve(root, relative);
    if (!candidate.startsWith(root + sep)) return refuse(404, 'Not found');

    let body: Buffer;
    try {
      const real = await realpath(candidate);
      const realRoot = await realpath(root);
      if (!real.startsWith(realRoot + sep)) return refuse(404, 'Not found');
      body = await readFile(real);
    } catch {
      return refuse(404, 'Not found');
    }
    return {
      status: 200,
      headers: {
        ...securityHeaders,
        'Content-Type':
          CONTENT_TYPES[extname(candidate).toLowerCase()] ?? 'application/octet-stream',
      },
      body,
    };
  };
}
