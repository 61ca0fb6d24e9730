import { BrokerError } from '../errors/broker-error.js';

/** A time limit, and the signal that aborts when it passes. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** When it passes, on the `performance.now()` clock. */
  readonly endsAt: number;
}

/**
 * One deadline per request, from its arrival (docs/architecture.md#timeouts-budgets-and-limits):
 * every upstream call the request makes, retries included, and every shared fetch it waits for
 * ends by then. The signal is only made when something waits on it, so requests answered from
 * memory cost nothing; it is one AbortController and one timer, and `end` clears the timer once
 * the request is answered (`AbortSignal.timeout` would leave its timer, and the signal it holds,
 * alive for the whole budget after every request).
 */
export class RequestDeadline implements Deadline {
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  readonly endsAt: number;

  constructor(budgetMs: number) {
    this.endsAt = performance.now() + budgetMs;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      const wait = Math.max(0, Math.ceil(this.endsAt - performance.now()));
      this.timer = setTimeout(abortLate, wait, this.controller).unref();
    }
    return this.controller.signal;
  }

  /** The request is answered: nothing waits on the deadline any more. */
  end(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function abortLate(controller: AbortController): void {
  controller.abort(new DOMException('the request deadline has passed', 'TimeoutError'));
}

/**
 * `work`, or `upstream_unavailable` once `signal` aborts, whichever comes first. For waits on work
 * shared with other requests (a single-flight fetch), which must go on for them.
 */
export function untilDeadline<T>(work: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  const late = () =>
    new BrokerError('upstream_unavailable', `${what} did not answer within the time budget`);
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(late());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => {});
      reject(late());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
