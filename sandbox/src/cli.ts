#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { DEFAULT_MANAGEMENT_RATE_LIMIT, startSandbox } from './index.js';

const USAGE = `Usage: linkboard-sandbox [--port N] [--no-control] [--management-rate-limit N] [--management-rate-window SECONDS]

Starts the Linkboard sandbox tenant on 127.0.0.1 and prints one JSON line (the SandboxInfo) on
stdout once it accepts connections. Logs go to stderr. SIGINT/SIGTERM stop it.

  --port N                          port to listen on; 0 (default) picks a free port
  --no-control                      do not serve /_sandbox/* (stats, faults, reset)
  --management-rate-limit N         Management API requests per window (default ${DEFAULT_MANAGEMENT_RATE_LIMIT.limit})
  --management-rate-window SECONDS  Management API rate-limit window (default ${DEFAULT_MANAGEMENT_RATE_LIMIT.windowSeconds})
`;

function positiveInt(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > 65_535 * 1000) {
    console.error(`${name} must be an integer >= ${min}, got "${value}"\n\n${USAGE}`);
    process.exit(64);
  }
  return Number(value);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'no-control': { type: 'boolean' },
        'management-rate-limit': { type: 'string' },
        'management-rate-window': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(64);
  }
  if (values.help) {
    process.stderr.write(USAGE);
    return;
  }
  const port = positiveInt('--port', values.port, 0, 0);
  if (port > 65_535) {
    console.error(`--port must be at most 65535\n\n${USAGE}`);
    process.exit(64);
  }
  const sandbox = await startSandbox({
    port,
    control: !values['no-control'],
    managementRateLimit: {
      limit: positiveInt(
        '--management-rate-limit',
        values['management-rate-limit'],
        DEFAULT_MANAGEMENT_RATE_LIMIT.limit,
        1,
      ),
      windowSeconds: positiveInt(
        '--management-rate-window',
        values['management-rate-window'],
        DEFAULT_MANAGEMENT_RATE_LIMIT.windowSeconds,
        1,
      ),
    },
    logger: (line) => process.stderr.write(`[sandbox] ${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(sandbox.info)}\n`);
  process.stderr.write(`[sandbox] listening on ${sandbox.url} (issuer ${sandbox.info.issuer})\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[sandbox] ${signal}: stopping\n`);
    const forced = setTimeout(() => process.exit(1), 5_000);
    forced.unref();
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`[sandbox] failed to stop cleanly: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // `npm run` dies on SIGTERM without passing it on (npm/run-script#142): stop with the parent.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('SIGTERM');
  }, 500).unref();
}

main().catch((error: unknown) => {
  console.error(
    `[sandbox] failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
