import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { PROXY_PREFIX } from '@linkboard/contract';
import type { BrokerLimits } from '../config/broker-config.js';
import { limitConnections, serverOptions } from './connection-limits.js';

/**
 * Where a request that arrived on a connection's own port records that connection: on the
 * request itself. A `WeakMap` entry per request costs the young collections, which must clear
 * the entries of the requests gone: 28 times the scavenging per request of none in
 * bench/registry-churn.ts (bench/README.md, point 15).
 */
const MOUNTED = Symbol('linkboard.mountedConnection');
type MountedRequest = IncomingMessage & { [MOUNTED]?: string };

/** The connection whose mount a request arrived on, if it did (docs/architecture.md#connection-mounts). */
export function mountedConnection(request: IncomingMessage): string | undefined {
  return (request as MountedRequest)[MOUNTED];
}

export interface ConnectionMount {
  connection: string;
  /** `http://host:port`, where `/{path}` is `/v1/idp/{connection}/{path}`. */
  url: string;
  /** Stops taking connections and closes the idle ones. */
  close(): void;
  /** Closes every connection left. */
  closeAll(): void;
}

/**
 * A connection mounted at the root of a port of its own (`BROKER_CONNECTION_PORTS`): `GET
 * /calendar/v3/…` there is `GET /v1/idp/google-oauth2/calendar/v3/…` on the broker, answered by
 * the same app (auth, guard, allowlist, limits, problems), for an SDK that keeps only the origin
 * of the base URL it is given (googleapis' `rootUrl`). Nothing else is served there: every path
 * is one of that connection's.
 */
export async function listenConnectionMount(
  app: FastifyInstance,
  connection: string,
  where: { host: string; port: number },
  limits: BrokerLimits,
): Promise<ConnectionMount> {
  const prefix = `${PROXY_PREFIX}${connection}`;
  const server: Server = createServer(
    {
      ...serverOptions(limits),
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
    },
    (request, response) => {
      (request as MountedRequest)[MOUNTED] = connection;
      const url = request.url ?? '/';
      // A target that is not a path (`*`, an absolute URL) becomes a segment the guard refuses.
      request.url = `${prefix}${url.startsWith('/') ? '' : '/'}${url}`;
      app.routing(request, response);
    },
  );
  server.setTimeout(limits.connectionTimeoutMs);
  limitConnections(server, limits);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = where.host.includes(':') ? `[${where.host}]` : where.host;
  return {
    connection,
    url: `http://${host}:${port}`,
    close: () => {
      server.close();
      server.closeIdleConnections();
    },
    closeAll: () => server.closeAllConnections(),
  };
}
