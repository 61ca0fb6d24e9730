import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenNeedle } from '../src/proxy/token-search.js';

const TOKEN = 'gho_16C7e42F292c6912E7710c838347Ae178B4a';

/** A GitHub-like answer: the token's prefix and pieces of it all over, the token itself nowhere. */
function lookalikeAnswer(token: string): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < 200; i += 1) {
    parts.push(
      `{"login":"github-${i}","gho":"${token.slice(0, randomInt(1, token.length))}",` +
        `"tail":"${token.slice(randomInt(1, token.length))}"}`,
    );
  }
  return Buffer.from(`[${parts.join(',')}]`);
}

describe('TokenNeedle', () => {
  it('finds the token at the start, the end and in between, and nowhere else', () => {
    const needle = new TokenNeedle(TOKEN);
    const around = lookalikeAnswer(TOKEN);
    expect(needle.in(around)).toBe(false);
    expect(needle.in(Buffer.from(TOKEN))).toBe(true);
    expect(needle.in(Buffer.concat([Buffer.from(TOKEN), around]))).toBe(true);
    expect(needle.in(Buffer.concat([around, Buffer.from(TOKEN)]))).toBe(true);
    const at = randomInt(0, around.length);
    const inside = Buffer.concat([around.subarray(0, at), Buffer.from(TOKEN), around.subarray(at)]);
    expect(needle.in(inside)).toBe(true);
    // Its last 16 bytes alone, or everything but its first byte, are not the token.
    expect(needle.in(Buffer.from(`xx${TOKEN.slice(-16)}xx`))).toBe(false);
    expect(needle.in(Buffer.from(`"${TOKEN.slice(1)}"`))).toBe(false);
    expect(needle.in(Buffer.from(TOKEN.slice(0, -1)))).toBe(false);
    expect(needle.in(Buffer.alloc(0))).toBe(false);
  });

  it('starts its anchor at an upper-case letter of the random part, not T or Z, when it can', () => {
    expect(new TokenNeedle('gho_abcdefghijklmnopQrstuvwxyz0123456789').anchorOffset).toBe(20);
    expect(new TokenNeedle('gho_abcdefghijklmnopqrstuvwxyz0123456789').anchorOffset).toBe(24);
    expect(new TokenNeedle('gho_Zabcdefghijklmnopqrstuvwxyz012345678').anchorOffset).toBe(24);
    expect(new TokenNeedle('gho_Xabcdefghijklmnopqrstuvwxyz012345678').anchorOffset).toBe(4);
    expect(new TokenNeedle('ABC').anchorOffset).toBe(0);
  });

  it('agrees with Buffer.includes on random answers and tokens of every length', () => {
    for (let round = 0; round < 4000; round += 1) {
      // A small alphabet, so partial matches and repeated anchors are frequent; with upper-case
      // letters in half the rounds, so anchors start inside the token too.
      const alphabet = round % 2 === 0 ? 'ab_' : 'aBQ';
      const text = (length: number) =>
        Array.from({ length }, () => alphabet[randomInt(0, alphabet.length)]).join('');
      const token = text(randomInt(1, 40));
      const haystack = Buffer.from(text(randomInt(0, 300)));
      expect(new TokenNeedle(token).in(haystack), `${token} in ${haystack.toString()}`).toBe(
        haystack.includes(token),
      );
    }
  });

  it('finds the token in chunks however they cut it, as in the chunks joined', () => {
    for (let round = 0; round < 4000; round += 1) {
      const alphabet = round % 2 === 0 ? 'ab_' : 'aBQ';
      const text = (length: number) =>
        Array.from({ length }, () => alphabet[randomInt(0, alphabet.length)]).join('');
      const token = text(randomInt(1, 40));
      const whole = Buffer.from(text(randomInt(0, 200)));
      // Cut anywhere, empty and one-byte chunks included.
      const cuts = Array.from({ length: randomInt(0, 12) }, () => randomInt(0, whole.length + 1));
      cuts.sort((a, b) => a - b);
      const chunks = [...cuts, whole.length].map((to, index, all) =>
        whole.subarray(index === 0 ? 0 : all[index - 1], to),
      );
      expect(new TokenNeedle(token).inChunks(chunks), `${token} in ${whole.toString()}`).toBe(
        whole.includes(token),
      );
    }
    const needle = new TokenNeedle(TOKEN);
    const cutAt = (at: number) => [
      Buffer.from(`[${TOKEN}`.slice(0, at)),
      Buffer.from(`[${TOKEN}]`.slice(at)),
    ];
    for (let at = 0; at <= TOKEN.length + 2; at += 1) expect(needle.inChunks(cutAt(at))).toBe(true);
    expect(needle.inChunks([])).toBe(false);
  });

  it('compares bytes, for a token that is not ASCII', () => {
    const token = `ya29.${randomBytes(12).toString('base64')}é€`;
    const needle = new TokenNeedle(token);
    expect(needle.length).toBe(Buffer.byteLength(token));
    expect(needle.in(Buffer.from(`{"t":"${token}"}`))).toBe(true);
    expect(needle.in(Buffer.from(`{"t":"${token.slice(0, -1)}"}`))).toBe(false);
  });
});
