import { describe, expect, it } from 'vitest';
import {
  formatLinkValue,
  linkTarget,
  MAX_LINK_HEADER_LENGTH,
  parseLinkHeader,
} from '../src/link-header.js';

/** `unit` repeated to fill `length` characters after `prefix`, then `suffix`. */
function filled(prefix: string, unit: string, suffix = '', length = MAX_LINK_HEADER_LENGTH) {
  const room = length - prefix.length - suffix.length;
  return prefix + unit.repeat(Math.floor(room / unit.length)) + suffix;
}

describe('Link header parsing', () => {
  it('reads targets, parameters and relation types as RFC 8288 writes them', () => {
    const header =
      '<https://api.github.com/user/repos?page=2>; rel="next", ' +
      '<https://api.github.com/user/repos?page=5>;rel=last;title="a \\"quoted\\" one, really"';
    expect(parseLinkHeader(header)).toEqual([
      {
        target: 'https://api.github.com/user/repos?page=2',
        params: [['rel', 'next']],
        rel: ['next'],
      },
      {
        target: 'https://api.github.com/user/repos?page=5',
        params: [
          ['rel', 'last'],
          ['title', 'a "quoted" one, really'],
        ],
        rel: ['last'],
      },
    ]);
  });

  it('reads several relation types, ignores a second rel, and skips malformed elements', () => {
    expect(parseLinkHeader('<a>; REL="Next  prev"; rel=last')?.[0]?.rel).toEqual(['next', 'prev']);
    expect(parseLinkHeader('junk, <b>; rel=next, <c> trailing, <d>; rel="open')).toEqual([
      { target: 'b', params: [['rel', 'next']], rel: ['next'] },
    ]);
    expect(linkTarget('<x>; rel=prev, <y>; rel=next', 'next')).toBe('y');
    expect(linkTarget(undefined, 'next')).toBeUndefined();
  });

  it('writes a link back with its parameters quoted, and reads the same thing again', () => {
    const written = formatLinkValue('/v1/idp/github/user/repos?page=2', [
      ['rel', 'next'],
      ['title', 'say "hi" \\ bye'],
    ]);
    expect(written).toBe(
      '</v1/idp/github/user/repos?page=2>; rel="next"; title="say \\"hi\\" \\\\ bye"',
    );
    expect(parseLinkHeader(written)?.[0]?.params).toEqual([
      ['rel', 'next'],
      ['title', 'say "hi" \\ bye'],
    ]);
  });

  it('reads at most 64 links, and drops a link with more than 32 parameters', () => {
    expect(parseLinkHeader('<a>; rel=next, '.repeat(70))).toHaveLength(64);
    expect(parseLinkHeader(`<a>${'; x'.repeat(32)}, <b>${'; x'.repeat(33)}, <c>`)).toEqual([
      { target: 'a', params: Array.from({ length: 32 }, () => ['x', '']), rel: [] },
      { target: 'c', params: [], rel: [] },
    ]);
  });

  it('does not read a header over the size cap', () => {
    expect(parseLinkHeader(filled('<a>; rel=next', ' ', '', MAX_LINK_HEADER_LENGTH + 1))).toBe(
      undefined,
    );
    expect(parseLinkHeader(filled('<a>; rel=next', ' '))).toHaveLength(1);
  });
});
