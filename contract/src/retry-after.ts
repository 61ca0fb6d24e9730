/**
 * RFC 9110 `Retry-After`: delay-seconds or an HTTP date, as whole seconds from `now`, clamped to
 * `[0, maxSeconds]` so that one server's "come back in an hour" cannot stop its caller for an
 * hour. Shared by every part that reads the header (the broker from providers, the desktop from
 * the broker). `undefined` when the value is absent or is neither form.
 */
export function parseRetryAfter(
  value: string | undefined,
  now: number,
  maxSeconds: number,
): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const clamp = (seconds: number) => Math.min(maxSeconds, Math.max(0, seconds));
  if (/^\d+$/.test(trimmed)) return clamp(Number(trimmed));
  // Every HTTP-date form starts with the day's name; without this, `Date.parse` reads "-5" as a year.
  // The asctime form names no zone but means GMT, which `Date.parse` would take as local time.
  const date = /^[A-Za-z]{3}/.test(trimmed)
    ? Date.parse(/GMT$/.test(trimmed) ? trimmed : `${trimmed} GMT`)
    : Number.NaN;
  return Number.isNaN(date) ? undefined : clamp(Math.ceil((date - now) / 1000));
}
