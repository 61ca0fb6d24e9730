import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

type Headers = Record<string, string | string[] | undefined>;

/** An answer `AnswerHandler` received: held whole (as the chunks it arrived in), or flowing. */
export type ReceivedAnswer =
  | { statusCode: number; headers: Headers; held: Buffer[] }
  | { statusCode: number; headers: Headers; stream: Readable };

/**
 * Receives one upstream answer for `UpstreamClient.open`, below undici's `request`: the answer's
 * chunks are held until it ends and handed over whole, unless it grows past `holdUpTo` bytes or
 * `flowsFromStart` says so from its headers (a compressed body, decoded as it flows). Then it
 * becomes a stream, starting with the chunks held so far, that pauses the connection while its
 * reader is behind, as undici's own body stream does. Most provider answers are small: held, they
 * need no stream, no listeners and no tick per chunk (bench/README.md, point 14).
 *
 * The signal aborts the call at any point. An error before the answer is handed over rejects it;
 * one after ends the stream with it.
 */
export class AnswerHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private statusCode = 0;
  private headers: Headers = {};
  private held: Buffer[] = [];
  private heldBytes = 0;
  private stream: Readable | undefined;
  /** Whether the answer was handed over (or refused). */
  private settled = false;
  /** Whether the whole answer arrived. */
  private ended = false;
  private readonly onAbort = () => this.controller?.abort(this.signal.reason as Error);

  constructor(
    private readonly signal: AbortSignal,
    private readonly holdUpTo: number,
    private readonly flowsFromStart: (headers: Headers) => boolean,
    private readonly resolve: (answer: ReceivedAnswer) => void,
    private readonly reject: (error: Error) => void,
  ) {
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.signal.aborted) controller.abort(this.signal.reason as Error);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Headers,
  ): void {
    // Informational answers (100 Continue) come before the real one.
    if (statusCode < 200) return;
    this.statusCode = statusCode;
    this.headers = headers;
    if (this.flowsFromStart(headers)) this.flow();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.stream) {
      if (!this.stream.push(chunk)) controller.pause();
      return;
    }
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes > this.holdUpTo) this.flow();
  }

  onResponseEnd(): void {
    this.ended = true;
    this.signal.removeEventListener('abort', this.onAbort);
    if (this.stream) {
      this.stream.push(null);
      return;
    }
    this.settled = true;
    this.resolve({ statusCode: this.statusCode, headers: this.headers, held: this.held });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.signal.removeEventListener('abort', this.onAbort);
    if (this.stream) {
      this.stream.destroy(error);
      return;
    }
    if (this.settled) return;
    this.settled = true;
    this.reject(error);
  }

  /** The answer flows from here on: a stream with what is held so far, handed over now. */
  private flow(): void {
    const controller = this.controller!;
    const stream = new Readable({
      read: () => controller.resume(),
      destroy: (error, done) => {
        // Its reader went away before the end: the connection stops reading the answer.
        if (!this.ended) controller.abort(error ?? new Error('the answer was dropped'));
        done(error);
      },
    });
    let room = true;
    for (const chunk of this.held) room = stream.push(chunk);
    if (!room) controller.pause();
    this.held = [];
    this.stream = stream;
    this.settled = true;
    this.resolve({ statusCode: this.statusCode, headers: this.headers, stream });
  }
}
