import { describe, expect, it } from 'vitest';
import type { ViewColumn } from '@linkboard/contract/provider-catalogue';
import { filterRows, keyColumnOf, sortRows } from '../src/views/table-rows';
import type { ListItem } from '../src/views/view-page';

const column = (key: string, format: ViewColumn['format'] = 'text'): ViewColumn => ({
  key,
  label: key,
  format,
  fallbackKeys: [],
});
const rows = (...values: object[]): ListItem[] =>
  values.map((value, index) => ({ key: String(index), value }));
const keys = (list: ListItem[]) => list.map((row) => row.key);

describe('sortRows', () => {
  it('orders text by the locale, numbers inside text by value, and case aside', () => {
    const list = rows(
      { n: 'item 10' },
      { n: 'Item 2' },
      { n: 'item 1' },
      { n: 'Äpfel' },
      { n: 'Zebra' },
    );
    expect(keys(sortRows(list, column('n'), 'ascending', 'de'))).toEqual(['3', '2', '1', '0', '4']);
    expect(keys(sortRows(list, column('n'), 'descending', 'de'))).toEqual([
      '4',
      '0',
      '1',
      '2',
      '3',
    ]);
  });

  it('orders number, date and boolean columns by value, not by their text', () => {
    const stars = rows({ s: 9 }, { s: 100 }, { s: '25' });
    expect(keys(sortRows(stars, column('s', 'number'), 'ascending', 'en'))).toEqual([
      '0',
      '2',
      '1',
    ]);
    const dates = rows(
      { d: '2026-11-20T10:00:00Z' },
      { d: '2025-01-02T00:00:00Z' },
      { d: '2026-02-01' },
    );
    expect(keys(sortRows(dates, column('d', 'datetime'), 'ascending', 'en'))).toEqual([
      '1',
      '2',
      '0',
    ]);
    const flags = rows({ p: true }, { p: false }, { p: true });
    expect(keys(sortRows(flags, column('p', 'boolean'), 'descending', 'en'))).toEqual([
      '0',
      '2',
      '1',
    ]);
  });

  it('is stable both ways, and puts empty cells last in either direction', () => {
    const list = rows({ s: 1, id: 'a' }, { id: 'b' }, { s: 1, id: 'c' }, { s: null }, { s: 0 });
    expect(keys(sortRows(list, column('s', 'number'), 'ascending', 'en'))).toEqual([
      '4',
      '0',
      '2',
      '1',
      '3',
    ]);
    expect(keys(sortRows(list, column('s', 'number'), 'descending', 'en'))).toEqual([
      '0',
      '2',
      '4',
      '1',
      '3',
    ]);
  });

  it('reads nested keys and does not change the rows it was given', () => {
    const list = rows({ owner: { login: 'zoe' } }, { owner: { login: 'adam' } });
    const copy = [...list];
    expect(keys(sortRows(list, column('owner.login'), 'ascending', 'en'))).toEqual(['1', '0']);
    expect(list).toEqual(copy);
  });
});

describe('filterRows', () => {
  const columns = [column('name'), column('lang')];
  const text = (item: unknown, c: ViewColumn) =>
    String((item as Record<string, unknown>)[c.key] ?? '');
  const list = rows(
    { name: 'analytical-engine', lang: 'Rust' },
    { name: 'difference-engine', lang: 'TypeScript' },
    { name: 'bernoulli', lang: 'Rust' },
  );

  it('keeps rows whose shown text has every word of the query, in any case', () => {
    expect(keys(filterRows(list, columns, 'ENGINE', text, 'en'))).toEqual(['0', '1']);
    expect(keys(filterRows(list, columns, 'engine rust', text, 'en'))).toEqual(['0']);
    expect(keys(filterRows(list, columns, 'cobol', text, 'en'))).toEqual([]);
  });

  it('keeps every row for an empty or blank query', () => {
    expect(keys(filterRows(list, columns, '  ', text, 'en'))).toEqual(['0', '1', '2']);
  });
});

describe('keyColumnOf', () => {
  it('is the first column after the name that is not free text', () => {
    expect(
      keyColumnOf([column('a'), column('b'), column('c', 'number'), column('d', 'date')])?.key,
    ).toBe('c');
    expect(keyColumnOf([column('a'), column('b'), column('u', 'url')])).toBeUndefined();
  });
});
