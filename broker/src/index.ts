import type { BrokerConfig } from './config/broker-config.js';
import { buildBroker, type BrokerDeps } from './http/build-broker.js';
import { listenConnectionMount, type ConnectionMount } from './http/connection-mounts.js';
import { gracefulClose } from './http/graceful-close.js';

export { loadConfig, ConfigError, connectionEnvName } from './config/load-config.js';
export type { BrokerConfig, BrokerLimits } from './config/broker-config.js';
export { DEFAULT_LIMITS } from './config/broker-config.js';
export { buildBroker, type BrokerDeps } from './http/build-broker.js';

/**
 * Starts the broker on `config.host` (default 127.0.0.1) and `config.port` (0 picks a free one),
 * and each connection mount (`BROKER_CONNECTION_PORTS`) on the same host.
 */
export async function startBroker(
  config: BrokerConfig,
  deps: BrokerDeps = {},
): Promise<{ url: string; connectionUrls: Record<string, string>; close(): Promise<void> }> {
  const app = await buildBroker(config, deps);
  const close = gracefulClose(app, config.limits.shutdownGraceMs);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const mounts: ConnectionMount[] = [];
  try {
    for (const [connection, mountPort] of Object.entries(config.connectionPorts ?? {})) {
      mounts.push(
        await listenConnectionMount(
          app,
          connection,
          { host: config.host, port: mountPort },
          config.limits,
        ),
      );
    }
  } catch (error) {
    for (const mount of mounts) mount.close();
    await app.close();
    throw error;
  }
  return {
    url: `http://${host}:${port}`,
    connectionUrls: Object.fromEntries(mounts.map((mount) => [mount.connection, mount.url])),
    close: async () => {
      // The mounts stop taking connections first; their calls in flight end with the app's.
      for (const mount of mounts) mount.close();
      try {
        await close();
      } finally {
        for (const mount of mounts) mount.closeAll();
      }
    },
  };
}
