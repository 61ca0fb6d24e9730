import Fastify, { type FastifyInstance } from 'fastify';
import { IdentitiesResponse, Problem, type LinkedIdentity } from '@linkboard/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerError } from '../src/errors/broker-error.js';
import { problemPlugin } from '../src/http/plugins/problem-plugin.js';
import { zodSchemasPlugin } from '../src/http/plugins/zod-schemas.js';

/** The broker's schema and problem plugins on a Fastify app of the test's own, over loopback. */
describe('answers go through the contract schemas', () => {
  let app: FastifyInstance;
  let url: string;
  const identity: LinkedIdentity = {
    connection: 'github',
    provider: 'github',
    userId: '1',
    isSocial: true,
    supported: true,
    status: 'ready',
    profile: { login: 'alice-example' },
  };

  beforeAll(async () => {
    app = Fastify();
    await app.register(zodSchemasPlugin);
    await app.register(problemPlugin, { providers: new Map() });
    const schema = { response: { 200: IdentitiesResponse } };
    // A field no schema names (a token, say) must not reach the client.
    app.get('/extra', { schema }, async () => ({
      identities: [{ ...identity, accessToken: 'gho_must_not_leave' }],
    }));
    app.get('/wrong', { schema }, async () => ({ identities: [{ ...identity, status: 'odd' }] }));
    app.get('/refused', async () => {
      throw new BrokerError('path_not_allowed', 'this path is not allowed for github');
    });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  it('sends only what the schema names', async () => {
    const response = await fetch(`${url}/extra`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain('gho_must_not_leave');
    expect(JSON.parse(text)).toEqual({ identities: [identity], connectable: [] });
  });

  it('answers internal_error, not a malformed body, when an answer breaks its schema', async () => {
    const response = await fetch(`${url}/wrong`);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = Problem.parse(await response.json());
    expect(problem).toMatchObject({ code: 'internal_error', status: 500 });
    expect(problem.requestId).toBeTruthy();
  });

  it('renders a thrown BrokerError and an unknown route as problem documents', async () => {
    const refused = await fetch(`${url}/refused?secret=x`);
    expect(refused.status).toBe(403);
    expect(Problem.parse(await refused.json())).toMatchObject({
      code: 'path_not_allowed',
      detail: 'this path is not allowed for github',
      instance: '/refused',
    });
    const missing = await fetch(`${url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(Problem.parse(await missing.json()).code).toBe('invalid_request');
  });
});
