import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { IdentitiesResponse } from '@linkboard/contract';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { startSandbox, type RunningSandbox } from '@linkboard/sandbox';
import { signInHeadless } from '@linkboard/testing/headless-sign-in';
import { startLoopbackServer } from '@linkboard/testing/loopback-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApiEvent, lambdaContext } from '../../broker/test/support/http-api-event.js';
import { buildBrokerApp } from '../../broker/production-bundle.js';
import { SPAN } from '../../broker/src/observability/tracing.js';
import { findLeaks } from '../../broker/test/support/leak-scan.js';

// The Lambda entry of the production build, loaded as the Lambda Node.js runtime loads it: plain
// `node` importing `dist/server/lambda.mjs` from a folder with no node_modules, then calling
// `handler(event, context)`. The child prints what it saw; the import is the cold start's init.
let app: string;
let lambda: string;
let sandbox: RunningSandbox;

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'linkboard-lambda-app-'));
  ({ lambda } = await buildBrokerApp(app));
  sandbox = await startSandbox({ port: 0 });
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
  if (app) rmSync(app, { recursive: true, force: true });
});

const RUNTIME = `
const [events, context] = JSON.parse(process.argv[1]);
const t0 = performance.now();
const { handler } = await import(process.env.LAMBDA_MODULE);
const initMs = performance.now() - t0;
const results = [];
for (const event of events) {
  const started = performance.now();
  const result = await handler(event, context);
  results.push({ ms: performance.now() - started, result });
}
process.stdout.write(JSON.stringify({ initMs, results }));
process.exit(0);
`;

describe('the broker Lambda bundle', () => {
  it('answers HTTP API v2 events with plain node; cold and warm invocations measured', async () => {
    const { access_token: accessToken } = await signInHeadless(sandbox.info, 'alice');
    const auth = { authorization: `Bearer ${accessToken}` };
    const events = [
      httpApiEvent('GET', '/v1/me/identities', auth),
      httpApiEvent('GET', '/v1/me/identities', auth),
      httpApiEvent('GET', '/v1/idp/github/user/repos?per_page=2', auth),
    ];
    // Asynchronously: the sandbox answers from this process.
    const child = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', RUNTIME, JSON.stringify([events, lambdaContext()])],
      {
        cwd: app,
        // Only what the function's configuration sets: no PORT, no NODE_OPTIONS, no tsx.
        env: {
          PATH: process.env.PATH,
          LAMBDA_MODULE: lambda,
          ...brokerEnvFromSandbox(sandbox.info, { LOG_LEVEL: 'warn' }),
        },
        encoding: 'utf8',
        timeout: 30_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    expect(child.stderr).toBe('');
    const { initMs, results } = JSON.parse(child.stdout) as {
      initMs: number;
      results: Array<{
        ms: number;
        result: { statusCode: number; headers: Record<string, string>; body: string };
      }>;
    };
    const [cold, warm, repos] = results;
    process.stdout.write(
      `lambda bundle (plain node): init ${initMs.toFixed(1)} ms, first invocation ${cold?.ms.toFixed(1)} ms, warm invocation ${warm?.ms.toFixed(1)} ms\n`,
    );
    for (const call of [cold, warm]) {
      expect(call?.result.statusCode).toBe(200);
      const { identities } = IdentitiesResponse.parse(JSON.parse(call?.result.body ?? ''));
      expect(identities.map((i) => i.connection).sort()).toEqual([
        'Username-Password-Authentication',
        'github',
        'google-oauth2',
      ]);
    }
    expect(repos?.result.statusCode).toBe(200);
    expect(JSON.parse(repos?.result.body ?? '')).toHaveLength(2);
    expect(repos?.result.headers.link).toMatch(
      /<\/v1\/idp\/github\/user\/repos\?[^>]*>; rel="next"/,
    );
  });

  it("sends each invocation's spans before it returns when tracing is on", async () => {
    const bodies: string[] = [];
    const receiver = await startLoopbackServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url === '/v1/traces') bodies.push(Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    try {
      const { access_token: accessToken } = await signInHeadless(sandbox.info, 'alice');
      const auth = { authorization: `Bearer ${accessToken}` };
      const events = [
        httpApiEvent('GET', '/v1/idp/github/user', auth),
        httpApiEvent('GET', '/v1/idp/github/user/repos?per_page=2', auth),
      ];
      // The runtime stands for Lambda freezing the container: it exits as soon as the last
      // invocation returns, and the batch delay is a minute, so only the flush sends anything.
      await promisify(execFile)(
        process.execPath,
        ['--input-type=module', '-e', RUNTIME, JSON.stringify([events, lambdaContext()])],
        {
          cwd: app,
          env: {
            PATH: process.env.PATH,
            LAMBDA_MODULE: lambda,
            OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
            OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
            OTEL_BSP_SCHEDULE_DELAY: '60000',
            ...brokerEnvFromSandbox(sandbox.info, { LOG_LEVEL: 'warn' }),
          },
          encoding: 'utf8',
          timeout: 30_000,
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      const spans = bodies.flatMap((body) =>
        (
          JSON.parse(body) as {
            resourceSpans: { scopeSpans: { spans: { traceId: string; name: string }[] }[] }[];
          }
        ).resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)),
      );
      // One trace per invocation, each with its provider call.
      expect(new Set(spans.map((span) => span.traceId)).size).toBe(2);
      expect(spans.filter((span) => span.name === SPAN.providerCall)).toHaveLength(2);
      const secrets = [accessToken, sandbox.info.m2m.clientSecret];
      expect(findLeaks(bodies, secrets, sandbox.info.m2m.clientId)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
