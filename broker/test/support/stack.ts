import { IdentitiesResponse } from '@linkboard/contract';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { startSandbox, type SandboxInfo } from '@linkboard/sandbox';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { BrokerLimits } from '../../src/config/broker-config.js';
import { buildBroker, loadConfig } from '../../src/index.js';
import type { SharedStore } from '../../src/cache/shared-store.js';
import { signIn } from './sign-in.js';

export interface SandboxStats {
  grants: { authorization_code: number; refresh_token: number; client_credentials: number };
  managementGetUser: number;
  idpCalls: { github: number; 'google-oauth2': number; windowslive: number; bitbucket: number };
  tokenVaultExchanges: {
    github: number;
    'google-oauth2': number;
    windowslive: number;
    bitbucket: number;
  };
}

export interface BrokerHandle {
  app: FastifyInstance;
  url: string;
  /** Every log line the broker wrote. */
  logLines: string[];
  close(): Promise<void>;
}

/** A running sandbox with helpers for its control endpoints, and brokers wired to it. */
export interface BrokerOptions {
  limits?: Partial<BrokerLimits>;
  env?: Record<string, string>;
  /** Variables the sandbox wiring would set that this broker must start without. */
  withoutEnv?: string[];
  store?: SharedStore;
  /** The broker's clock (its caches' expiry), for tests that move time on. */
  now?: () => number;
}

/** The Management API client's settings, which a `token-vault` broker starts without. */
const MANAGEMENT_VARIABLES = ['AUTH0_M2M_CLIENT_ID', 'AUTH0_M2M_CLIENT_SECRET'];

export interface Stack {
  info: SandboxInfo;
  stats(): Promise<SandboxStats>;
  fault(fault: Record<string, unknown>): Promise<void>;
  /** Firings left of the faults injected for `target` (all of them by default). */
  pendingFaults(target?: string): Promise<number>;
  reset(): Promise<void>;
  /** A real user access token, from the sign-in flow. */
  tokenFor(username: string): Promise<string>;
  startBroker(options?: BrokerOptions): Promise<BrokerHandle>;
  /**
   * A broker with `TOKEN_SOURCE=token-vault` and only the Token Vault client's credentials: the
   * Management API client's are not set at all. `options.env` may still override either.
   */
  startVaultBroker(options?: BrokerOptions): Promise<BrokerHandle>;
  /** Log lines of every broker this stack started. */
  allLogLines(): string[];
  close(): Promise<void>;
}

/** Test limits: short backoff so retries do not slow the suite. */
const TEST_LIMITS: Partial<BrokerLimits> = { retryBaseDelayMs: 20, upstreamTimeoutMs: 5000 };

export async function startStack(): Promise<Stack> {
  const sandbox = await startSandbox({ port: 0, control: true });
  const brokers: BrokerHandle[] = [];
  const tokens = new Map<string, string>();
  const control = (path: string, init?: RequestInit) =>
    fetch(new URL(path, sandbox.url), { ...init, signal: AbortSignal.timeout(5000) });

  const startBroker = async (options: BrokerOptions = {}): Promise<BrokerHandle> => {
    const env = brokerEnvFromSandbox(sandbox.info, { LOG_LEVEL: 'info', ...options.env });
    for (const name of options.withoutEnv ?? []) delete env[name];
    const config = loadConfig(env, {
      ...TEST_LIMITS,
      ...options.limits,
    });
    const logLines: string[] = [];
    const app = await buildBroker(config, {
      logDestination: { write: (line: string) => void logLines.push(line) },
      ...(options.store ? { store: options.store } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const handle = { app, url: `http://127.0.0.1:${port}`, logLines, close: () => app.close() };
    brokers.push(handle);
    return handle;
  };

  return {
    info: sandbox.info,
    stats: async () => (await (await control('/_sandbox/stats')).json()) as SandboxStats,
    fault: async (fault) => {
      const response = await control('/_sandbox/faults', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fault),
      });
      if (response.status !== 201) throw new Error(`fault refused: ${await response.text()}`);
    },
    pendingFaults: async (target) => {
      const { pending } = (await (await control('/_sandbox/faults')).json()) as {
        pending: { target: string; remaining: number }[];
      };
      return pending
        .filter((fault) => target === undefined || fault.target === target)
        .reduce((sum, fault) => sum + fault.remaining, 0);
    },
    reset: async () => {
      await control('/_sandbox/reset', { method: 'POST' });
    },
    tokenFor: async (username) => {
      const known = tokens.get(username);
      if (known) return known;
      const { accessToken } = await signIn(sandbox.info, username);
      tokens.set(username, accessToken);
      return accessToken;
    },
    startBroker,
    startVaultBroker: (options = {}) =>
      startBroker({
        ...options,
        env: {
          TOKEN_SOURCE: 'token-vault',
          AUTH0_TOKEN_VAULT_CLIENT_ID: sandbox.info.tokenVault.clientId,
          AUTH0_TOKEN_VAULT_CLIENT_SECRET: sandbox.info.tokenVault.clientSecret,
          ...options.env,
        },
        withoutEnv: [...MANAGEMENT_VARIABLES, ...(options.withoutEnv ?? [])],
      }),
    allLogLines: () => brokers.flatMap((broker) => broker.logLines),
    close: async () => {
      await Promise.all(brokers.map((broker) => broker.close()));
      await sandbox.close();
    },
  };
}

/**
 * What the desktop's broker client accepts: problem details for every refusal, the proxy route's
 * included (docs/architecture.md#errors-in-the-callers-dialect). The test helpers send it unless a
 * test says otherwise, as they check the broker's problem documents.
 */
export const PROBLEM_ACCEPT = 'application/problem+json, application/json';

/** A broker request with a bearer token. */
export async function callBroker(
  brokerUrl: string,
  path: string,
  token: string | undefined,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const response = await fetch(new URL(path, brokerUrl), {
    ...init,
    redirect: 'manual',
    headers: {
      accept: PROBLEM_ACCEPT,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.headers as Record<string, string>),
    },
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

/**
 * A request whose path goes out byte for byte (`fetch` would normalise `..` and `\`), through
 * `node:http`, which sends the path as given.
 */
export async function rawBrokerRequest(
  brokerUrl: string,
  path: string,
  token: string,
  method = 'GET',
  body?: string,
): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const { request } = await import('node:http');
  const { hostname, port } = new URL(brokerUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        method,
        path,
        headers: {
          accept: PROBLEM_ACCEPT,
          authorization: `Bearer ${token}`,
          // Node sends no length for a GET body of its own accord: say it, as a client would.
          ...(body
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
            : {}),
        },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined)
              headers.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          resolve({ status: res.statusCode ?? 0, headers, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

/**
 * The caller's account list as `connection:status` entries. `fresh` asks as the app does after
 * its own Connect or Disconnect (`Cache-Control: no-cache`).
 */
export async function listIdentities(
  brokerUrl: string,
  token: string,
  fresh = false,
): Promise<string[]> {
  const response = await callBroker(
    brokerUrl,
    '/v1/me/identities',
    token,
    fresh ? { headers: { 'cache-control': 'no-cache' } } : {},
  );
  expect(response.status).toBe(200);
  return IdentitiesResponse.parse(response.json()).identities.map(
    ({ connection, status }) => `${connection}:${status}`,
  );
}
