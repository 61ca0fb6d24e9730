import type { FastifyRequest } from 'fastify';

/** Where an answer's headers are being set: Fastify's reply, or a `HeaderRecord`. */
export interface HeaderTarget {
  hasHeader(name: string): boolean;
  header(name: string, value: string): unknown;
}

/** A plain record of lower-cased header names, for an answer written without Fastify's reply. */
export class HeaderRecord implements HeaderTarget {
  constructor(readonly headers: Record<string, string>) {}

  hasHeader(name: string): boolean {
    return this.headers[name] !== undefined;
  }

  header(name: string, value: string): this {
    this.headers[name] = value;
    return this;
  }
}

/**
 * What every answer of the broker carries, whoever writes it: its request id, `no-store` unless
 * it says otherwise, and `connection: close` when it is answered before its request body has
 * arrived (a refusal, say), instead of Node reading the rest of the body to reuse the connection,
 * or once the broker is stopping (`graceful-close.ts`), so the caller opens its next connection
 * elsewhere.
 */
export function setAnswerHeaders(request: FastifyRequest, target: HeaderTarget): void {
  target.header('x-request-id', String(request.id));
  if (!request.raw.complete || request.server.stopping) target.header('connection', 'close');
  if (!target.hasHeader('cache-control')) target.header('cache-control', 'no-store');
}
