import { pipeline, Readable, Transform, type Duplex } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { backOff } from 'exponential-backoff';
import { Agent, type Dispatcher } from 'undici';
import { AnswerHandler, type ReceivedAnswer } from './answer-handler.js';
import type { Deadline } from './deadline.js';

/** An upstream answer, read whole (within the size bound). */
export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * Where a call goes, split as undici sends it (origin, then path and query): taken from a URL
 * that was parsed and checked once (the proxy's pinned URL), so it is not parsed again per call.
 */
export interface UpstreamTarget {
  readonly origin: string;
  /** The path and query, starting with `/`. */
  readonly path: string;
}

export interface UpstreamRequest {
  method: string;
  url: URL | UpstreamTarget;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Whether the call may be repeated (GET, HEAD, PUT, DELETE and token/Management reads). */
  idempotent: boolean;
  /**
   * The caller's deadline (the request's time budget); the call and its retries end with it. A
   * `Deadline` says when it ends, so the client's own budget timer is only added when it is later.
   */
  signal?: AbortSignal | Deadline;
}

/** The upstream did not answer in time, reset the connection, or could not be reached. */
export class UpstreamUnreachableError extends Error {
  constructor(readonly reason: string) {
    super(`upstream unreachable: ${reason}`);
    this.name = 'UpstreamUnreachableError';
  }
}

/** The upstream answer cannot be read: an unknown content encoding, or a corrupt body. */
export class UpstreamUnreadableError extends Error {
  constructor(readonly reason: string) {
    super(`upstream answer unreadable: ${reason}`);
    this.name = 'UpstreamUnreadableError';
  }
}

/**
 * Decoders for the content encodings providers use. The broker asks for none, but a provider may
 * compress anyway; its body is decoded rather than passed on labelled as plain JSON.
 */
const DECODERS: Record<string, () => Transform> = {
  gzip: () => createGunzip(),
  'x-gzip': () => createGunzip(),
  deflate: () => createInflate(),
  br: () => createBrotliDecompress(),
};

/** An answer's status, headers and body as it arrives, already decoded. */
interface RawAnswer {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
  /** Whether the body was compressed (a stream error is then a corrupt body, not the network). */
  decoded: boolean;
}

/** The upstream answer is larger than the broker accepts. */
export class UpstreamTooLargeError extends Error {
  constructor() {
    super('upstream answer too large');
    this.name = 'UpstreamTooLargeError';
  }
}

class RetryableStatus extends Error {
  constructor(readonly response: { status: number }) {
    super(`retryable status ${response.status}`);
  }
}

/** An upstream answer whose body is read as it arrives (within the size bound and deadline). */
export interface UpstreamStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

/** An upstream answer small enough to be held whole, as the chunks it arrived in. */
export interface UpstreamHeld {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer[];
}

/** What `open` gives: an answer held whole, or one to read as it arrives. */
export type UpstreamOpened = UpstreamHeld | UpstreamStream;

type BudgetedRequest = Omit<UpstreamRequest, 'signal'> & { signal: AbortSignal };

export interface UpstreamClientOptions {
  /** Time limit of one attempt. */
  timeoutMs: number;
  /** Time limit of a whole call, its retries and their waits included. */
  budgetMs: number;
  maxResponseBytes: number;
  retries: number;
  retryBaseDelayMs: number;
}

const RETRYABLE_STATUSES = new Set([502, 503, 504]);

/**
 * The broker's one way to call anything upstream (tenant, Management API, IdP APIs): bounded in
 * time and size, never following redirects (undici's `request` does not), and retrying idempotent
 * calls on 502/503/504 and network errors a few times with full-jitter exponential backoff. A
 * call, retries included, ends within the client's budget or the caller's deadline, whichever
 * comes first (docs/architecture.md#timeouts-budgets-and-limits).
 */
export class UpstreamClient {
  private readonly agent: Dispatcher;

  constructor(private readonly options: UpstreamClientOptions) {
    this.agent = new Agent({
      connect: { timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 10_000,
      connections: 128,
    });
  }

  /** A call answered whole: the body read within the size bound. */
  send(request: UpstreamRequest): Promise<UpstreamResponse> {
    return this.withRetries(
      this.budgeted(request),
      (call) => this.once(call),
      () => {},
    );
  }

  /**
   * A call whose answer is held whole when it is at most `holdUpTo` bytes and not compressed,
   * and passed on as it arrives otherwise: retried like `send` until a status worth keeping,
   * then its body as a stream that fails past the size bound or the deadline.
   */
  open(request: UpstreamRequest, holdUpTo = 0): Promise<UpstreamOpened> {
    const held = Math.min(holdUpTo, this.options.maxResponseBytes);
    return this.withRetries(
      this.budgeted(request),
      (call) => this.openOnce(call, held),
      dropAnswer,
    );
  }

  private budgeted(request: UpstreamRequest): BudgetedRequest {
    const given = request.signal;
    if (given && !(given instanceof AbortSignal)) {
      // A request's deadline that ends within the budget bounds the call alone.
      if (given.endsAt <= performance.now() + this.options.budgetMs) {
        return { ...request, signal: given.signal };
      }
    }
    const budget = AbortSignal.timeout(this.options.budgetMs);
    if (!given) return { ...request, signal: budget };
    const signal = given instanceof AbortSignal ? given : given.signal;
    return { ...request, signal: AbortSignal.any([signal, budget]) };
  }

  /** `attempt`, repeated for idempotent calls; `drop` frees an answer that is not kept. */
  private async withRetries<Answer extends { status: number }>(
    call: BudgetedRequest,
    attempt: (call: BudgetedRequest) => Promise<Answer>,
    drop: (answer: Answer) => void,
  ): Promise<Answer> {
    // The first attempt runs directly; backoff (and its timers) only once a retry is due.
    let first: Answer;
    try {
      first = await attempt(call);
    } catch (error) {
      if (!call.idempotent || !(error instanceof UpstreamUnreachableError)) throw error;
      if (this.options.retries < 1 || call.signal.aborted) throw error;
      return this.retry(call, attempt, drop);
    }
    if (call.idempotent && RETRYABLE_STATUSES.has(first.status) && this.options.retries > 0) {
      drop(first);
      return this.retry(call, attempt, drop);
    }
    return first;
  }

  private async retry<Answer extends { status: number }>(
    call: BudgetedRequest,
    attempt: (call: BudgetedRequest) => Promise<Answer>,
    drop: (answer: Answer) => void,
  ): Promise<Answer> {
    try {
      return await backOff(
        async () => {
          const response = await attempt(call);
          if (RETRYABLE_STATUSES.has(response.status)) throw new RetryableStatus(response);
          return response;
        },
        {
          numOfAttempts: this.options.retries,
          delayFirstAttempt: true,
          startingDelay: this.options.retryBaseDelayMs,
          timeMultiple: 2,
          maxDelay: this.options.retryBaseDelayMs * 8,
          jitter: 'full',
          retry: (error) => {
            const again =
              !call.signal.aborted &&
              (error instanceof RetryableStatus || error instanceof UpstreamUnreachableError);
            if (again && error instanceof RetryableStatus) drop(error.response as Answer);
            return again;
          },
        },
      );
    } catch (error) {
      // Out of attempts on a 5xx: the last answer is the result.
      if (error instanceof RetryableStatus) return error.response as Answer;
      throw error;
    }
  }

  /** One attempt, read whole. Connect, headers and body idle times are bounded by the agent; the
   * whole body by a deadline checked as chunks arrive (cheaper than a timer per request). */
  private async once(call: BudgetedRequest): Promise<UpstreamResponse> {
    const deadline = Date.now() + this.options.timeoutMs;
    const response = await this.request(call);
    let body: Buffer;
    try {
      body = await readBounded(response.body, this.options.maxResponseBytes, deadline);
    } catch (error) {
      if (call.signal.aborted) throw new UpstreamUnreachableError('time budget spent');
      if (response.decoded && !(error instanceof UpstreamTooLargeError)) {
        throw new UpstreamUnreadableError('a compressed body that does not decode');
      }
      throw error;
    }
    return { status: response.statusCode, headers: response.headers, body };
  }

  /**
   * One attempt, through undici's dispatcher: the answer held whole by `AnswerHandler` when it
   * fits in `holdUpTo` bytes, else left to flow, bounded in time by the call's signal, and in size
   * by the declared length (undici reads no further than it) or, when there is none or the body
   * was decoded, by counting here.
   */
  private async openOnce(call: BudgetedRequest, holdUpTo: number): Promise<UpstreamOpened> {
    let received: ReceivedAnswer;
    try {
      received = await new Promise<ReceivedAnswer>((resolve, reject) => {
        const handler = new AnswerHandler(
          call.signal,
          holdUpTo,
          (headers) => flowsFromStart(headers, holdUpTo),
          resolve,
          reject,
        );
        this.agent.dispatch(dispatchOptions(call), handler);
      });
    } catch (error) {
      throw unreachable(call, error);
    }
    if ('held' in received) {
      return { status: received.statusCode, headers: received.headers, body: received.held };
    }
    const answer = this.decoded(received.statusCode, received.headers, received.stream);
    if (!answer.decoded && declaredLength(answer.headers) !== undefined) {
      return { status: answer.statusCode, headers: answer.headers, body: answer.body };
    }
    let size = 0;
    const maxBytes = this.options.maxResponseBytes;
    const limited = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) done(new UpstreamTooLargeError());
        else done(null, chunk);
      },
    });
    return {
      status: answer.statusCode,
      headers: answer.headers,
      body: passOn(answer.body, limited),
    };
  }

  /** Sends the request, for an answer to read as it arrives (`decoded`). */
  private async request(call: BudgetedRequest): Promise<RawAnswer> {
    let response: Dispatcher.ResponseData;
    try {
      response = await this.agent.request({ ...dispatchOptions(call), signal: call.signal });
    } catch (error) {
      throw unreachable(call, error);
    }
    return this.decoded(response.statusCode, response.headers, response.body);
  }

  /**
   * Refuses an answer that declares more than the size bound, and decodes a compressed body, so
   * the size bound counts what the broker holds (a small gzip can hold a lot).
   */
  private decoded(statusCode: number, headers: RawAnswer['headers'], body: Readable): RawAnswer {
    const declared = declaredLength(headers);
    if (declared !== undefined && declared > this.options.maxResponseBytes) {
      discard(body);
      throw new UpstreamTooLargeError();
    }
    const encoding = encodingOf(headers);
    if (!encoding) return { statusCode, headers, body, decoded: false };
    const decoder = DECODERS[encoding];
    if (!decoder) {
      discard(body);
      throw new UpstreamUnreadableError(`content encoding "${encoding.slice(0, 32)}"`);
    }
    // The body is plain now: its old encoding and length no longer describe it.
    const { 'content-encoding': _encoding, 'content-length': _length, ...plain } = headers;
    return {
      statusCode,
      headers: plain,
      body: pipeline(body, decoder(), () => {}),
      decoded: true,
    };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** The call as undici sends it: what its `request(url)` does once it has parsed the URL. */
function dispatchOptions(call: BudgetedRequest): Dispatcher.DispatchOptions {
  const { url } = call;
  return {
    origin: url.origin,
    path: url instanceof URL ? url.pathname + url.search : url.path,
    method: call.method as Dispatcher.HttpMethod,
    headers: call.headers,
    body: call.body,
  };
}

/** Why a call got no answer: its time budget spent, or the network (by code, never a URL). */
function unreachable(call: BudgetedRequest, error: unknown): UpstreamUnreachableError {
  if (call.signal.aborted) return new UpstreamUnreachableError('time budget spent');
  return new UpstreamUnreachableError(describeNetworkError(error));
}

/**
 * Reads a streamed body whole (it is already bounded in size and time), as the chunks it arrived
 * in: joining them would copy the answer into a buffer of its own, which the broker does not need
 * to send it. With events rather than an async iterator: this runs on most proxied calls.
 */
export function readWhole(body: Readable): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on('data', (chunk: Buffer) => chunks.push(chunk));
    body.once('end', () => resolve(chunks));
    body.on('error', (error) => {
      reject(
        error instanceof UpstreamTooLargeError
          ? error
          : new UpstreamUnreachableError(describeNetworkError(error)),
      );
    });
  });
}

/**
 * `source` piped into `next`, which is returned: an error of `source` ends `next` with it, and
 * `next` ending early (its reader gone, or its own error) ends `source`. What `pipeline` does for
 * two streams, without the abort controller (and its DOMException) `pipeline` makes per call.
 */
export function passOn<T extends Duplex>(source: Readable, next: T): T {
  source.on('error', (error) => next.destroy(error));
  next.once('close', () => {
    if (!source.destroyed) source.destroy();
  });
  source.pipe(next);
  return next;
}

/**
 * Whether an answer is streamed from its headers on: nothing is to be held, it is compressed
 * (decoded as it flows), or it declares more than would be held. One of unknown length is held
 * until it grows past `holdUpTo`.
 */
function flowsFromStart(headers: UpstreamResponse['headers'], holdUpTo: number): boolean {
  if (holdUpTo === 0 || encodingOf(headers) !== undefined) return true;
  const declared = declaredLength(headers);
  return declared !== undefined && declared > holdUpTo;
}

/** The answer's content encoding, lower-cased; undefined for none (or `identity`). */
function encodingOf(headers: UpstreamResponse['headers']): string | undefined {
  const encoding = headerValue(headers, 'content-encoding')?.trim().toLowerCase();
  return encoding && encoding !== 'identity' ? encoding : undefined;
}

/** The answer's declared `content-length`, if it has a usable one. */
export function declaredLength(headers: UpstreamResponse['headers']): number | undefined {
  const value = headers['content-length'];
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const length = Number(value);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/** Ends a body nobody will read (destroying it emits an abort error: nobody needs it). */
function discard(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

/** Ends an opened answer nobody will read: a held one needs nothing, a stream is discarded. */
export function dropAnswer(answer: UpstreamOpened): void {
  if (answer.body instanceof Readable) discard(answer.body);
}

/** Reads a body whole, refusing more than `maxBytes` or past `deadline` (events, not an async
 * iterator, and no named closures: this runs on every proxied call). */
function readBounded(body: Readable, maxBytes: number, deadline: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    body.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      let error: Error | undefined;
      if (size > maxBytes) error = new UpstreamTooLargeError();
      else if (Date.now() > deadline) error = new UpstreamUnreachableError('body timeout');
      if (error) {
        failed = true;
        body.destroy();
        reject(error);
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    body.once('error', (error) => {
      if (failed) return;
      failed = true;
      body.destroy();
      reject(new UpstreamUnreachableError(describeNetworkError(error)));
    });
  });
}

/** A short reason for logs: an error code or class, never a URL with a query or a header. */
function describeNetworkError(error: unknown): string {
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return 'unknown';
}

export function headerValue(
  headers: UpstreamResponse['headers'],
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
