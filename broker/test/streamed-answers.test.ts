import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BrokerError } from '../src/errors/broker-error.js';
import { tokenGuard } from '../src/proxy/token-guard.js';
import { TokenNeedle } from '../src/proxy/token-search.js';
import { UserCallSlots } from '../src/proxy/user-call-slots.js';

const TOKEN = 'gho_0123456789abcdefghij';

/** What the guard lets through of `chunks`, and the error it ended with, if any. */
async function through(chunks: string[]): Promise<{ sent: string; error?: unknown }> {
  const guard = tokenGuard(new TokenNeedle(TOKEN), 'GitHub');
  Readable.from(chunks.map((chunk) => Buffer.from(chunk))).pipe(guard);
  let sent = '';
  try {
    for await (const chunk of guard) sent += (chunk as Buffer).toString();
  } catch (error) {
    return { sent, error };
  }
  return { sent };
}

describe('the streamed-answer token guard', () => {
  it('passes an answer without the token unchanged, however it is cut', async () => {
    const text = `[${'{"id":1,"name":"gho_012345"},'.repeat(200)}{}]`;
    for (const size of [1, 7, 23, 24, 25, 4096]) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
      expect((await through(chunks)).sent).toBe(text);
    }
  });

  it('fails the answer, never sending any part of the token, wherever the chunks cut it', async () => {
    const text = `{"padding":"${'x'.repeat(100)}","echo":"${TOKEN}","more":"${'y'.repeat(100)}"}`;
    for (let cut = 1; cut < text.length; cut += 1) {
      const { sent, error } = await through([text.slice(0, cut), text.slice(cut)]);
      expect(error).toBeInstanceOf(BrokerError);
      // Nothing from the token's first character on.
      expect(text.startsWith(sent)).toBe(true);
      expect(sent.length).toBeLessThanOrEqual(text.indexOf(TOKEN));
    }
  });
});

describe('per-user call slots', () => {
  it('takes a free slot at once, and none while all are taken', async () => {
    const slots = new UserCallSlots(2);
    const first = slots.take('alice')!;
    const second = slots.take('alice')!;
    expect(first).toBeTypeOf('function');
    expect(slots.take('alice')).toBeUndefined();
    expect(slots.take('bob')).toBeTypeOf('function');
    // A waiting call gets the slot a taken one frees, before any later `take`.
    const waiting = slots.acquire('alice', new AbortController().signal);
    first();
    expect(slots.take('alice')).toBeUndefined();
    (await waiting)();
    second();
    expect(slots.take('alice')).toBeTypeOf('function');
  });

  it('lets a user have `limit` calls at once, hands a freed slot to the next, and gives up at the deadline', async () => {
    const slots = new UserCallSlots(2);
    const never = new AbortController().signal;
    const first = await slots.acquire('alice', never);
    await slots.acquire('alice', never);
    // Another user is not held up by alice.
    const bobs = await slots.acquire('bob', never);
    let thirdIn = false;
    const third = slots.acquire('alice', never).then((release) => {
      thirdIn = true;
      return release;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(thirdIn).toBe(false);
    first();
    first(); // a second release of the same slot frees nothing more
    const thirdRelease = await third;
    // Both of alice's slots are taken again: a fourth call waits until its deadline, then gives up.
    await expect(slots.acquire('alice', AbortSignal.timeout(50))).rejects.toMatchObject({
      code: 'upstream_unavailable',
    });
    thirdRelease();
    await expect(slots.acquire('alice', AbortSignal.timeout(50))).resolves.toBeTypeOf('function');
    bobs();
  });

  it('keeps an idle user until a sweep, which drops idle users only', () => {
    const slots = new UserCallSlots(2, 4);
    const busy = slots.take('busy')!;
    for (let n = 0; n < 20; n += 1) {
      slots.take(`user-${n}`)!();
      // Idle entries stay until the map reaches the bound, then go in one sweep.
      expect(slots.knownUsers).toBeLessThanOrEqual(4);
    }
    // The busy user's slot survived every sweep: one more is free, then none.
    expect(slots.take('busy')).toBeTypeOf('function');
    expect(slots.take('busy')).toBeUndefined();
    busy();
    // An idle user kept between calls starts again from no call in flight.
    slots.take('user-19')!();
    expect(slots.take('user-19')).toBeTypeOf('function');
    expect(slots.take('user-19')).toBeTypeOf('function');
    expect(slots.take('user-19')).toBeUndefined();
  });
});
