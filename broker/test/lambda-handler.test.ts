import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdentitiesResponse, Problem } from '@linkboard/contract';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/index.js';
import { batchedFileDestination } from '../src/observability/logger.js';
import { createLambdaHandler, type LambdaHandler } from '../src/serverless/lambda-handler.js';
import { httpApiEvent, lambdaContext } from './support/http-api-event.js';
import { startStack, type Stack } from './support/stack.js';

/** The Lambda handler invoked in-process with HTTP API v2 events, against the sandbox tenant. */
let stack: Stack;
let app: FastifyInstance;
let handler: LambdaHandler;
let token: string;
let coldStartMs: number;

function bodyOf(result: APIGatewayProxyStructuredResultV2): string {
  const body = result.body ?? '';
  return result.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}

function invoke(method: string, target: string, headers: Record<string, string> = {}) {
  return handler(httpApiEvent(method, target, headers), lambdaContext());
}

beforeAll(async () => {
  stack = await startStack();
  token = await stack.tokenFor('alice');
  const started = performance.now();
  // What a cold start does before the first event: build the app (config, services, plugins).
  const env = brokerEnvFromSandbox(stack.info, { LOG_LEVEL: 'silent' });
  ({ app, handler } = await createLambdaHandler(loadConfig({ ...env, PORT: '0' })));
  coldStartMs = performance.now() - started;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await stack?.close();
});

describe('the broker as an AWS Lambda handler (HTTP API, payload format 2.0)', () => {
  it("lists alice's linked identities; the first invocation pays for the cold caches", async () => {
    const auth = { authorization: `Bearer ${token}` };
    const firstStarted = performance.now();
    const first = await invoke('GET', '/v1/me/identities', auth);
    const firstMs = performance.now() - firstStarted;
    const warmStarted = performance.now();
    const warm = await invoke('GET', '/v1/me/identities', auth);
    const warmMs = performance.now() - warmStarted;
    process.stdout.write(
      `lambda in-process: init ${coldStartMs.toFixed(1)} ms, first invocation ${firstMs.toFixed(1)} ms (M2M grant, JWKS, Get User), warm invocation ${warmMs.toFixed(1)} ms\n`,
    );

    for (const result of [first, warm]) {
      expect(result.statusCode).toBe(200);
      expect(result.headers?.['content-type']).toMatch(/^application\/json/);
      const { identities } = IdentitiesResponse.parse(JSON.parse(bodyOf(result)));
      expect(identities.map((i) => [i.connection, i.status]).sort()).toEqual([
        ['Username-Password-Authentication', 'token_unavailable'],
        ['github', 'ready'],
        ['google-oauth2', 'ready'],
      ]);
      expect(bodyOf(result)).not.toContain(token);
    }
    // The warm invocation was served from module-scope state: no second grant or Get User.
    const stats = await stack.stats();
    expect(stats.grants.client_credentials).toBe(1);
    expect(stats.managementGetUser).toBe(1);
  });

  it('proxies a GitHub page with the raw query and answers a broker Link for the next', async () => {
    const result = await invoke('GET', '/v1/idp/github/user/repos?per_page=2&sort=full_name', {
      authorization: `Bearer ${token}`,
    });
    expect(result.statusCode).toBe(200);
    const repos = JSON.parse(bodyOf(result)) as Array<{ id: number }>;
    expect(repos).toHaveLength(2);
    const link = String(result.headers?.link ?? '');
    const next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
    expect(next).toMatch(/^\/v1\/idp\/github\/user\/repos\?/);
    expect(link).not.toMatch(/127\.0\.0\.1|_idp/);
    const nextUrl = new URL(next ?? '', 'https://broker.example.com');
    expect(nextUrl.searchParams.get('per_page')).toBe('2');
    expect(nextUrl.searchParams.get('page')).toBe('2');

    // Following the Link through the handler gives the next two, none repeated.
    const page2 = await invoke('GET', next ?? '', { authorization: `Bearer ${token}` });
    expect(page2.statusCode).toBe(200);
    const repos2 = JSON.parse(bodyOf(page2)) as Array<{ id: number }>;
    expect(repos2).toHaveLength(2);
    expect(repos2.map((r) => r.id)).not.toContain(repos[0]?.id);
  });

  it('refuses a call without a token with 401 problem+json and a WWW-Authenticate challenge', async () => {
    const result = await invoke('GET', '/v1/me/identities');
    expect(result.statusCode).toBe(401);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    const problem = Problem.parse(JSON.parse(bodyOf(result)));
    expect(problem.status).toBe(401);
    expect(result.headers?.['www-authenticate']).toMatch(/^Bearer/);
  });

  it('refuses a connection alice has not linked with its problem code and status', async () => {
    const result = await invoke('GET', '/v1/idp/windowslive/v1.0/me', {
      authorization: `Bearer ${token}`,
      accept: 'application/problem+json',
    });
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    const problem = Problem.parse(JSON.parse(bodyOf(result)));
    expect(problem.code).toBe('identity_not_linked');
    expect(result.statusCode).toBe(problem.status);
    expect(result.statusCode).toBeGreaterThanOrEqual(400);

    // An SDK that does not ask for problem details gets Graph's own error shape, with the code.
    const sdk = await invoke('GET', '/v1/idp/windowslive/v1.0/me', {
      authorization: `Bearer ${token}`,
    });
    expect(sdk.statusCode).toBe(404);
    expect(sdk.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(bodyOf(sdk))).toMatchObject({
      error: { code: 'identity_not_linked' },
      code: 'identity_not_linked',
    });
  });

  it("has written each invocation's audit line when it returns (a frozen container writes nothing)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broker-lambda-log-'));
    const path = join(dir, 'stdout.log');
    const fd = openSync(path, 'w');
    // The broker's own batched stdout destination, on a file: a line waits for a batch of 32 KiB
    // or a flush.
    const env = brokerEnvFromSandbox(stack.info, { LOG_LEVEL: 'info' });
    const logged = await createLambdaHandler(loadConfig({ ...env, PORT: '0' }), {
      logDestination: batchedFileDestination(fd),
    });
    try {
      const result = await logged.handler(
        httpApiEvent('GET', '/v1/idp/github/user/repos?per_page=2', {
          authorization: `Bearer ${token}`,
        }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(200);
      const requestId = result.headers?.['x-request-id'];
      expect(requestId).toEqual(expect.any(String));
      const lines = readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.filter((line) => line.audit === 'idp_call')).toEqual([
        expect.objectContaining({
          requestId,
          connection: 'github',
          pathPattern: '/user/repos',
          status: 200,
        }),
      ]);
      expect(readFileSync(path, 'utf8')).not.toContain(token);
    } finally {
      await logged.app.close();
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
