import type { ViewColumn } from '@linkboard/contract/provider-catalogue';
import { readFirstPresent } from './dot-path';
import type { ListItem } from './view-page';

export type SortDirection = 'ascending' | 'descending';

export interface SortOrder {
  key: string;
  direction: SortDirection;
}

type SortKey =
  { kind: 'none' } | { kind: 'number'; value: number } | { kind: 'text'; value: string };

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** What a cell sorts by: numbers and times as numbers, everything else as its text. */
function sortKeyOf(item: unknown, column: ViewColumn): SortKey {
  const value = readFirstPresent(item, [column.key, ...column.fallbackKeys]);
  if (isEmpty(value)) return { kind: 'none' };
  switch (column.format) {
    case 'number': {
      const number = typeof value === 'number' ? value : Number(value);
      if (Number.isFinite(number)) return { kind: 'number', value: number };
      break;
    }
    case 'date':
    case 'datetime': {
      const time = typeof value === 'number' ? value : Date.parse(String(value));
      if (Number.isFinite(time)) return { kind: 'number', value: time };
      break;
    }
    case 'boolean':
      return { kind: 'number', value: value === true || value === 'true' ? 1 : 0 };
    default:
      break;
  }
  if (typeof value === 'number') return { kind: 'number', value };
  return { kind: 'text', value: typeof value === 'string' ? value : JSON.stringify(value) };
}

/**
 * The rows ordered by one column: locale-aware for text ("item 2" before "item 10", "Ärger" beside
 * "Anger"), numeric for numbers, dates and booleans. Empty cells go last in either direction, and
 * rows that compare equal keep the order the provider gave them (stable).
 */
export function sortRows(
  rows: readonly ListItem[],
  column: ViewColumn,
  direction: SortDirection,
  locale: string,
): ListItem[] {
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
  const sign = direction === 'ascending' ? 1 : -1;
  const keyed = rows.map((row, index) => ({ row, index, key: sortKeyOf(row.value, column) }));
  keyed.sort((a, b) => {
    if (a.key.kind === 'none' || b.key.kind === 'none') {
      if (a.key.kind === b.key.kind) return a.index - b.index;
      return a.key.kind === 'none' ? 1 : -1;
    }
    let order: number;
    if (a.key.kind === 'number' && b.key.kind === 'number') order = a.key.value - b.key.value;
    else order = collator.compare(String(a.key.value), String(b.key.value));
    return order !== 0 ? sign * order : a.index - b.index;
  });
  return keyed.map((entry) => entry.row);
}

/**
 * The rows whose shown text contains every word of the query, in any case. `cellText` is the text
 * a cell shows, so what the user filters is what they see.
 */
export function filterRows(
  rows: readonly ListItem[],
  columns: readonly ViewColumn[],
  query: string,
  cellText: (item: unknown, column: ViewColumn) => string,
  locale: string,
): ListItem[] {
  const words = query.toLocaleLowerCase(locale).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((row) => {
    const text = columns
      .map((column) => cellText(row.value, column))
      .join('\n')
      .toLocaleLowerCase(locale);
    return words.every((word) => text.includes(word));
  });
}

/**
 * The column that stays beside the name in a narrow window: the first that is not free text (a
 * count, a date, a flag), which says the most in the least room.
 */
export function keyColumnOf(columns: readonly ViewColumn[]): ViewColumn | undefined {
  return columns.slice(1).find((column) => column.format !== 'text' && column.format !== 'url');
}
