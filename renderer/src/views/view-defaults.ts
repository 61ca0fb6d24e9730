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
 * The columns drawn as cells. Image columns are not cells: an object view shows its first image
 * as the record's portrait (ProviderImage, served by main), and a list leaves them out.
 */
export function drawableColumns(view: View): ViewColumn[] {
  const drawable = view.columns.filter((column) => column.format !== 'image');
  return drawable.length > 0 ? drawable : view.columns;
}
