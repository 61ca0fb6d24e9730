import type { CompiledProvider } from '../catalogue/compiled-provider.js';
import { BrokerError } from '../errors/broker-error.js';
import type { IdpTokenSource } from '../idp/idp-token-source.js';
import { Readable } from 'node:stream';
import {
  dropAnswer,
  headerValue,
  passOn,
  readWhole,
  UpstreamTooLargeError,
  UpstreamUnreachableError,
  UpstreamUnreadableError,
  type UpstreamClient,
  type UpstreamOpened,
  type UpstreamResponse,
  type UpstreamTarget,
} from '../upstream/upstream-client.js';
import { untilDeadline, type Deadline } from '../upstream/deadline.js';
import type { CheckedTargets } from './checked-targets.js';
import { paginate, type PageRequest } from './pagination.js';
import { tokenGuard } from './token-guard.js';
import { TokenNeedle } from './token-search.js';
import type { UserCallSlots } from './user-call-slots.js';
import type { VerifiedCaller } from '../auth/verify-access-token.js';
import {
  rateLimitHeaders,
  retryAfterSeconds,
  safeResponseHeaders,
} from '../upstream/response-headers.js';
import type { Span } from '@opentelemetry/api';
import { inSpan, SPAN, tracing } from '../observability/tracing.js';

export interface ProxyCall {
  /** The verified caller: whose provider token to use (and, for Token Vault, the subject token). */
  caller: VerifiedCaller;
  method: string;
  /** The request URL exactly as received (path and query, still encoded). */
  rawUrl: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | undefined;
  /** The request's deadline: the provider call and the token lookups end by then. */
  deadline: Deadline;
  /**
   * Where the connection's paths start for this caller (`https://broker.example.com/v1/idp/github`,
   * or the path alone): the base of the paging links. Asked only when a link is written.
   */
  referenceBase: (connection: string) => string;
}

export interface ProxyAnswer {
  status: number;
  headers: Record<string, string>;
  /**
   * Whole (one buffer, or the chunks it arrived in, sent one after the other), or passed on as
   * it arrives where the broker rewrites nothing in it.
   */
  body: Buffer | readonly Buffer[] | Readable;
}

/** Filled while a call goes through, for the audit line, whatever the outcome. */
export interface ProxyAudit {
  connection?: string;
  pattern?: string;
  upstreamStatus?: number;
  refreshed?: boolean;
}

/** Request headers a caller may send on to the provider. */
const FORWARDED_REQUEST_HEADERS = ['accept-language', 'if-none-match', 'if-modified-since'];
/**
 * Longest provider wait passed on to the caller, in seconds. The provider's own figure (GitHub's
 * reset can be most of an hour away): the broker does not wait on it, so it is not capped like
 * the waits the broker honours itself (`maxRetryAfterSeconds`).
 */
const PASSED_ON_RETRY_AFTER_SECONDS = 3600;
/**
 * The caller's `Accept` when it is exactly one media type the catalogue lists for the provider
 * (GitHub's `application/vnd.github.raw+json`); otherwise none, and the catalogue's own applies.
 */
function chosenMediaType(
  provider: CompiledProvider,
  accept: string | string[] | undefined,
): string | undefined {
  if (typeof accept !== 'string') return undefined;
  const mediaType = accept.trim().toLowerCase();
  return provider.acceptMediaTypes.has(mediaType) ? mediaType : undefined;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
/**
 * Paging styles that leave the body as it is: such answers are passed on as they arrive, not
 * held whole, unless small (below).
 */
const BODY_UNTOUCHED = new Set(['link', 'none']);
/**
 * A provider answer of at most this many bytes (declared, or counted as it arrives) is held
 * whole, as the chunks it arrived in (not copied into one buffer), checked for the token and sent
 * in one write with its length: streaming it costs stream objects, per-chunk work and a chunked
 * answer of several writes, more CPU than holding it (a 90 KB GitHub page of 30 repositories). A
 * larger one is streamed, so the memory a call holds stays bounded
 * (docs/architecture.md#timeouts-budgets-and-limits).
 */
const WHOLE_ANSWER_BYTES = 256 * 1024;
const NO_BODY = Buffer.alloc(0);

/**
 * The proxy `ANY /v1/idp/{connection}/{path}`: checks the call against the catalogue, finds the
 * caller's identity for the connection, calls the provider with its token and answers with the
 * provider's JSON, pagination pointing back at the broker. The IdP token goes only to the pinned
 * provider URL and never into the answer.
 */
export class IdpProxy {
  constructor(
    private readonly options: {
      /** The catalogue's checks of a call's URL (rule 4), kept for URLs seen before. */
      targets: CheckedTargets;
      tokens: IdpTokenSource;
      client: UpstreamClient;
      /** Bounds each user's provider calls in flight. */
      slots: UserCallSlots;
      now?: () => number;
      /** Called with each provider answer's time to its headers, in seconds (metrics). */
      onProviderAnswer?: (connection: string, seconds: number) => void;
    },
  ) {}

  /** The call, once one of the user's call slots is free; the slot is held until the answer is sent. */
  async call(call: ProxyCall, audit: ProxyAudit): Promise<ProxyAnswer> {
    const slots = this.options.slots;
    const userId = call.caller.userId;
    const release = slots.take(userId) ?? (await slots.acquire(userId, call.deadline.signal));
    try {
      const answer = await this.callInSlot(call, audit);
      if (answer.body instanceof Readable) answer.body.once('close', release);
      else release();
      return answer;
    } catch (error) {
      release();
      throw error;
    }
  }

  private async callInSlot(call: ProxyCall, audit: ProxyAudit): Promise<ProxyAnswer> {
    const target = this.options.targets.check(call.method, call.rawUrl, audit);
    const { provider } = target;
    const page: PageRequest = {
      encodedPath: target.encodedPath,
      search: target.search,
      base: () => call.referenceBase(provider.entry.connection),
    };

    const tokens = this.options.tokens;
    const within = <T>(work: Promise<T>) =>
      untilDeadline(work, call.deadline.signal, 'the provider token lookup');
    const connection = { 'linkboard.connection': provider.entry.connection };
    // A lease in memory is taken at once; with tracing on, every lookup goes through its span.
    let lease =
      (tracing() ? undefined : tokens.held?.(call.caller, provider)) ??
      (await within(
        inSpan(SPAN.providerToken, connection, async (span) => {
          const acquired = await tokens.acquire(call.caller, provider);
          span?.setAttribute('linkboard.token.refreshed', acquired.refreshed);
          return acquired;
        }),
      ));
    audit.refreshed = lease.refreshed;
    let response = await this.send(provider, target.upstream, call, lease.token);
    if (response.status === 401) {
      dropAnswer(response);
      const refused = lease;
      const renewed = await within(
        inSpan(SPAN.providerToken, { ...connection, 'linkboard.token.renew': true }, () =>
          tokens.renew(refused),
        ),
      );
      if (renewed) {
        lease = renewed;
        audit.refreshed = lease.refreshed;
        response = await this.send(provider, target.upstream, call, lease.token);
        if (response.status === 401) {
          dropAnswer(response);
          tokens.refused(lease);
        }
      }
      if (response.status === 401) {
        throw new BrokerError(
          'idp_reauth_required',
          `${provider.entry.displayName} refused the stored token`,
        );
      }
    }
    audit.upstreamStatus = response.status;
    const token = lease.token;
    const refusal = this.refusal(provider, response);
    if (refusal) {
      dropAnswer(response);
      throw refusal;
    }
    const name = provider.entry.displayName;
    if (
      call.method === 'GET' &&
      response.status < 300 &&
      BODY_UNTOUCHED.has(provider.entry.pagination)
    ) {
      const headers = safeResponseHeaders(response.headers);
      // These paging styles read only the Link header, never the body.
      const { link } = paginate(provider, page, {
        link: headerValue(response.headers, 'link'),
        body: NO_BODY,
        isJson: false,
      });
      if (link) headers.link = link;
      if (carries(headers, token)) {
        dropAnswer(response);
        throw new BrokerError('upstream_error', `${name} answered unexpectedly`);
      }
      if (Array.isArray(response.body)) {
        if (new TokenNeedle(token).inChunks(response.body)) {
          throw new BrokerError('upstream_error', `${name} answered unexpectedly`);
        }
        return { status: response.status, headers, body: response.body };
      }
      return {
        status: response.status,
        headers,
        body: passOn(response.body, tokenGuard(new TokenNeedle(token), name)),
      };
    }
    const whole = { ...response, body: await this.read(provider, response) };
    const answer = this.answer(provider, page, call.method, whole);
    if (new TokenNeedle(token).in(answer.body as Buffer) || carries(answer.headers, token)) {
      // A provider echoing the token back (in the body or, say, a next-page URL) must not make
      // the broker leak it (rule 3).
      throw new BrokerError(
        'upstream_error',
        `${provider.entry.displayName} answered unexpectedly`,
      );
    }
    return answer;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** One provider call, in its span (the undici instrumentation's HTTP span is its child). */
  private send(
    provider: CompiledProvider,
    url: UpstreamTarget,
    call: ProxyCall,
    token: string,
  ): Promise<UpstreamOpened> {
    const attributes = { 'linkboard.connection': provider.entry.connection };
    return inSpan(SPAN.providerCall, attributes, (span) =>
      this.sendNow(provider, url, call, token, span),
    );
  }

  private async sendNow(
    provider: CompiledProvider,
    url: UpstreamTarget,
    call: ProxyCall,
    token: string,
    span: Span | undefined,
  ): Promise<UpstreamOpened> {
    const entry = provider.entry;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'linkboard-broker',
      ...provider.requestHeaders,
    };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = call.headers[name];
      if (typeof value === 'string' && !/[\r\n]/.test(value)) headers[name] = value;
    }
    const accept = chosenMediaType(provider, call.headers.accept);
    if (accept) headers.accept = accept;
    const withBody = METHODS_WITH_BODY.has(call.method) && call.body !== undefined;
    if (withBody) headers['content-type'] = 'application/json';
    headers[provider.tokenHeader] = `${entry.token.prefix}${token}`;
    const started = performance.now();
    try {
      const response = await this.options.client.open(
        {
          method: call.method,
          url,
          headers,
          ...(withBody ? { body: call.body } : {}),
          idempotent: IDEMPOTENT_METHODS.has(call.method),
          signal: call.deadline,
        },
        WHOLE_ANSWER_BYTES,
      );
      const seconds = (performance.now() - started) / 1000;
      this.options.onProviderAnswer?.(entry.connection, seconds);
      span?.setAttribute('http.response.status_code', response.status);
      return response;
    } catch (error) {
      if (error instanceof UpstreamTooLargeError) {
        throw new BrokerError(
          'payload_too_large',
          `${entry.displayName} answered with too much data`,
        );
      }
      if (error instanceof UpstreamUnreadableError) {
        throw new BrokerError('upstream_error', `${entry.displayName} answered unreadably`);
      }
      if (error instanceof UpstreamUnreachableError) {
        throw new BrokerError('upstream_unavailable', `${entry.displayName} cannot be reached`);
      }
      throw error;
    }
  }

  /** A body the broker must see whole (to rewrite a page reference, or a small error). */
  private async read(provider: CompiledProvider, response: UpstreamOpened): Promise<Buffer> {
    const chunks = Array.isArray(response.body)
      ? response.body
      : await this.readChunks(provider, response.body);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }

  /** Reads a streamed body whole, as the chunks it arrived in. */
  private async readChunks(provider: CompiledProvider, body: Readable): Promise<Buffer[]> {
    try {
      return await readWhole(body);
    } catch (error) {
      if (error instanceof UpstreamTooLargeError) {
        throw new BrokerError(
          'payload_too_large',
          `${provider.entry.displayName} answered with too much data`,
        );
      }
      throw new BrokerError(
        'upstream_unavailable',
        `${provider.entry.displayName} did not finish its answer`,
      );
    }
  }

  /** The problem a provider status means for the caller, if it is not passed on. */
  private refusal(provider: CompiledProvider, response: UpstreamOpened): BrokerError | undefined {
    const name = provider.entry.displayName;
    const { status } = response;
    // GitHub signals an exhausted primary rate limit with 403 and no requests remaining.
    const exhausted =
      status === 403 && headerValue(response.headers, 'x-ratelimit-remaining') === '0';
    const wait = retryAfterSeconds(response.headers, this.now(), PASSED_ON_RETRY_AFTER_SECONDS);
    const retryAfter = wait === undefined ? {} : { retryAfterSeconds: wait };
    if (status === 429 || exhausted) {
      return new BrokerError('upstream_rate_limited', `${name} is rate limiting`, {
        ...retryAfter,
        limitedBy: 'provider',
        headers: rateLimitHeaders(response.headers),
      });
    }
    if (status >= 300 && status < 400 && status !== 304) {
      return new BrokerError(
        'upstream_error',
        `${name} answered with a redirect, which is not followed`,
      );
    }
    if (status === 503 || status === 504 || status === 502) {
      return new BrokerError(
        'upstream_unavailable',
        `${name} is unavailable (${status})`,
        retryAfter,
      );
    }
    if (status >= 500) return new BrokerError('upstream_error', `${name} failed (${status})`);
    return undefined;
  }

  private answer(
    provider: CompiledProvider,
    request: PageRequest,
    method: string,
    response: UpstreamResponse,
  ): ProxyAnswer {
    const { status } = response;
    const headers = safeResponseHeaders(response.headers);
    if (status >= 400) return { status, headers, body: response.body };
    const contentType = headerValue(response.headers, 'content-type') ?? '';
    const page = paginate(provider, request, {
      link: headerValue(response.headers, 'link'),
      body: response.body,
      isJson: /\bjson\b/i.test(contentType),
    });
    if (page.link) headers.link = page.link;
    return { status, headers, body: method === 'HEAD' ? Buffer.alloc(0) : page.body };
  }
}

/** Whether any header value holds the token. */
function carries(headers: Record<string, string>, token: string): boolean {
  for (const name in headers) if (headers[name]!.includes(token)) return true;
  return false;
}
