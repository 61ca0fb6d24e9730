import { Transform } from 'node:stream';
import { BrokerError } from '../errors/broker-error.js';
import type { TokenNeedle } from './token-search.js';

/**
 * Passes a streamed answer on, failing it if the provider token appears anywhere in it
 * (docs/architecture.md#security-rules, rule 3). The last `token.length - 1` bytes are held back
 * until the next chunk (or the end) shows they do not start the token, so no part of it is ever
 * sent; a failure mid-answer ends the caller's connection, as nothing else can be said by then.
 *
 * A chunk is searched where it is, not copied: only the few bytes where the held tail meets it
 * are joined to look for a token cut between two chunks.
 */
export function tokenGuard(needle: TokenNeedle, provider: string): Transform {
  const tail = needle.length - 1;
  let held = Buffer.alloc(0);
  const refused = () => new BrokerError('upstream_error', `${provider} answered unexpectedly`);
  return new Transform({
    transform(this: Transform, chunk: Buffer, _encoding, done) {
      if (chunk.length < tail) {
        // Shorter than what is held back: joined whole (rare, and small).
        const seen = Buffer.concat([held, chunk]);
        if (needle.in(seen)) return done(refused());
        const keep = Math.min(seen.length, tail);
        held = seen.subarray(seen.length - keep);
        return done(null, seen.subarray(0, seen.length - keep));
      }
      // A token cut between the held tail and this chunk lies within the tail and the chunk's
      // first `tail` bytes.
      if (held.length > 0 && needle.in(Buffer.concat([held, chunk.subarray(0, tail)]))) {
        return done(refused());
      }
      if (needle.in(chunk)) return done(refused());
      if (held.length > 0) this.push(held);
      // Copied: the chunk's buffer is not kept alive for the sake of a few bytes.
      held = Buffer.from(chunk.subarray(chunk.length - tail));
      done(null, chunk.subarray(0, chunk.length - tail));
    },
    flush(done) {
      done(null, held);
    },
  });
}
