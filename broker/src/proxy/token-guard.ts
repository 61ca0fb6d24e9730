import { Transform } from 'node:stream';
import { BrokerError } from '../errors/broker-error.js';

/**
 * Passes a streamed answer on, failing it if the provider token appears anywhere in it
 * (docs/architecture.md#security-rules, rule 3). The last `token.length - 1` bytes are held back
 * until the next chunk (or the end) shows they do not start the token, so no part of it is ever
 * sent; a failure mid-answer ends the caller's connection, as nothing else can be said by then.
 */
export function tokenGuard(token: string, provider: string): Transform {
  const needle = Buffer.from(token);
  let held = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const seen = held.length > 0 ? Buffer.concat([held, chunk]) : chunk;
      if (seen.includes(needle)) {
        done(new BrokerError('upstream_error', `${provider} answered unexpectedly`));
        return;
      }
      const keep = Math.min(seen.length, needle.length - 1);
      held = Buffer.from(seen.subarray(seen.length - keep));
      done(null, seen.subarray(0, seen.length - keep));
    },
    flush(done) {
      done(null, held);
    },
  });
}
