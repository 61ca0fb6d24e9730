/** Bytes searched for first: 16 of the token's (all of a shorter one). */
const ANCHOR_BYTES = 16;

/**
 * Whether an anchor may start with this byte: an upper-case letter, except the `T` and `Z` of
 * ISO timestamps. JSON answers are mostly lower-case letters, digits and punctuation, and Node's
 * search stops at every occurrence of the needle's first byte: 13 µs to look through 36 KB of
 * GitHub JSON for 16 bytes starting with `e`, 0.3 µs for the same starting with `Q`.
 */
function isRareFirstByte(byte: number): boolean {
  return byte >= 0x41 && byte <= 0x5a && byte !== 0x54 && byte !== 0x5a;
}

/**
 * A provider token to look for in answers (docs/architecture.md#security-rules, rule 3), found
 * exactly where `Buffer.includes` would find it, only sooner. Node's search scans for the needle's
 * first byte, and a token's first bytes are its fixed, letter-only prefix (`gho_`, `ya29.`),
 * which JSON answers are full of (`github`, `login`). So 16 of its bytes are searched for,
 * starting at the last upper-case letter that leaves room for them (its random part), and each
 * place they occur is checked for the whole token.
 */
export class TokenNeedle {
  readonly bytes: Buffer;
  private readonly anchor: Buffer;
  /** Where the anchor starts within the token. */
  readonly anchorOffset: number;

  constructor(token: string) {
    this.bytes = Buffer.from(token);
    const last = Math.max(0, this.bytes.length - ANCHOR_BYTES);
    let offset = last;
    while (offset > 0 && !isRareFirstByte(this.bytes[offset]!)) offset -= 1;
    this.anchorOffset = isRareFirstByte(this.bytes[offset] ?? 0) ? offset : last;
    this.anchor = this.bytes.subarray(this.anchorOffset, this.anchorOffset + ANCHOR_BYTES);
  }

  /** The token's length in bytes. */
  get length(): number {
    return this.bytes.length;
  }

  /**
   * Whether the token appears anywhere in the bytes of `chunks` one after the other: in a chunk,
   * or across the joins between chunks (only the bytes around each join are copied to look).
   */
  inChunks(chunks: readonly Buffer[]): boolean {
    const reach = this.bytes.length - 1;
    for (let index = 0; index < chunks.length; index += 1) {
      if (this.in(chunks[index]!)) return true;
      if (index === 0 || reach === 0) continue;
      // Up to `reach` bytes before the join (from earlier chunks too, if they are short) and after.
      const before: Buffer[] = [];
      let held = 0;
      for (let back = index - 1; back >= 0 && held < reach; back -= 1) {
        const chunk = chunks[back]!;
        before.unshift(chunk.subarray(Math.max(0, chunk.length - (reach - held))));
        held += before[0]!.length;
      }
      const after: Buffer[] = [];
      let ahead = 0;
      for (let next = index; next < chunks.length && ahead < reach; next += 1) {
        const chunk = chunks[next]!;
        after.push(chunk.subarray(0, reach - ahead));
        ahead += after.at(-1)!.length;
      }
      if (this.in(Buffer.concat([...before, ...after]))) return true;
    }
    return false;
  }

  /** Whether the token appears anywhere in `haystack`. */
  in(haystack: Buffer): boolean {
    const { bytes, anchor, anchorOffset } = this;
    if (bytes.length === 0) return true;
    let at = haystack.indexOf(anchor, anchorOffset);
    while (at !== -1) {
      const start = at - anchorOffset;
      // The token would run past the end here, and at any later place.
      if (start + bytes.length > haystack.length) return false;
      if (haystack.compare(bytes, 0, bytes.length, start, start + bytes.length) === 0) return true;
      at = haystack.indexOf(anchor, at + 1);
    }
    return false;
  }
}
