import type { View } from '@linkboard/contract/provider-catalogue';
import { readDotPath } from './dot-path';

/** One row of a list view, with the key that identifies it across pages. */
export interface ListItem {
  key: string;
  value: unknown;
}

/** The array of items in a `list` view's response, or `undefined` when the body has none. */
export function itemsOf(view: Pick<View, 'itemsPath'>, data: unknown): unknown[] | undefined {
  const items = readDotPath(data, view.itemsPath);
  return Array.isArray(items) ? items : undefined;
}

/** The item's `itemKey` value as text; items without one are keyed by their content. */
export function keyOf(view: Pick<View, 'itemKey'>, item: unknown): string {
  const key = readDotPath(item, view.itemKey);
  if (typeof key === 'string' || typeof key === 'number') return `${typeof key}:${key}`;
  return `json:${JSON.stringify(item)}`;
}

/**
 * Appends a page to the rows already shown, dropping any item already there (pages shift when
 * items are added upstream between two requests, so the same item can come twice).
 */
export function appendPage(
  view: Pick<View, 'itemKey'>,
  shown: readonly ListItem[],
  page: readonly unknown[],
): ListItem[] {
  const seen = new Set(shown.map((item) => item.key));
  const rows = [...shown];
  for (const value of page) {
    const key = keyOf(view, value);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ key, value });
  }
  return rows;
}
