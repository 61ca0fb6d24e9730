import axios, { AxiosError, type AxiosResponse } from 'axios';
import {
  IdentitiesResponse,
  PROBLEM_CONTENT_TYPE,
  PROXY_PREFIX,
  Problem,
  ProvidersResponse,
  type BrokerRequest,
  type BrokerResponse,
} from '@linkboard/contract';
import { parseRetryAfter } from '@linkboard/contract/retry-after';
import type { z } from 'zod';
import { DesktopError } from '../errors/desktop-error.js';
import { nextPageFromLink } from './next-page.js';

export interface BrokerClientOptions {
  /** From configuration only, never from the renderer. */
  brokerUrl: string;
  /** Per request; the broker bounds its own upstream calls below this. */
  timeoutMs?: number;
  /** Largest answer accepted (default 16 MiB): a page of provider data, never more. */
  maxResponseBytes?: number;
  /**
   * What every request goes through (axios's fetch adapter): Electron's `net.fetch` in the app, so
   * the system proxy, PAC files and OS-trusted CAs apply (docs/architecture.md#the-company-network);
   * Node's fetch in the Chromium host and tests.
   */
  fetch: BrokerFetch;
}

/** A `fetch` as axios's fetch adapter calls it (`net.fetch` and Node's both are one). */
export type BrokerFetch = (input: URL | Request | string, init?: RequestInit) => Promise<Response>;

/** Whether the broker's `/healthz` answered (asked without a token), for diagnostics. */
export type BrokerReachability =
  { reachable: true; status: number; milliseconds: number } | { reachable: false; reason: string };

export interface BrokerClient {
  request(request: BrokerRequest): Promise<BrokerResponse>;
  /** `fresh`: asks the broker not to answer from what it keeps (`Cache-Control: no-cache`). */
  identities(accessToken: string, options?: { fresh?: boolean }): Promise<IdentitiesResponse>;
  providers(accessToken: string): Promise<ProvidersResponse>;
  reachability(): Promise<BrokerReachability>;
}

const DEFAULT_TIMEOUT_MS = 20_000;

/** The longest wait the app counts down before offering to try again. */
const MAX_RETRY_AFTER_SECONDS = 3600;

function retryAfterSeconds(response: AxiosResponse): number | undefined {
  const header = response.headers['retry-after'];
  return typeof header === 'string'
    ? parseRetryAfter(header, Date.now(), MAX_RETRY_AFTER_SECONDS)
    : undefined;
}

/** A broker answer that is not a success, as a typed failure with the broker's own code. */
function failureOf(response: AxiosResponse): DesktopError {
  const contentType = String(response.headers['content-type'] ?? '');
  if (contentType.startsWith(PROBLEM_CONTENT_TYPE)) {
    const problem = Problem.safeParse(response.data);
    if (problem.success) {
      const retryAfter = problem.data.retryAfter ?? retryAfterSeconds(response);
      const requestId = problem.data.requestId?.slice(0, 128);
      return new DesktopError(problem.data.code, problem.data.detail ?? problem.data.title, {
        status: response.status,
        ...(retryAfter !== undefined ? { retryAfter } : {}),
        ...(requestId ? { requestId } : {}),
      });
    }
  }
  if (response.status >= 300 && response.status < 400) {
    return new DesktopError(
      'broker_bad_response',
      'The broker answered with a redirect, which Linkboard does not follow.',
      {
        status: response.status,
      },
    );
  }
  return new DesktopError(
    'broker_bad_response',
    `The broker answered with an unexpected status (${response.status}).`,
    {
      status: response.status,
    },
  );
}

/** Network failures as typed failures; the axios error (which holds the request headers) stays here. */
function transportFailure(error: unknown): DesktopError {
  if (error instanceof AxiosError) {
    if (error.code === AxiosError.ECONNABORTED || error.code === AxiosError.ETIMEDOUT) {
      return new DesktopError(
        'broker_timeout',
        'The broker did not answer in time. Try again in a moment.',
      );
    }
    if (
      error.code === AxiosError.ERR_BAD_RESPONSE ||
      error.code === AxiosError.ERR_FR_TOO_MANY_REDIRECTS
    ) {
      return new DesktopError(
        'broker_bad_response',
        'The broker sent an answer Linkboard could not read.',
      );
    }
  }
  return new DesktopError(
    'broker_unreachable',
    'Linkboard could not reach the broker. Check your connection.',
  );
}

/**
 * The broker's HTTP API over axios with the injected fetch: the configured base URL, a timeout,
 * redirects never followed (`maxRedirects: 0`, which the fetch adapter passes on as
 * `redirect: 'manual'`: an answer that redirects is refused, so a token cannot be carried to
 * another origin), problem+json mapped to typed failures carrying the broker's `code`, and answers checked
 * against the contract's schemas.
 */
export function createBrokerClient(options: BrokerClientOptions): BrokerClient {
  const http = axios.create({
    baseURL: options.brokerUrl,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRedirects: 0,
    // Paths are joined to the configured base URL, never taken as URLs of their own.
    allowAbsoluteUrls: false,
    validateStatus: () => true,
    maxContentLength: options.maxResponseBytes ?? 16 * 1024 * 1024,
    responseType: 'json',
    headers: { Accept: `application/json, ${PROBLEM_CONTENT_TYPE}` },
    adapter: 'fetch',
    env: { fetch: options.fetch },
  });

  async function get(
    path: string,
    accessToken: string,
    params?: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<AxiosResponse> {
    let response: AxiosResponse;
    try {
      response = await http.get(path, {
        params,
        headers: { ...headers, Authorization: `Bearer ${accessToken}` },
      });
    } catch (error) {
      throw transportFailure(error);
    }
    if (response.status < 200 || response.status >= 300) throw failureOf(response);
    return response;
  }

  async function getParsed<T>(
    path: string,
    accessToken: string,
    schema: z.ZodType<T>,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const response = await get(path, accessToken, undefined, headers);
    const parsed = schema.safeParse(response.data);
    if (!parsed.success)
      throw new DesktopError(
        'broker_bad_response',
        'The broker sent an answer Linkboard could not read.',
      );
    return parsed.data;
  }

  return {
    async request({ connection, path, query, accessToken }) {
      const response = await get(
        `${PROXY_PREFIX}${encodeURIComponent(connection)}${path}`,
        accessToken,
        query,
      );
      const link = response.headers['link'];
      return {
        status: response.status,
        data: response.data,
        next: nextPageFromLink(
          typeof link === 'string' ? link : undefined,
          options.brokerUrl,
          connection,
        ),
      };
    },
    identities: (accessToken, { fresh = false } = {}) =>
      getParsed(
        '/v1/me/identities',
        accessToken,
        IdentitiesResponse,
        fresh ? { 'Cache-Control': 'no-cache' } : {},
      ),
    providers: (accessToken) => getParsed('/v1/providers', accessToken, ProvidersResponse),
    async reachability() {
      const started = performance.now();
      try {
        const response = await http.get('/healthz', { responseType: 'text' });
        return {
          reachable: true,
          status: response.status,
          milliseconds: Math.round(performance.now() - started),
        };
      } catch (error) {
        return { reachable: false, reason: transportFailure(error).code };
      }
    },
  };
}
