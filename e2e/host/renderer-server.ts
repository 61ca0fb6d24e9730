import { createServer, type Server } from 'node:http';
import { closeNow, listenOnLoopback } from '@linkboard/testing/loopback-server';

/** What main's renderer handler answers for one URL (the custom protocol's response). */
export interface RendererResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string | null;
}

export type RendererHandler = (url: string) => Promise<RendererResponse> | RendererResponse;

export interface RendererServer {
  /** `http://127.0.0.1:PORT`: the renderer's origin in the host (`app://linkboard` in Electron). */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves the renderer over loopback HTTP through main's own handler, so the page gets exactly the
 * bytes and headers (CSP included) that the custom protocol gives it in Electron. Only GET and HEAD,
 * like a `protocol.handle` for static files.
 */
export async function startRendererServer(handler: RendererHandler): Promise<RendererServer> {
  let origin = '';
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    Promise.resolve(handler(new URL(request.url ?? '/', origin).href))
      .then((answer) => {
        response.writeHead(answer.status, answer.headers);
        response.end(request.method === 'HEAD' ? undefined : (answer.body ?? undefined));
      })
      .catch((error: unknown) => {
        console.error('renderer handler failed', error);
        response.writeHead(500).end();
      });
  });
  origin = await listenOnLoopback(server);
  return { origin, close: () => closeNow(server) };
}
