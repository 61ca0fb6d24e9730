import { execFileSync, spawnSync } from 'node:child_process';
import { freeLoopbackPort } from '@linkboard/testing/free-port';

/** Why Redis tests cannot run here, or undefined when `redis-server` is installed. */
export function redisUnavailableReason(): string | undefined {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return probe.status === 0
    ? undefined
    : 'redis-server is not installed (apt-get install redis-server)';
}

/**
 * A real, throw-away `redis-server` on a free loopback port (or `port`, to start one again where a
 * stopped one was), with no persistence.
 */
export async function startRedis(
  wanted?: number,
): Promise<{ url: string; port: number; stop(): void }> {
  const port = wanted ?? (await freeLoopbackPort());
  execFileSync('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'yes',
  ]);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const ping = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    if (ping.stdout.trim() === 'PONG') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => {
      spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
    },
  };
}
