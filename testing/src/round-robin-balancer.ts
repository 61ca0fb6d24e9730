import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { closeNow, listenOnLoopback } from './loopback-server.js';

/** Headers about one hop's connection, never passed on (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

export interface RoundRobinBalancer {
  url: string;
  /** Requests sent again to the next backend after one failed before answering. */
  retried(): number;
  close(): Promise<void>;
}

function passOn(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}

/**
 * A small load balancer on 127.0.0.1 for fleet tests and benches: each request goes to the next
 * backend in turn over keep-alive connections. A GET or HEAD whose backend fails before answering
 * (connection refused, or reset by a backend that is stopping) goes to the next backend, as
 * nginx's `proxy_next_upstream error` does; anything else gets 502. No backend is ever marked down.
 */
export async function startRoundRobinBalancer(
  backends: readonly string[],
): Promise<RoundRobinBalancer> {
  if (backends.length === 0) throw new Error('a balancer needs at least one backend');
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  let retried = 0;

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    first: number,
    attempt: number,
  ): void => {
    // A retry goes to the backend after the one that failed: each is tried once at most.
    const target = new URL(req.url ?? '/', backends[(first + attempt) % backends.length]!);
    const upstream = httpRequest(
      target,
      { method: req.method, headers: passOn(req.headers), agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, passOn(answer.headers));
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    upstream.on('error', () => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const idempotent = req.method === 'GET' || req.method === 'HEAD';
      if (idempotent && attempt + 1 < backends.length) {
        retried += 1;
        forward(req, res, body, first, attempt + 1);
        return;
      }
      res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway');
    });
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), next++, 0));
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    retried: () => retried,
    close: async () => {
      await closeNow(server);
      agent.destroy();
    },
  };
}
