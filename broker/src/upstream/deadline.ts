import { BrokerError } from '../errors/broker-error.js';

/**
 * One deadline per request, from its arrival (docs/architecture.md#timeouts-budgets-and-limits):
 * every upstream call the request makes, retries included, and every shared fetch it waits for
 * ends by then. The signal (and its timer) is only made when something waits on it, so requests
 * answered from memory cost nothing.
 */
export class RequestDeadline {
  private made: AbortSignal | undefined;
  private readonly endsAt: number;

  constructor(budgetMs: number) {
    this.endsAt = performance.now() + budgetMs;
  }

  get signal(): AbortSignal {
    this.made ??= AbortSignal.timeout(Math.max(0, Math.ceil(this.endsAt - performance.now())));
    return this.made;
  }
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
