import { RENDERER_SCHEME } from '@linkboard/contract/desktop';
import type { Protocol } from 'electron';
import type { RendererHandler } from '../renderer-protocol/renderer-handler.js';

/**
 * `app://` as a standard, secure scheme (a real origin, `app://linkboard`, for the CSP and the IPC
 * sender check; fetch allowed for the bundle's own files). Must run before the app is ready.
 */
export function registerRendererScheme(
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>,
): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: RENDERER_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    },
  ]);
}

/** Serves the renderer bundle on `app://` through the same handler the e2e host uses. */
export function serveRenderer(protocol: Pick<Protocol, 'handle'>, handler: RendererHandler): void {
  protocol.handle(RENDERER_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405 });
    }
    const { status, headers, body } = await handler(request.url);
    return new Response(typeof body === 'string' ? body : new Uint8Array(body), {
      status,
      headers,
    });
  });
}
