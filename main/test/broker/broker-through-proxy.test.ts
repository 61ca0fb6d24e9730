import { once } from 'node:events';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createProxy } from 'proxy';
import { generate } from 'selfsigned';
import { ProxyAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { closeNow } from '@linkboard/testing/loopback-server';
import { createBrokerClient, type BrokerFetch } from '../../src/broker/broker-client.js';
import { loadConfig } from '../../src/config/load-config.js';

// The broker client with an injected fetch that goes through a real HTTP proxy on loopback: plain
// requests for http, CONNECT tunnels for https (docs/architecture.md#the-company-network). In the
// app the injected fetch is Electron's net.fetch and the proxy comes from the session; here it is
// Node's fetch with an undici ProxyAgent built from the validated `proxyUrl` configuration key.

const token = `eyJ${'a'.repeat(40)}`;
const servers: Server[] = [];
const agents: ProxyAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
  await Promise.all(servers.splice(0).map(closeNow));
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** A proxy on loopback that records what went through it: plain requests and CONNECT targets. */
async function loopbackProxy() {
  const plain: string[] = [];
  const tunnels: string[] = [];
  const server = createProxy(createHttpServer());
  server.prependListener('request', (request: IncomingMessage) => plain.push(request.url ?? ''));
  server.prependListener('connect', (request: IncomingMessage) => tunnels.push(request.url ?? ''));
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, plain, tunnels };
}

function answerIdentities(seen: string[]) {
  return (request: IncomingMessage, response: ServerResponse) => {
    seen.push(`${request.url} ${request.headers.authorization ?? ''}`);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ identities: [] }));
  };
}

/** The configuration as the app loads it: `proxyUrl` from a managed policy, validated. */
function configuredProxy(proxyUrl: string, brokerUrl: string): string {
  const loaded = loadConfig(
    [
      { kind: 'policy', location: 'test policy', values: { ProxyUrl: proxyUrl } },
      {
        kind: 'environment',
        location: 'environment',
        values: {
          LINKBOARD_AUTH0_DOMAIN: 'tenant.auth0.com',
          LINKBOARD_CLIENT_ID: 'desktop',
          LINKBOARD_BROKER_AUDIENCE: 'https://broker.example/',
          LINKBOARD_BROKER_URL: brokerUrl,
        },
      },
    ],
    { isDevelopment: false },
  );
  if (!loaded.ok) throw loaded.error;
  expect(loaded.value.sources.proxyUrl).toBe('policy');
  return loaded.value.config.proxyUrl!;
}

function fetchThroughProxy(proxyUrl: string, ca?: string): BrokerFetch {
  // proxyTunnel false: http goes to the proxy as a plain absolute-URI request, as Chromium sends
  // it; https is tunnelled with CONNECT either way.
  const agent = new ProxyAgent({
    uri: proxyUrl,
    proxyTunnel: false,
    ...(ca ? { requestTls: { ca } } : {}),
  });
  agents.push(agent);
  // Node's fetch takes an undici dispatcher (a Node extension of RequestInit).
  return (input, init) => fetch(input, { ...init, dispatcher: agent } as RequestInit);
}

describe('broker client through the company proxy', () => {
  it('sends an https request through a CONNECT tunnel of the configured proxy', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const seen: string[] = [];
    const brokerPort = await listen(
      createHttpsServer({ key: pems.private, cert: pems.cert }, answerIdentities(seen)),
    );
    const brokerUrl = `https://127.0.0.1:${brokerPort}`;
    const proxy = await loopbackProxy();

    const proxyUrl = configuredProxy(proxy.url, brokerUrl);
    const client = createBrokerClient({ brokerUrl, fetch: fetchThroughProxy(proxyUrl, pems.cert) });
    expect(await client.identities(token)).toEqual({ identities: [], connectable: [] });

    expect(proxy.tunnels).toEqual([`127.0.0.1:${brokerPort}`]);
    expect(proxy.plain).toEqual([]);
    expect(seen).toEqual([`/v1/me/identities Bearer ${token}`]);
  });

  it('sends an http request to the proxy as an absolute-URI request', async () => {
    const seen: string[] = [];
    const brokerPort = await listen(createHttpServer(answerIdentities(seen)));
    const brokerUrl = `http://127.0.0.1:${brokerPort}`;
    const proxy = await loopbackProxy();

    const client = createBrokerClient({ brokerUrl, fetch: fetchThroughProxy(proxy.url) });
    expect(await client.identities(token)).toEqual({ identities: [], connectable: [] });

    expect(proxy.plain).toEqual([`${brokerUrl}/v1/me/identities`]);
    expect(proxy.tunnels).toEqual([]);
    expect(seen).toEqual([`/v1/me/identities Bearer ${token}`]);
  });

  it('reports an unreachable broker when the proxy is down, and goes direct without one', async () => {
    const seen: string[] = [];
    const brokerPort = await listen(createHttpServer(answerIdentities(seen)));
    const brokerUrl = `http://127.0.0.1:${brokerPort}`;
    const proxy = await loopbackProxy();
    const downUrl = proxy.url;
    await closeNow(servers.pop()!);

    await expect(
      createBrokerClient({ brokerUrl, fetch: fetchThroughProxy(downUrl) }).identities(token),
    ).rejects.toMatchObject({ code: 'broker_unreachable' });
    expect(seen).toEqual([]);

    const direct: string[] = [];
    const recording: BrokerFetch = (input, init) => {
      direct.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };
    await createBrokerClient({ brokerUrl, fetch: recording }).identities(token);
    expect(direct).toEqual([`${brokerUrl}/v1/me/identities`]);
    expect(seen).toHaveLength(1);
  });
});

describe('the proxyUrl configuration key', () => {
  function load(proxyUrl: unknown) {
    return loadConfig(
      [
        {
          kind: 'policy',
          location: 'HKLM\\SOFTWARE\\Policies\\Linkboard',
          values: {
            Auth0Domain: 'tenant.auth0.com',
            ClientId: 'desktop',
            BrokerAudience: 'https://broker.example/',
            BrokerUrl: 'https://broker.example',
            ProxyUrl: proxyUrl,
          },
        },
      ],
      { isDevelopment: false },
    );
  }

  it.each([
    ['http://proxy.contoso.example:3128', 'http://proxy.contoso.example:3128'],
    ['https://proxy.contoso.example/', 'https://proxy.contoso.example'],
    [' HTTP://Proxy.Contoso.Example:8080 ', 'http://proxy.contoso.example:8080'],
  ])('accepts %j as %j', (value, expected) => {
    const loaded = load(value);
    expect(loaded.ok && loaded.value.config.proxyUrl).toBe(expected);
  });

  it('is null (the system proxy) when no source sets it', () => {
    const loaded = load('');
    expect(loaded.ok && loaded.value.config.proxyUrl).toBeNull();
    expect(loaded.ok && loaded.value.sources.proxyUrl).toBe('default');
  });

  it.each([
    ['socks5://proxy.contoso.example:1080', 'an http or https proxy URL'],
    ['proxy.contoso.example:3128', 'an http or https proxy URL'],
    ['http://ada:hunter2@proxy.contoso.example:3128', 'without user name or password'],
    ['http://proxy.contoso.example:3128/path', 'without path, query or fragment'],
    ['http://proxy.contoso.example:3128/?x=1', 'without path, query or fragment'],
  ])('refuses %j, naming the key and its source', (value, reason) => {
    const loaded = load(value);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.error.message).toContain('proxyUrl');
    expect(loaded.error.message).toContain(reason);
    expect(loaded.error.message).not.toContain('hunter2');
  });
});
