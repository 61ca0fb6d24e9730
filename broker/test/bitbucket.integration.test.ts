import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callBroker, startStack, type BrokerHandle, type Stack } from './support/stack.js';

/** Bitbucket through the broker: its body paging links, and refusals in its own error shape. */
let stack: Stack;
let broker: BrokerHandle;

beforeAll(async () => {
  stack = await startStack();
  broker = await stack.startBroker();
});
afterAll(async () => {
  await stack?.close();
});

describe('Bitbucket through the broker', () => {
  it('walks every repository page once by Link, with next and previous in the body on the broker', async () => {
    const token = await stack.tokenFor('frank');
    const names: string[] = [];
    let path: string | undefined = '/v1/idp/bitbucket/2.0/repositories?role=member&pagelen=5';
    let pages = 0;
    while (path && pages < 10) {
      const answer = await callBroker(broker.url, path, token);
      expect(answer.status, answer.text).toBe(200);
      const body = answer.json() as {
        values: { full_name: string }[];
        next?: string;
        previous?: string;
      };
      names.push(...body.values.map((repository) => repository.full_name));
      for (const member of [body.next, body.previous]) {
        if (member !== undefined)
          expect(member).toMatch(/^\/v1\/idp\/bitbucket\/2\.0\/repositories\?/);
      }
      const link = /<([^>]+)>;\s*rel="next"/.exec(answer.headers.get('link') ?? '')?.[1];
      expect(link).toBe(body.next);
      path = link;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(names).toHaveLength(14);
    expect(new Set(names).size).toBe(14);
    expect(names.every((name) => name.startsWith('frank-renew/'))).toBe(true);
  });

  it("answers a user with no Bitbucket account in Bitbucket's error shape, with the broker's code", async () => {
    // As an SDK asks: JSON, not problem details.
    const answer = await callBroker(
      broker.url,
      '/v1/idp/bitbucket/2.0/user',
      await stack.tokenFor('carol'),
      { headers: { accept: 'application/json' } },
    );
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type'), answer.text).toMatch(/^application\/json/);
    expect(answer.json()).toMatchObject({
      type: 'error',
      error: { message: expect.any(String), data: { code: 'identity_not_linked' } },
      code: 'identity_not_linked',
      requestId: expect.any(String),
    });
  });
});
