import { describe, expect, it } from 'vitest';
import { readDotPath, readFirstPresent } from '../src/views/dot-path';
import { formatValue } from '../src/views/format-value';
import { resolveQuery } from '../src/views/resolve-query';
import { appendPage, itemsOf, keyOf } from '../src/views/view-page';

describe('readDotPath', () => {
  const item = { owner: { login: 'ada' }, start: { date: '2026-12-01' }, zero: 0 };

  it('reads nested keys and the value itself for an empty path', () => {
    expect(readDotPath(item, 'owner.login')).toBe('ada');
    expect(readDotPath(item, 'zero')).toBe(0);
    expect(readDotPath(item, '')).toBe(item);
  });

  it('gives undefined for missing steps and never reads inherited properties', () => {
    expect(readDotPath(item, 'owner.name')).toBeUndefined();
    expect(readDotPath(item, 'owner.login.length')).toBeUndefined();
    expect(readDotPath(item, '__proto__')).toBeUndefined();
    expect(readDotPath(item, 'constructor.name')).toBeUndefined();
    expect(readDotPath(null, 'a')).toBeUndefined();
  });

  it('falls back through keys until one has a value', () => {
    expect(readFirstPresent(item, ['start.dateTime', 'start.date'])).toBe('2026-12-01');
    expect(readFirstPresent(item, ['nothing', 'zero'])).toBe(0);
    expect(readFirstPresent(item, ['nothing'])).toBeUndefined();
  });
});

describe('formatValue', () => {
  const en = { locale: 'en-GB', timeZone: 'UTC' };

  it('formats numbers for the locale', () => {
    expect(formatValue(1843, 'number', en)).toEqual({ kind: 'text', text: '1,843' });
    expect(formatValue(1843, 'number', { locale: 'de-DE' })).toEqual({
      kind: 'text',
      text: '1.843',
    });
  });

  it('localises dates and date-times, and keeps a calendar date a calendar date', () => {
    const dateTime = formatValue('2026-11-20T15:30:00Z', 'datetime', en);
    expect(dateTime).toMatchObject({ kind: 'text', text: '20 Nov 2026, 15:30' });
    const date = formatValue('2011-12-10T09:00:00Z', 'date', en);
    expect(date).toMatchObject({ kind: 'text', text: '10 Dec 2011' });
    const allDay = formatValue('2026-12-01', 'datetime', { locale: 'en-GB' });
    expect(allDay).toMatchObject({ kind: 'text', text: '1 Dec 2026' });
  });

  it('shows unparseable dates as they are', () => {
    expect(formatValue('soon', 'date', en)).toEqual({ kind: 'text', text: 'soon' });
  });

  it('turns URLs into text with the full address kept aside, and never a javascript: link', () => {
    expect(formatValue('https://github.com/ada-lovelace', 'url')).toEqual({
      kind: 'url',
      text: 'github.com/ada-lovelace',
      href: 'https://github.com/ada-lovelace',
    });
    expect(formatValue('not a url', 'url')).toEqual({ kind: 'text', text: 'not a url' });
  });

  it('formats booleans, arrays and objects as text', () => {
    expect(formatValue(true, 'boolean')).toMatchObject({
      kind: 'boolean',
      value: true,
      text: 'Yes',
    });
    expect(formatValue(false, 'boolean')).toMatchObject({
      kind: 'boolean',
      value: false,
      text: 'No',
    });
    expect(formatValue(['a', 'b'], 'text')).toEqual({ kind: 'text', text: 'a, b' });
    expect(formatValue({ a: 1 }, 'text')).toEqual({ kind: 'text', text: '{"a":1}' });
  });

  it('marks missing values as empty', () => {
    for (const value of [undefined, null, '']) {
      expect(formatValue(value, 'text')).toEqual({ kind: 'empty' });
    }
  });
});

describe('resolveQuery', () => {
  it('replaces {{now}} with the current time in RFC 3339 and leaves the rest', () => {
    const now = new Date('2026-11-20T10:00:00.000Z');
    expect(resolveQuery({ timeMin: '{{now}}', orderBy: 'startTime' }, now)).toEqual({
      timeMin: '2026-11-20T10:00:00.000Z',
      orderBy: 'startTime',
    });
  });
});

describe('list pages', () => {
  const view = { itemsPath: 'items', itemKey: 'id' };

  it('finds the items where the view says, or reports there are none', () => {
    expect(itemsOf(view, { items: [1, 2] })).toEqual([1, 2]);
    expect(itemsOf({ itemsPath: '' }, [3])).toEqual([3]);
    expect(itemsOf(view, { items: 'nope' })).toBeUndefined();
    expect(itemsOf(view, {})).toBeUndefined();
  });

  it('keys items by itemKey, without confusing 1 and "1"', () => {
    expect(keyOf(view, { id: 1 })).not.toBe(keyOf(view, { id: '1' }));
    expect(keyOf(view, { name: 'x' })).toBe(keyOf(view, { name: 'x' }));
  });

  it('appends a page without drawing an item twice', () => {
    const first = appendPage(view, [], [{ id: 1 }, { id: 2 }, { id: 2 }]);
    expect(first.map((row) => row.value)).toEqual([{ id: 1 }, { id: 2 }]);
    const second = appendPage(view, first, [{ id: 2, name: 'moved' }, { id: 3 }]);
    expect(second.map((row) => (row.value as { id: number }).id)).toEqual([1, 2, 3]);
    expect(first).toHaveLength(2);
  });
});
