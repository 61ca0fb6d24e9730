/**
 * The floor cost of any proxy hop, for the broker benchmark: forwards `/v1/idp/github/*` to the
 * emulated GitHub API with one fixed token, with no checks at all, using the same HTTP client
 * (undici) the broker uses. Prints `{"url": "http://127.0.0.1:P"}` once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';

const target = process.env.TARGET_BASE_URL;
const token = process.env.IDP_TOKEN;
if (!target || !token) {
  console.error('TARGET_BASE_URL and IDP_TOKEN are required');
  process.exit(64);
}
const agent = new Agent({ connections: 128, keepAliveTimeout: 10_000 });

const server = createServer((req, res) => {
  const path = (req.url ?? '/').replace(/^\/v1\/idp\/github/, '');
  request(`${target}${path}`, {
    method: 'GET',
    dispatcher: agent,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'user-agent': 'bench',
    },
  })
    .then(async (upstream) => {
      const body = Buffer.from(await upstream.body.arrayBuffer());
      res.writeHead(upstream.statusCode, { 'content-type': 'application/json' });
      res.end(body);
    })
    .catch(() => {
      res.writeHead(502).end();
    });
});
server.keepAliveTimeout = 10_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
