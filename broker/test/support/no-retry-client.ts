import { UpstreamClient } from '../../src/upstream/upstream-client.js';

/**
 * The broker's upstream client as unit tests of its callers want it: no retries (each request a
 * test's server sees is one the code under test sent), short time limits.
 */
export function noRetryClient(): UpstreamClient {
  return new UpstreamClient({
    timeoutMs: 2000,
    budgetMs: 4000,
    maxResponseBytes: 65536,
    retries: 0,
    retryBaseDelayMs: 5,
  });
}
