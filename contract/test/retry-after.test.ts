import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../src/retry-after.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('7', NOW, 60)).toBe(7);
    expect(parseRetryAfter(' 0 ', NOW, 60)).toBe(0);
  });

  it('reads an HTTP date as seconds from now, rounded up', () => {
    expect(parseRetryAfter('Mon, 30 Nov 2026 12:00:30 GMT', NOW, 60)).toBe(30);
    expect(parseRetryAfter('Mon, 30 Nov 2026 11:59:00 GMT', NOW, 60)).toBe(0);
    expect(parseRetryAfter('Monday, 30-Nov-26 12:00:05 GMT', NOW, 60)).toBe(5);
    expect(parseRetryAfter('Mon Nov 30 12:00:10 2026', NOW, 60)).toBe(10);
  });

  it('never asks to wait longer than the bound', () => {
    expect(parseRetryAfter('86400', NOW, 60)).toBe(60);
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:00:00 GMT', NOW, 60)).toBe(60);
  });

  it('ignores what is neither form', () => {
    expect(parseRetryAfter(undefined, NOW, 60)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW, 60)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW, 60)).toBeUndefined();
    expect(parseRetryAfter('', NOW, 60)).toBeUndefined();
  });
});
