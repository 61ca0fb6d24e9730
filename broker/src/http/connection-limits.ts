import type { Server } from 'node:http';
import type { BrokerLimits } from '../config/broker-config.js';

type ConnectionLimits = Pick<
  BrokerLimits,
  'headersTimeoutMs' | 'requestTimeoutMs' | 'maxConnections' | 'maxConnectionsPerAddress'
>;

/**
 * Node's options for the broker's HTTP server: the header deadline, and how often Node checks it
 * and the request deadline (its default, 30 s, would let a slow sender live up to 30 s longer).
 */
export function serverOptions(limits: ConnectionLimits) {
  const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return {
    headersTimeout: limits.headersTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(shortest / 4))),
  };
}

/**
 * Bounds open client connections per process (Node closes any beyond `server.maxConnections`) and
 * per client address, so one client holding many sockets cannot use up the process's file
 * descriptors and shut everyone else out (docs/architecture.md#timeouts-budgets-and-limits).
 * Behind a proxy that opens every connection itself, the per-address bound must be 0 or above
 * the proxy's pool.
 */
export function limitConnections(
  server: Server,
  limits: ConnectionLimits,
  onRefused: (reason: 'per_process' | 'per_address') => void = () => {},
): void {
  if (limits.maxConnections > 0) {
    server.maxConnections = limits.maxConnections;
    server.on('drop', () => onRefused('per_process'));
  }
  const perAddressLimit = limits.maxConnectionsPerAddress;
  if (perAddressLimit <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > perAddressLimit) {
      onRefused('per_address');
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
