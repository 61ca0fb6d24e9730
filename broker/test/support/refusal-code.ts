import type { BrokerError } from '../../src/errors/broker-error.js';

/** The problem code `run` throws with, or `accepted` when it returns. */
export function refusalCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as BrokerError).code;
  }
  return 'accepted';
}
