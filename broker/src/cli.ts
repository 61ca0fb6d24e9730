import { ConfigError, loadConfig, startBroker } from './index.js';
import { startTracing } from './observability/start-tracing.js';
import type { BrokerStartLine } from './start-line.js';

/** `npm run broker`: configuration from the environment; prints one JSON line once listening. */
async function main() {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  // Before the broker is built, so its Fastify instance is traced (off without an OTLP endpoint).
  const tracing = await startTracing(process.env);
  const broker = await startBroker(config);
  const mounts = Object.keys(broker.connectionUrls).length > 0;
  const startLine: BrokerStartLine = {
    brokerUrl: broker.url,
    ...(mounts ? { connectionUrls: broker.connectionUrls } : {}),
  };
  process.stdout.write(`${JSON.stringify(startLine)}\n`);
  let stopping = false;
  // Exit 0 once every request in flight has finished; 1 if some were cut at the shutdown bound.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    broker
      .close()
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('broker stopped late:', error instanceof Error ? error.message : error);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // `npm run` dies on SIGTERM without passing it on (npm/run-script#142): stop with the parent.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 500).unref();
}

main().catch((error: unknown) => {
  console.error('broker failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
