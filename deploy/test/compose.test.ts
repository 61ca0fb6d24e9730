import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IdentitiesResponse } from '@linkboard/contract';
import { SandboxInfo } from '@linkboard/sandbox/start-line';
import { signInHeadless } from '@linkboard/testing/headless-sign-in';
import { spawnJsonLineProcess } from '@linkboard/testing/json-line-process';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildBrokerApp } from '../../broker/production-bundle.js';
import { BrokerStartLine } from '../../broker/src/start-line.js';

// deploy/compose.yaml cannot be brought up here (no image registry to pull redis, nginx or node
// from), so: its wiring is checked as data (every reference resolves, the brokers the balancer
// names are the brokers compose starts), and its two scripts run for real — the sandbox service's
// entry and a broker's entry with the production bundle — against each other.
const deploy = fileURLToPath(new URL('..', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  network_mode?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  command?: string[];
  entrypoint?: string[];
  read_only?: boolean;
  cap_drop?: string[];
}
const compose = parse(readFileSync(join(deploy, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;
const brokers = Object.entries(services).filter(([name]) => name.startsWith('broker-'));
const nginx = readFileSync(join(deploy, 'compose/nginx.conf'), 'utf8');

describe('deploy/compose.yaml', () => {
  it('has the sandbox, Redis, three brokers and a balancer, all in the sandbox network namespace', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['balancer', 'broker-1', 'broker-2', 'broker-3', 'redis', 'sandbox'].sort(),
    );
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'sandbox') expect(service.network_mode, name).toBe('service:sandbox');
    }
  });

  it('runs the brokers from broker/Dockerfile, hardened, on the ports the balancer sends to, with the Redis compose starts', () => {
    const upstream = [...nginx.matchAll(/server 127\.0\.0\.1:(\d+)/g)].map((match) => match[1]);
    expect(brokers.map(([, broker]) => broker.environment?.PORT).sort()).toEqual(upstream.sort());
    const redisPort = services.redis?.command?.[services.redis.command.indexOf('--port') + 1];
    for (const [name, broker] of brokers) {
      const build = broker.build;
      expect(build && existsSync(join(deploy, build.context, build.dockerfile)), name).toBe(true);
      expect(broker.read_only, name).toBe(true);
      expect(broker.cap_drop, name).toEqual(['ALL']);
      expect(broker.environment?.REDIS_URL, name).toBe(`redis://127.0.0.1:${redisPort}`);
    }
    const listen = /listen (\d+);/.exec(nginx)?.[1];
    expect(services.sandbox?.ports).toEqual([`127.0.0.1:${listen}:${listen}`]);
    // Paging links lead back through the balancer, not to the one broker that wrote them.
    for (const [name, broker] of brokers) {
      expect(broker.environment?.BROKER_PUBLIC_URL, name).toBe(`http://127.0.0.1:${listen}`);
    }
  });

  it('mounts only files that exist, and runs the sandbox service from a file that exists', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (source.startsWith('.'))
          expect(existsSync(join(deploy, source)), `${name}: ${source}`).toBe(true);
      }
    }
    const script = services.sandbox?.command?.at(-1) ?? '';
    expect(existsSync(join(root, script)), script).toBe(true);
  });
});

describe("compose's sandbox and broker entries", () => {
  const scratch = mkdtempSync(join(tmpdir(), 'linkboard-compose-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('publish the tenant settings with secrets as files only, and a broker started from them serves identities', async () => {
    const stack = join(scratch, 'stack');
    const sandbox = spawnJsonLineProcess({
      command: process.execPath,
      args: ['--import', 'tsx', join(deploy, 'compose/sandbox-for-fleet.ts')],
      cwd: root,
      env: { ...process.env, SANDBOX_PORT: '0', STACK_DIR: stack },
      parse: (json) => SandboxInfo.parse((json as { sandbox?: unknown } | null)?.sandbox),
      timeoutMs: 30_000,
      name: 'sandbox-for-fleet',
    });
    const app = join(scratch, 'app');
    const { bundle } = await buildBrokerApp(app);
    try {
      const { value: info } = await sandbox.started;
      const settings = readFileSync(join(stack, 'broker-env.json'), 'utf8');
      expect(settings).not.toContain(info.m2m.clientSecret);
      const parsed = JSON.parse(settings) as Record<string, string>;
      expect(parsed.AUTH0_M2M_CLIENT_SECRET).toBeUndefined();
      const secretFile = parsed.AUTH0_M2M_CLIENT_SECRET_FILE ?? '';
      expect(readFileSync(secretFile, 'utf8')).toBe(info.m2m.clientSecret);
      expect(statSync(secretFile).mode & 0o777).toBe(0o444);
      // The fleet's cache key: a file of one 32-byte base64 key, named, never inlined.
      expect(parsed.BROKER_CACHE_KEY).toBeUndefined();
      const cacheKey = readFileSync(parsed.BROKER_CACHE_KEY_FILE ?? '', 'utf8');
      expect(Buffer.from(cacheKey, 'base64')).toHaveLength(32);
      expect(settings).not.toContain(cacheKey);
      // The token /metrics asks for, as deploy/kubernetes gives it: a file, never inlined.
      expect(parsed.BROKER_METRICS_TOKEN).toBeUndefined();
      const metricsToken = readFileSync(parsed.BROKER_METRICS_TOKEN_FILE ?? '', 'utf8');
      expect(metricsToken).toMatch(/^[0-9a-f]{64}$/);
      expect(settings).not.toContain(metricsToken);

      const broker = spawnJsonLineProcess({
        command: process.execPath,
        args: [join(deploy, 'compose/broker-with-sandbox.mjs')],
        cwd: app,
        env: {
          PATH: process.env.PATH,
          BROKER_ENV_FILE: join(stack, 'broker-env.json'),
          BROKER_BUNDLE: bundle,
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
        },
        parse: (json) => BrokerStartLine.parse(json).brokerUrl,
        timeoutMs: 30_000,
        name: 'broker-with-sandbox',
      });
      try {
        const { value: brokerUrl } = await broker.started;
        const { access_token: accessToken } = await signInHeadless(info, 'alice');
        const identities = await fetch(`${brokerUrl}/v1/me/identities`, {
          headers: { authorization: `Bearer ${accessToken}` },
        });
        expect(identities.status).toBe(200);
        const { identities: linked } = IdentitiesResponse.parse(await identities.json());
        expect(linked.find((identity) => identity.connection === 'github')?.status).toBe('ready');
        // /metrics answers the stack's token only.
        expect((await fetch(`${brokerUrl}/metrics`)).status).toBe(401);
        const metrics = await fetch(`${brokerUrl}/metrics`, {
          headers: { authorization: `Bearer ${metricsToken}` },
        });
        expect(metrics.status).toBe(200);
        expect(await metrics.text()).toMatch(/^broker_http_requests_total\{/m);
      } finally {
        expect(await broker.stop()).toEqual({ code: 0, signal: null });
      }
    } finally {
      await sandbox.stop();
    }
  });
});
