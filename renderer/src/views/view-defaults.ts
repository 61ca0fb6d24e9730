import type { View, ViewColumn } from '@linkboard/contract/provider-catalogue';

/**
 * A view with the catalogue schema's defaults filled in, whether or not the broker (or main's
 * parsing) already did: the catalogue file may leave `query`, `itemsPath`, `format` and the rest out.
 */
export function withViewDefaults(view: View): View {
  const loose = view as Partial<View> & Pick<View, 'id' | 'title' | 'kind' | 'path' | 'columns'>;
  return {
    ...loose,
    query: loose.query ?? {},
    itemsPath: loose.itemsPath ?? '',
    itemKey: loose.itemKey ?? 'id',
    emptyText: loose.emptyText ?? 'Nothing here yet.',
    columns: loose.columns.map((column) => {
      const partial = column as Partial<ViewColumn> & Pick<ViewColumn, 'key' | 'label'>;
      return {
        ...partial,
        format: partial.format ?? 'text',
        fallbackKeys: partial.fallbackKeys ?? [],
      };
    }),
  };
}

/**
 * The columns the app can draw. Image columns point at remote images, which the page's CSP
 * (`default-src 'self'`) does not load, so they are left out rather than shown broken.
 */
export function drawableColumns(view: View): ViewColumn[] {
  const drawable = view.columns.filter((column) => column.format !== 'image');
  return drawable.length > 0 ? drawable : view.columns;
}
