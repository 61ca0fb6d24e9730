/**
 * compose.yaml's sandbox service: the sandbox tenant on a fixed port, and the settings the
 * brokers need from it (its random M2M and Google client secrets as files, the rest as one JSON
 * object of environment variables) written to a folder the brokers mount, once it answers. The
 * fleet's cache key (BROKER_CACHE_KEY_FILE, required with Redis) and the token /metrics asks for
 * (BROKER_METRICS_TOKEN_FILE, as deploy/kubernetes sets it) are made here too, one per stack.
 *
 *   SANDBOX_PORT  where the tenant listens on 127.0.0.1 (default 4000)
 *   STACK_DIR     where broker-env.json and the secret files go (default /run/stack)
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { startSandbox } from '@linkboard/sandbox';

const port = Number(process.env.SANDBOX_PORT ?? '4000');
const stack = process.env.STACK_DIR ?? '/run/stack';
const sandbox = await startSandbox({ port });
mkdirSync(stack, { recursive: true });

/** Written whole or not at all: a broker waiting for the file never reads half of it. */
function publish(name: string, content: string, mode: number): string {
  const file = join(stack, name);
  writeFileSync(`${file}.partial`, content, { mode });
  renameSync(`${file}.partial`, file);
  return file;
}

const {
  AUTH0_M2M_CLIENT_SECRET: m2mSecret = '',
  IDP_GOOGLE_OAUTH2_CLIENT_SECRET: googleSecret,
  PORT: _port,
  HOST: _host,
  ...settings
} = brokerEnvFromSandbox(sandbox.info);
// Readable by the brokers' user (1000), which does not own the files.
settings.AUTH0_M2M_CLIENT_SECRET_FILE = publish('m2m-client-secret', m2mSecret, 0o444);
if (googleSecret) {
  settings.IDP_GOOGLE_OAUTH2_CLIENT_SECRET_FILE = publish(
    'google-client-secret',
    googleSecret,
    0o444,
  );
}
// Every broker of the fleet seals cached tokens with this one key before they reach Redis.
settings.BROKER_CACHE_KEY_FILE = publish('cache-key', randomBytes(32).toString('base64'), 0o444);
// What a scraper sends as `Authorization: Bearer …` (docs/operations.md#metrics-and-alerts).
settings.BROKER_METRICS_TOKEN_FILE = publish(
  'metrics-token',
  randomBytes(32).toString('hex'),
  0o444,
);
publish('broker-env.json', `${JSON.stringify(settings)}\n`, 0o444);
// The start line carries the tenant's SandboxInfo, as `npm run sandbox` prints it.
process.stdout.write(`${JSON.stringify({ sandbox: sandbox.info, stack })}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void sandbox.close().then(() => process.exit(0)));
}
