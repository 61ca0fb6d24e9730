/**
 * The floor cost of any proxy hop, for the broker benchmark: forwards `/v1/idp/github/*` to the
 * emulated GitHub API with one fixed token, with no checks at all. It does the same forwarding
 * work as the broker, so the comparison is fair: the same HTTP client (undici) with the broker's
 * Agent settings (broker/src/upstream/upstream-client.ts), the same request headers (GitHub's
 * catalogue headers), the answer read whole as the chunks it arrived in and written at once
 * (corked) with its length and the response headers the broker passes on (content type, ETag,
 * Link as GitHub wrote it, rate-limit headers), copied without checks: what the broker's
 * `writeWhole` does. Joining the chunks first (undici's `arrayBuffer()`) would copy every answer,
 * which the broker does not, and made this floor cost more than the broker at the broker's heap
 * setting (bench/README.md, point 12).
 * Prints `{"url": "http://127.0.0.1:P"}` once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { SAFE_RESPONSE_HEADERS } from '../broker/src/upstream/response-headers.js';

const target = process.env.TARGET_BASE_URL;
const token = process.env.IDP_TOKEN;
if (!target || !token) {
  console.error('TARGET_BASE_URL and IDP_TOKEN are required');
  process.exit(64);
}
/** The broker's defaults: BROKER_UPSTREAM_TIMEOUT_MS 10 s, keep-alive 10 s, 128 connections. */
const TIMEOUT_MS = 10_000;
const agent = new Agent({
  connect: { timeout: TIMEOUT_MS },
  headersTimeout: TIMEOUT_MS,
  bodyTimeout: TIMEOUT_MS,
  keepAliveTimeout: 10_000,
  connections: 128,
});
/** The response headers the broker passes on, plus Link (which the broker rewrites). */
const PASSED_ON = [...SAFE_RESPONSE_HEADERS, 'link'];

const server = createServer((req, res) => {
  const path = (req.url ?? '/').replace(/^\/v1\/idp\/github/, '');
  request(`${target}${path}`, {
    method: 'GET',
    dispatcher: agent,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'bench',
    },
  })
    .then(async (upstream) => {
      const chunks: Buffer[] = [];
      let length = 0;
      for await (const chunk of upstream.body as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        length += chunk.length;
      }
      const headers: Record<string, string> = { 'content-length': String(length) };
      for (const name of PASSED_ON) {
        const value = upstream.headers[name];
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      res.writeHead(upstream.statusCode, headers);
      res.cork();
      for (const chunk of chunks) res.write(chunk);
      res.end();
      res.uncork();
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
