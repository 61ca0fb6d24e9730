/** The placeholder a view's query may use for "now" (e.g. Google's upcoming events). */
const NOW_PLACEHOLDER = '{{now}}';

/** A view's first-page query with `{{now}}` replaced by the current time in RFC 3339. */
export function resolveQuery(
  query: Readonly<Record<string, string>>,
  now: Date,
): Record<string, string> {
  const iso = now.toISOString();
  return Object.fromEntries(
    Object.entries(query).map(([name, value]) => [name, value.split(NOW_PLACEHOLDER).join(iso)]),
  );
}
