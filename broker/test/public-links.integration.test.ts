import { request } from 'node:http';
import { linkTarget } from '@linkboard/contract/link-header';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type BrokerHandle, type Stack } from './support/stack.js';

/**
 * Paging links are absolute on the broker's public origin: `BROKER_PUBLIC_URL`, or what a trusted
 * proxy forwards (`BROKER_TRUST_PROXY`), never a `Host` a client wrote.
 */
let stack: Stack;
let alice: string;
let bob: string;

/** A GET through `node:http`, which sends `Host` and the forwarding headers as given. */
function get(
  brokerUrl: string,
  path: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; link: string | undefined; body: string }> {
  const { hostname, port } = new URL(brokerUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        path,
        headers: { authorization: `Bearer ${token}`, ...headers },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const link = res.headers.link;
          resolve({
            status: res.statusCode ?? 0,
            link: Array.isArray(link) ? link.join(', ') : link,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

const REPOS = '/v1/idp/github/user/repos?per_page=5';
const MESSAGES = '/v1/idp/windowslive/v1.0/me/messages?$top=3';
const EVENTS = '/v1/idp/google-oauth2/calendar/v3/users/me/calendarList?maxResults=1';
const HOSTILE = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'https',
  forwarded: 'for=198.51.100.7;host=evil.example;proto=https',
};

beforeAll(async () => {
  stack = await startStack();
  alice = await stack.tokenFor('alice');
  bob = await stack.tokenFor('bob');
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe('paging links on the public origin', () => {
  let configured: BrokerHandle;
  const PUBLIC = 'https://broker.example.com/linkboard';
  beforeAll(async () => {
    configured = await stack.startBroker({ env: { BROKER_PUBLIC_URL: `${PUBLIC}/` } });
  });

  it('points GitHub Link, Graph @odata.nextLink and Google page links at BROKER_PUBLIC_URL, whatever Host says', async () => {
    const repos = await get(configured.url, REPOS, alice, HOSTILE);
    expect(repos.status).toBe(200);
    expect(linkTarget(repos.link, 'next')).toBe(
      `${PUBLIC}/v1/idp/github/user/repos?per_page=5&page=2`,
    );
    expect(linkTarget(repos.link, 'last')).toMatch(
      new RegExp(`^${PUBLIC}/v1/idp/github/user/repos\\?per_page=5&page=\\d+$`),
    );

    const messages = await get(configured.url, MESSAGES, bob, HOSTILE);
    expect(messages.status).toBe(200);
    const nextLink = (JSON.parse(messages.body) as { '@odata.nextLink': string })[
      '@odata.nextLink'
    ];
    expect(nextLink.startsWith(`${PUBLIC}/v1/idp/windowslive/v1.0/me/messages?`)).toBe(true);
    expect(linkTarget(messages.link, 'next')).toBe(nextLink);

    const calendars = await get(configured.url, EVENTS, alice, HOSTILE);
    expect(calendars.status).toBe(200);
    expect(linkTarget(calendars.link, 'next')).toMatch(
      new RegExp(
        `^${PUBLIC}/v1/idp/google-oauth2/calendar/v3/users/me/calendarList\\?maxResults=1&pageToken=`,
      ),
    );
    for (const answer of [repos, messages, calendars]) {
      expect(`${answer.link} ${answer.body}`).not.toContain('evil.example');
    }
  });

  it('gives path-absolute links when nothing says where the broker is, ignoring Host and X-Forwarded-*', async () => {
    const plain = await stack.startBroker();
    const repos = await get(plain.url, REPOS, alice, HOSTILE);
    expect(linkTarget(repos.link, 'next')).toBe('/v1/idp/github/user/repos?per_page=5&page=2');
    const messages = await get(plain.url, MESSAGES, bob, HOSTILE);
    expect(linkTarget(messages.link, 'next')).toMatch(
      /^\/v1\/idp\/windowslive\/v1\.0\/me\/messages\?/,
    );
  });
});

describe('paging links from a trusted proxy', () => {
  let behindProxy: BrokerHandle;
  let untrustedPeer: BrokerHandle;
  beforeAll(async () => {
    // The test connects from 127.0.0.1: a trusted proxy for the first broker, not for the second.
    behindProxy = await stack.startBroker({ env: { BROKER_TRUST_PROXY: 'loopback' } });
    untrustedPeer = await stack.startBroker({ env: { BROKER_TRUST_PROXY: '10.0.0.0/8' } });
  });

  it('takes X-Forwarded-Host and -Proto from a trusted peer (the last entry, which it added)', async () => {
    const repos = await get(behindProxy.url, REPOS, alice, {
      host: 'internal:3000',
      'x-forwarded-host': 'evil.example, broker.corp.example',
      'x-forwarded-proto': 'http, https',
    });
    expect(linkTarget(repos.link, 'next')).toBe(
      'https://broker.corp.example/v1/idp/github/user/repos?per_page=5&page=2',
    );
  });

  it("takes Forwarded's host and proto, before X-Forwarded-*", async () => {
    const messages = await get(behindProxy.url, MESSAGES, bob, {
      forwarded:
        'for=198.51.100.7;host=evil.example, for=10.1.2.3;host="broker.corp.example:8443";proto=https',
      'x-forwarded-host': 'other.example',
    });
    expect(linkTarget(messages.link, 'next')).toMatch(
      /^https:\/\/broker\.corp\.example:8443\/v1\/idp\/windowslive\/v1\.0\/me\/messages\?/,
    );
  });

  it('ignores a Host alone, a malformed forwarded host, and every header from an untrusted peer', async () => {
    const hostOnly = await get(behindProxy.url, REPOS, alice, { host: 'evil.example' });
    expect(linkTarget(hostOnly.link, 'next')).toBe('/v1/idp/github/user/repos?per_page=5&page=2');
    const malformed = await get(behindProxy.url, REPOS, alice, {
      'x-forwarded-host': 'evil.example/x?',
      'x-forwarded-proto': 'https',
    });
    expect(linkTarget(malformed.link, 'next')).toBe('/v1/idp/github/user/repos?per_page=5&page=2');
    const oddScheme = await get(behindProxy.url, REPOS, alice, {
      'x-forwarded-host': 'broker.corp.example',
      'x-forwarded-proto': 'javascript',
    });
    expect(linkTarget(oddScheme.link, 'next')).toBe('/v1/idp/github/user/repos?per_page=5&page=2');
    const untrusted = await get(untrustedPeer.url, REPOS, alice, HOSTILE);
    expect(linkTarget(untrusted.link, 'next')).toBe('/v1/idp/github/user/repos?per_page=5&page=2');
  });
});
