import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { startSandbox, type RunningSandbox } from '@linkboard/sandbox';
import { IssuedIdpTokens } from '@linkboard/sandbox/control';
import { signInHeadless } from '@linkboard/testing/headless-sign-in';
import { spawnJsonLineProcess } from '@linkboard/testing/json-line-process';
import { startLoopbackServer, type LoopbackServer } from '@linkboard/testing/loopback-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCacheKey } from '../../broker/test/support/cache-key.js';
import { findLeaks } from '../../broker/test/support/leak-scan.js';
import { redisUnavailableReason, startRedis } from '../../broker/test/support/redis-server.js';
import { buildBrokerApp, TRACING_SDK_PATH } from '../../broker/production-bundle.js';
import { SPAN } from '../../broker/src/observability/tracing.js';
import { BrokerStartLine } from '../../broker/src/start-line.js';

// The production bundle with tracing on, as an operator runs it: plain `node`, an OTLP/HTTP
// endpoint in `OTEL_EXPORTER_OTLP_ENDPOINT` (here a loopback receiver reading OTLP's JSON
// encoding), Redis in `REDIS_URL`. Bundled ioredis and Fastify are instrumented too
// (docs/architecture.md#traces); with tracing off, the SDK's module is never loaded.
const noRedis = redisUnavailableReason();
let app: string;
let bundle: string;
let sandbox: RunningSandbox;

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'linkboard-broker-traced-'));
  ({ bundle } = await buildBrokerApp(app));
  sandbox = await startSandbox({ port: 0, control: true });
});
afterAll(async () => {
  await sandbox?.close();
  if (app) rmSync(app, { recursive: true, force: true });
});

function startBundle(env: Record<string, string>) {
  return spawnJsonLineProcess({
    command: process.execPath,
    args: [bundle],
    cwd: app,
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: 'warn',
      ...brokerEnvFromSandbox(sandbox.info),
      ...env,
    },
    parse: (json) => BrokerStartLine.parse(json).brokerUrl,
    stderr: 'pipe',
    timeoutMs: 20_000,
    name: 'node broker.mjs',
  });
}

/** A span as OTLP's JSON encoding carries it, with its scope's name. */
interface OtlpSpan {
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
}

interface OtlpExport {
  resourceSpans: {
    scopeSpans: {
      scope: { name: string };
      spans: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        attributes?: { key: string; value: Record<string, unknown> }[];
      }[];
    }[];
  }[];
}

function spansOf(bodies: string[]): OtlpSpan[] {
  return bodies.flatMap((body) =>
    (JSON.parse(body) as OtlpExport).resourceSpans.flatMap((resource) =>
      resource.scopeSpans.flatMap(({ scope, spans }) =>
        spans.map((span) => ({
          scope: scope.name,
          traceId: span.traceId,
          spanId: span.spanId,
          ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
          name: span.name,
          attributes: Object.fromEntries(
            (span.attributes ?? []).map(({ key, value }) => [key, Object.values(value)[0]]),
          ),
        })),
      ),
    ),
  );
}

describe.skipIf(noRedis !== undefined)(
  `the production bundle with tracing on${noRedis ? ` (skipped: ${noRedis})` : ''}`,
  () => {
    let receiver: LoopbackServer;
    const bodies: string[] = [];
    const paths: string[] = [];

    beforeAll(async () => {
      receiver = await startLoopbackServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          paths.push(request.url ?? '');
          bodies.push(Buffer.concat(chunks).toString('utf8'));
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      });
    });
    afterAll(async () => {
      await receiver?.close();
    });

    it('exports one trace per request, bundled Fastify, undici and ioredis included, with no token', async () => {
      const { access_token: accessToken } = await signInHeadless(sandbox.info, 'alice');
      const redis = await startRedis();
      const cacheKey = newCacheKey();
      const broker = startBundle({
        REDIS_URL: redis.url,
        BROKER_CACHE_KEY: cacheKey,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      });
      try {
        const { value: brokerUrl } = await broker.started;
        const repos = await fetch(`${brokerUrl}/v1/idp/github/user/repos?per_page=2`, {
          headers: { authorization: `Bearer ${accessToken}` },
        });
        expect(repos.status).toBe(200);
        expect((await fetch(`${brokerUrl}/healthz`)).status).toBe(200);
        // SIGTERM: the broker drains, then the SDK sends what it still holds and exits 0.
        expect(await broker.stop()).toEqual({ code: 0, signal: null });
      } finally {
        await broker.stop({ signal: 'SIGKILL' });
        redis.stop();
      }

      expect(new Set(paths)).toEqual(new Set(['/v1/traces']));
      const spans = spansOf(bodies);
      const roots = spans.filter((span) => !span.parentSpanId);
      expect(roots.map((span) => [span.scope, span.attributes['url.path']])).toEqual([
        ['@opentelemetry/instrumentation-http', '/v1/idp/github/user/repos'],
      ]);
      expect(spans.every((span) => span.traceId === roots[0]!.traceId)).toBe(true);
      const scopes = new Set(spans.map((span) => span.scope));
      for (const scope of [
        '@opentelemetry/instrumentation-http',
        '@fastify/otel',
        '@opentelemetry/instrumentation-undici',
        '@opentelemetry/instrumentation-ioredis',
        'linkboard-broker',
      ]) {
        expect(scopes).toContain(scope);
      }
      const names = spans.map((span) => span.name);
      for (const name of [
        SPAN.verifyToken,
        SPAN.providerToken,
        SPAN.identities,
        SPAN.m2mGrant,
        SPAN.getUser,
        SPAN.providerCall,
      ]) {
        expect(names).toContain(name);
      }

      const { tokens } = IssuedIdpTokens.parse(
        await (await fetch(`${sandbox.url}/_sandbox/idp-tokens`)).json(),
      );
      const secrets = [
        ...tokens.map((issued) => issued.value),
        accessToken,
        sandbox.info.m2m.clientSecret,
        sandbox.info.google.clientSecret,
        cacheKey,
      ];
      expect(findLeaks(bodies, secrets, sandbox.info.m2m.clientId)).toEqual([]);
    });
  },
);

describe('the production bundle with tracing off', () => {
  it('never loads the SDK module: the broker serves with it gone', async () => {
    const sdk = join(app, TRACING_SDK_PATH);
    renameSync(sdk, `${sdk}.away`);
    const broker = startBundle({});
    try {
      const { value: brokerUrl } = await broker.started;
      const { access_token: accessToken } = await signInHeadless(sandbox.info, 'alice');
      const user = await fetch(`${brokerUrl}/v1/idp/github/user`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(user.status).toBe(200);
      expect(await broker.stop()).toEqual({ code: 0, signal: null });
    } finally {
      await broker.stop({ signal: 'SIGKILL' });
      renameSync(`${sdk}.away`, sdk);
    }
  });
});
