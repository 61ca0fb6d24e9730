/**
 * An instant written as RFC 3339 in a time zone's local time with its offset at that instant
 * (`2026-12-01T09:00:00+01:00` in Europe/Zurich), as Google Calendar writes event times in the
 * calendar's zone.
 */
export function zonedDateTime(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(new Date(ms))
      .map((part) => [part.type, part.value]),
  );
  // `longOffset` names the offset "GMT+01:00" (or "GMT" alone); Google writes +00:00 as "Z".
  const named = (parts.timeZoneName ?? 'GMT').replace(/^GMT/, '');
  const offset = named === '' || named === '+00:00' ? 'Z' : named;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/** The calendar date (`YYYY-MM-DD`) of an instant in a time zone. */
export function zonedDate(ms: number, timeZone: string): string {
  return zonedDateTime(ms, timeZone).slice(0, 10);
}

/** Whether the runtime knows the IANA time zone name. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
