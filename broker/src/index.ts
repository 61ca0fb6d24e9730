import type { BrokerConfig } from './config/broker-config.js';
import { buildBroker, type BrokerDeps } from './http/build-broker.js';
import { gracefulClose } from './http/graceful-close.js';

export { loadConfig, ConfigError, connectionEnvName } from './config/load-config.js';
export type { BrokerConfig, BrokerLimits } from './config/broker-config.js';
export { DEFAULT_LIMITS } from './config/broker-config.js';
export { buildBroker, type BrokerDeps } from './http/build-broker.js';

/** Starts the broker on `config.host` (default 127.0.0.1) and `config.port` (0 picks a free one). */
export async function startBroker(
  config: BrokerConfig,
  deps: BrokerDeps = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const app = await buildBroker(config, deps);
  const close = gracefulClose(app, config.limits.shutdownGraceMs);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    close,
  };
}
