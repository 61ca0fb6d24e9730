import { describe, expect, it } from 'vitest';
import { clientCredentialsToken } from '../src/client-credentials.js';
import { startLoopbackServer } from '../src/loopback-server.js';

/** A token endpoint that records the form it gets and answers with `answer`. */
async function tokenEndpoint(answer: { status: number; body: unknown }) {
  const forms: Array<Record<string, string>> = [];
  const paths: string[] = [];
  const server = await startLoopbackServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      paths.push(`${request.method} ${request.url} ${request.headers['content-type']}`);
      forms.push(Object.fromEntries(new URLSearchParams(text)));
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    });
  });
  return { server, forms, paths };
}

const grant = (domain: string) => ({
  domain,
  clientId: 'm2m-client',
  clientSecret: 'm2m-secret',
  audience: 'http://tenant/api/v2/',
});

describe('clientCredentialsToken', () => {
  it('posts the client-credentials form to /oauth/token and answers the access token', async () => {
    const { server, forms, paths } = await tokenEndpoint({
      status: 200,
      body: { access_token: 'issued-token', token_type: 'Bearer' },
    });
    try {
      expect(await clientCredentialsToken(grant(server.origin))).toBe('issued-token');
      expect(paths).toEqual(['POST /oauth/token application/x-www-form-urlencoded']);
      expect(forms).toEqual([
        {
          grant_type: 'client_credentials',
          client_id: 'm2m-client',
          client_secret: 'm2m-secret',
          audience: 'http://tenant/api/v2/',
        },
      ]);
    } finally {
      await server.close();
    }
  });

  it('throws naming the client and the status when refused, and when no token comes back', async () => {
    const refused = await tokenEndpoint({ status: 401, body: { error: 'access_denied' } });
    const empty = await tokenEndpoint({ status: 200, body: { token_type: 'Bearer' } });
    try {
      await expect(clientCredentialsToken(grant(refused.server.origin))).rejects.toThrow(
        'client-credentials grant for m2m-client: HTTP 401',
      );
      await expect(clientCredentialsToken(grant(empty.server.origin))).rejects.toThrow(
        'client-credentials grant for m2m-client: no access_token',
      );
    } finally {
      await Promise.all([refused.server.close(), empty.server.close()]);
    }
  });
});
