import { describe, expect, it } from 'vitest';
import { PathPattern, View } from '../src/provider-catalogue.js';

describe('PathPattern', () => {
  it.each([
    '/user/repos',
    '/repos/:owner/:repo',
    '/v1.0/me/messages',
    '/calendar/v3/users/me/calendarList',
    '/repos/:owner/:repo/contents/:path+',
  ])('accepts %s', (pattern) => expect(PathPattern.safeParse(pattern).success).toBe(true));

  it.each([
    '',
    'user/repos',
    '/user/',
    '//user',
    '/a/../b',
    '/a/%2e%2e',
    '/a?b=c',
    '/a\\b',
    'https://x/y',
    '/a/:path+/b',
    '/a/:path++',
    '/a/b+',
  ])('refuses %j', (pattern) => expect(PathPattern.safeParse(pattern).success).toBe(false));
});

describe('View', () => {
  it('fills defaults for a minimal list view', () => {
    const view = View.parse({
      id: 'repos',
      title: 'Repositories',
      kind: 'list',
      path: '/user/repos',
      columns: [{ key: 'full_name', label: 'Name' }],
    });
    expect(view.query).toEqual({});
    expect(view.itemsPath).toBe('');
    expect(view.columns[0]?.format).toBe('text');
  });
});
