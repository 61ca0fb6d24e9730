/** Bytes searched for first: a token's last 16, or all of a shorter one. */
const ANCHOR_BYTES = 16;

/**
 * A provider token to look for in answers (docs/architecture.md#security-rules, rule 3), found
 * exactly where `Buffer.includes` would find it, only sooner. Node's search starts by scanning for
 * the needle's first byte, and a token's first bytes are its fixed, letter-only prefix (`gho_`,
 * `ya29.`), which JSON answers are full of (`github`, `login`); its last bytes are random. So the
 * last 16 bytes are searched for, and each place they occur is checked for the whole token.
 */
export class TokenNeedle {
  readonly bytes: Buffer;
  private readonly anchor: Buffer;
  /** Where the anchor starts within the token. */
  private readonly anchorOffset: number;

  constructor(token: string) {
    this.bytes = Buffer.from(token);
    this.anchorOffset = Math.max(0, this.bytes.length - ANCHOR_BYTES);
    this.anchor = this.bytes.subarray(this.anchorOffset);
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
      if (haystack.compare(bytes, 0, bytes.length, start, start + bytes.length) === 0) return true;
      at = haystack.indexOf(anchor, at + 1);
    }
    return false;
  }
}
