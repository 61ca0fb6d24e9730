import type { IncomingMessage, ServerResponse } from 'node:http';

/** Reads a request body up to `limitBytes`; larger bodies are refused. */
export async function readBody(req: IncomingMessage, limitBytes = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new RequestBodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export class RequestBodyTooLarge extends Error {
  constructor() {
    super('request body too large');
  }
}

export type HeaderValues = Record<string, string | number | readonly string[]>;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: HeaderValues = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: HeaderValues = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(html);
}

/** The bearer token of the Authorization header, if it has one. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** The request's URL resolved against the server's own origin. */
export function requestUrl(req: IncomingMessage, origin: string): URL {
  return new URL(req.url ?? '/', origin);
}
