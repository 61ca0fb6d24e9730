import { channel } from 'node:diagnostics_channel';
import { Server } from 'node:http';
import { IssuedIdpTokens } from '@linkboard/sandbox/control';
import { clientCredentialsToken } from '@linkboard/testing/client-credentials';
import { tracing as sdkTracing } from '@opentelemetry/sdk-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from '../src/observability/start-tracing.js';
import { SPAN } from '../src/observability/tracing.js';
import { newCacheKey } from './support/cache-key.js';
import { findLeaks } from './support/leak-scan.js';
import { redisUnavailableReason, startRedis } from './support/redis-server.js';
import { spanTexts, type SpanData } from './support/span-texts.js';
import { callBroker, startStack, type BrokerHandle, type Stack } from './support/stack.js';

/**
 * Traces through the in-memory exporter, against the sandbox and a real Redis: one trace per
 * request with the broker's own spans and the HTTP, undici, Fastify and ioredis instrumentations'
 * spans, and no token anywhere in them (docs/architecture.md#traces).
 */
const noRedis = redisUnavailableReason();

describe.skipIf(noRedis !== undefined)(`traces${noRedis ? ` (skipped: ${noRedis})` : ''}`, () => {
  const exporter = new sdkTracing.InMemorySpanExporter();
  let tracing: Tracing | undefined;
  let stack: Stack;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let broker: BrokerHandle;
  let vaultBroker: BrokerHandle;
  const callerTokens: string[] = [];
  const cacheKey = newCacheKey();

  beforeAll(async () => {
    tracing = await startTracing(
      {},
      { spanProcessors: [new sdkTracing.SimpleSpanProcessor(exporter)] },
    );
    stack = await startStack();
    redis = await startRedis();
    broker = await stack.startBroker({
      env: { REDIS_URL: redis.url, BROKER_CACHE_KEY: cacheKey },
    });
    vaultBroker = await stack.startVaultBroker();
    for (const user of ['alice', 'dave', 'erin']) callerTokens.push(await stack.tokenFor(user));
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    redis?.stop();
    await tracing?.shutdown();
    // Shut down, tracing leaves the process as it found it: node:http unpatched, Fastify free.
    expect(Object.hasOwn(Server.prototype.emit, '__wrapped')).toBe(false);
    expect(channel('fastify.initialization').hasSubscribers).toBe(false);
  });

  beforeEach(() => exporter.reset());

  const spans = () => exporter.getFinishedSpans();
  const traceOf = (name: string) => {
    const root = spans().find((span) => span.name === name);
    expect(root, `a span named ${name}`).toBeDefined();
    return spans().filter((span) => span.spanContext().traceId === root!.spanContext().traceId);
  };

  it('gives a proxied call one trace: verification, identities, M2M grant, Get User, Redis and the provider call', async () => {
    const [alice] = callerTokens;
    const response = await callBroker(broker.url, '/v1/idp/github/user/repos', alice);
    expect(response.status).toBe(200);

    const roots = spans().filter((span) => !span.parentSpanContext);
    expect(roots).toHaveLength(1);
    const [root] = roots;
    expect(root!.kind).toBe(1); // SERVER: the HTTP instrumentation's span for the request
    const trace = traceOf(SPAN.providerCall);
    expect(trace).toHaveLength(spans().length);
    const names = trace.map((span) => span.name);
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
    // Fastify's request span, ioredis commands (the M2M token and its lock) and undici calls.
    expect(names.some((name) => name.startsWith('request'))).toBe(true);
    expect(trace.some((span) => span.attributes['db.system.name'] === 'redis')).toBe(true);
    const providerCall = trace.find((span) => span.name === SPAN.providerCall)!;
    expect(providerCall.attributes).toMatchObject({
      'linkboard.connection': 'github',
      'http.response.status_code': 200,
    });
    const undiciUnderCall = trace.filter(
      (span) => span.parentSpanContext?.spanId === providerCall.spanContext().spanId,
    );
    expect(undiciUnderCall.map((span) => span.attributes['http.request.method'])).toEqual(['GET']);
    // Every span of the trace hangs from the request's root span.
    const ids = new Set(trace.map((span) => span.spanContext().spanId));
    for (const span of trace) {
      if (span !== root) expect(ids.has(span.parentSpanContext!.spanId)).toBe(true);
    }

    // A second call finds the identities in the cache: no Get User span this time.
    exporter.reset();
    expect((await callBroker(broker.url, '/v1/idp/github/user', alice)).status).toBe(200);
    const second = traceOf(SPAN.providerCall).map((span) => span.name);
    expect(second).toContain(SPAN.identities);
    expect(second).not.toContain(SPAN.getUser);
  });

  it('shows a provider token refresh and a Token Vault exchange in their requests', async () => {
    const [, dave, erin] = callerTokens;
    const refreshed = await callBroker(
      broker.url,
      '/v1/idp/google-oauth2/oauth2/v3/userinfo',
      dave,
    );
    expect(refreshed.status).toBe(200);
    expect(traceOf(SPAN.providerRefresh).map((span) => span.name)).toContain(SPAN.providerCall);

    const exchanged = await callBroker(vaultBroker.url, '/v1/idp/github/user', erin);
    expect(exchanged.status).toBe(200);
    const vault = traceOf(SPAN.tokenVaultExchange);
    expect(vault.map((span) => span.name)).toContain(SPAN.providerCall);
    expect(vault.find((span) => span.name === SPAN.tokenVaultExchange)!.attributes).toMatchObject({
      'linkboard.connection': 'github',
    });
  });

  it('marks a refused caller with the refusal reason, not its message', async () => {
    const response = await callBroker(broker.url, '/v1/idp/github/user', 'not-a-jwt');
    expect(response.status).toBe(401);
    const verify = spans().find((span) => span.name === SPAN.verifyToken)!;
    expect(verify.status).toEqual({ code: 2, message: 'invalid_token:not_jws' });
  });

  it('holds no token, secret or caller token in any span, and the scan would see one', async () => {
    // Traffic of every kind again, then everything exported is scanned.
    const [alice, dave, erin] = callerTokens;
    await callBroker(broker.url, '/v1/me/identities', alice);
    await callBroker(broker.url, '/v1/idp/github/user/repos?per_page=5', alice);
    await callBroker(broker.url, '/v1/idp/google-oauth2/oauth2/v3/userinfo', dave);
    await callBroker(broker.url, '/v1/idp/github/user', `${alice}x`);
    await callBroker(vaultBroker.url, '/v1/idp/google-oauth2/oauth2/v3/userinfo', erin);
    const exported = spans();
    expect(exported.length).toBeGreaterThan(20);

    const info = stack.info;
    const { tokens } = IssuedIdpTokens.parse(
      await (await fetch(`${info.domain}/_sandbox/idp-tokens`)).json(),
    );
    const m2mToken = await clientCredentialsToken({
      domain: info.domain,
      ...info.m2m,
      audience: info.managementAudience,
    });
    const secrets = [
      ...tokens.map((issued) => issued.value),
      ...callerTokens,
      m2mToken,
      info.m2m.clientSecret,
      info.google.clientSecret,
      info.tokenVault.clientSecret,
      cacheKey,
    ];
    expect(tokens.length).toBeGreaterThan(8);
    // The resource names the service, host and runtime, never the command line.
    expect(Object.keys(exported[0]!.resource.attributes)).not.toContain('process.command_args');
    expect(Object.keys(exported[0]!.resource.attributes)).toContain('process.runtime.version');
    const texts = spanTexts(exported);
    expect(findLeaks(texts, secrets, info.m2m.clientId)).toEqual([]);

    // The same scan over the same spans with one token planted in an attribute, an event and
    // a status finds each: the texts cover every place a span can carry data.
    const planted = tokens.find((issued) => issued.kind === 'access_token')!.value;
    for (const plant of [
      (span: SpanData): SpanData => ({
        ...span,
        attributes: { ...span.attributes, 'x.y': planted },
      }),
      (span: SpanData): SpanData => ({
        ...span,
        events: [{ name: 'e', attributes: { detail: `Bearer ${planted}` } }],
      }),
      (span: SpanData): SpanData => ({ ...span, status: { code: 2, message: planted } }),
    ]) {
      const tampered = exported.map<SpanData>((span, index) => (index === 3 ? plant(span) : span));
      expect(findLeaks(spanTexts(tampered), secrets, info.m2m.clientId)).toContain(
        'text 3 contains a known secret',
      );
    }
  });
  it('does not trace the ops routes, nor the work a readiness check does', async () => {
    expect((await callBroker(broker.url, '/healthz', undefined)).status).toBe(200);
    expect((await callBroker(broker.url, '/readyz', undefined)).status).toBe(200);
    expect(spans().filter((span) => !span.parentSpanContext)).toEqual([]);
  });
});
