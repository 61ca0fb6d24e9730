import { deterministicRandom } from '../tenant/deterministic-random.js';
import type { SeededIdentity, SeededUser } from '../tenant/seed.js';
import { zonedDate, zonedDateTime } from './zoned-time.js';

/** Deterministic Google data for a seeded identity: userinfo, calendars and events (Calendar API v3). */
export interface GoogleAccountData {
  userinfo: Record<string, unknown>;
  calendars: GoogleCalendar[];
}

export interface GoogleCalendar {
  entry: Record<string, unknown> & { id: string; summary: string };
  events: GoogleEvent[];
}

/**
 * When an event starts or ends: a time with the zone it was planned in, or, for an all-day event,
 * a date alone (its end the day after the last day, exclusive).
 */
export type EventTime = { dateTime: string; timeZone: string } | { date: string };

export interface GoogleEvent extends Record<string, unknown> {
  id: string;
  start: EventTime;
  end: EventTime;
}

/** Every seeded calendar's zone, and so the zone its events are written in. */
export const CALENDAR_TIME_ZONE = 'Europe/Zurich';

/** The instant an event time stands for: an all-day date from midnight in the calendar's zone. */
export function eventInstant(time: EventTime): number {
  if ('dateTime' in time) return Date.parse(time.dateTime);
  const midnightUtc = Date.parse(`${time.date}T00:00:00Z`);
  const offset = zonedDateTime(midnightUtc, CALENDAR_TIME_ZONE).slice(19);
  return offset === 'Z' ? midnightUtc : Date.parse(`${time.date}T00:00:00${offset}`);
}

const TITLES = [
  'Team stand-up',
  'Design review',
  'Lunch with Sam',
  '1:1 with manager',
  'Dentist',
  'Sprint planning',
  'Coffee chat',
  'Yoga class',
  'Customer call',
  'Release retro',
  'Reading group',
  'Board games night',
];
const LOCATIONS = ['Room Aare', 'Video call', 'Café Central', 'Room Limmat', null];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * `now` anchors the events: they start from the beginning of the current UTC day, so the same day
 * gives the same events, and "upcoming" stays true.
 */
export function googleAccountFor(
  user: SeededUser,
  identity: SeededIdentity,
  now: number,
): GoogleAccountData {
  const random = deterministicRandom(`google:${identity.login}`);
  const dayStart = now - (now % DAY_MS);
  const email = identity.login;

  const makeEvents = (calendarId: string, count: number, everyHours: number): GoogleEvent[] => {
    const events: GoogleEvent[] = [];
    let start = dayStart + DAY_MS + 8 * HOUR_MS; // from tomorrow 08:00 UTC: always in the future
    for (let index = 0; index < count; index += 1) {
      start += random.int(1, everyHours) * HOUR_MS;
      const end = start + random.pick([30, 45, 60, 90]) * 60_000;
      const location = random.pick(LOCATIONS);
      const id = `${calendarId
        .replace(/[^a-z0-9]/gi, '')
        .slice(0, 12)
        .toLowerCase()}evt${String(index).padStart(3, '0')}`;
      events.push({
        kind: 'calendar#event',
        etag: `"${3_400_000_000_000 + index}"`,
        id,
        status: 'confirmed',
        htmlLink: `https://www.google.com/calendar/event?eid=${id}`,
        created: iso(dayStart - 30 * DAY_MS),
        updated: iso(dayStart - 2 * DAY_MS),
        summary: random.pick(TITLES),
        ...(location ? { location } : {}),
        creator: { email, self: true },
        organizer: { email: calendarId, self: calendarId === email },
        start: { dateTime: zonedDateTime(start, CALENDAR_TIME_ZONE), timeZone: CALENDAR_TIME_ZONE },
        end: { dateTime: zonedDateTime(end, CALENDAR_TIME_ZONE), timeZone: CALENDAR_TIME_ZONE },
        iCalUID: `${id}@google.com`,
        sequence: 0,
        reminders: { useDefault: true },
        eventType: 'default',
      });
    }
    return events;
  };

  /**
   * All-day events (a `date`, no `dateTime`): `days` ahead of today, each lasting `length` days.
   * Fixed, not drawn, so the timed events above keep their seeded values.
   */
  const makeAllDayEvents = (
    calendarId: string,
    entries: readonly { summary: string; daysAhead: number; length: number }[],
  ): GoogleEvent[] =>
    entries.map(({ summary, daysAhead, length }, index) => {
      const id = `${calendarId
        .replace(/[^a-z0-9]/gi, '')
        .slice(0, 12)
        .toLowerCase()}day${String(index).padStart(3, '0')}`;
      const first = dayStart + daysAhead * DAY_MS + 12 * HOUR_MS;
      return {
        kind: 'calendar#event',
        etag: `"${3_500_000_000_000 + index}"`,
        id,
        status: 'confirmed',
        htmlLink: `https://www.google.com/calendar/event?eid=${id}`,
        created: iso(dayStart - 30 * DAY_MS),
        updated: iso(dayStart - 2 * DAY_MS),
        summary,
        creator: { email, self: true },
        organizer: { email: calendarId, self: calendarId === email },
        start: { date: zonedDate(first, CALENDAR_TIME_ZONE) },
        end: { date: zonedDate(first + length * DAY_MS, CALENDAR_TIME_ZONE) },
        transparency: 'transparent',
        iCalUID: `${id}@google.com`,
        sequence: 0,
        reminders: { useDefault: false },
        eventType: 'default',
      };
    });

  /** A calendar's events in the order Google's `orderBy=startTime` gives them. */
  const byStart = (events: GoogleEvent[]): GoogleEvent[] =>
    events.sort((a, b) => eventInstant(a.start) - eventInstant(b.start));

  const calendar = (
    id: string,
    summary: string,
    color: string,
    accessRole: string,
    events: GoogleEvent[],
    primary = false,
  ): GoogleCalendar => ({
    entry: {
      kind: 'calendar#calendarListEntry',
      etag: `"${1_700_000_000_000 + summary.length}"`,
      id,
      summary,
      timeZone: CALENDAR_TIME_ZONE,
      colorId: '14',
      backgroundColor: color,
      foregroundColor: '#000000',
      selected: true,
      accessRole,
      defaultReminders: primary ? [{ method: 'popup', minutes: 10 }] : [],
      ...(primary ? { primary: true } : {}),
      conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
    },
    events,
  });

  const isMain = identity.login.startsWith('alice');
  const calendars = [
    calendar(email, email, '#9fe1e7', 'owner', makeEvents(email, isMain ? 35 : 12, 14), true),
    calendar(
      `family.${identity.userId}@group.calendar.google.com`,
      'Family',
      '#f691b2',
      'owner',
      byStart([
        ...makeEvents('family', 8, 40),
        ...makeAllDayEvents('family', [
          { summary: 'Grandma visits', daysAhead: 6, length: 3 },
          { summary: 'Day off', daysAhead: 12, length: 1 },
        ]),
      ]),
    ),
    calendar(
      `work.${identity.userId}@group.calendar.google.com`,
      'Work projects',
      '#7bd148',
      'writer',
      makeEvents('work', 10, 30),
    ),
    calendar(
      'en.swiss#holiday@group.v.calendar.google.com',
      'Holidays in Switzerland',
      '#16a765',
      'reader',
      byStart([
        ...makeEvents('holidays', 4, 200),
        ...makeAllDayEvents('holidays', [
          { summary: 'Public holiday', daysAhead: 9, length: 1 },
          { summary: 'Bank holiday', daysAhead: 30, length: 1 },
        ]),
      ]),
    ),
  ];
  if (isMain) {
    calendars.push(
      calendar(
        `climbing.${identity.userId}@group.calendar.google.com`,
        'Climbing club',
        '#ffad46',
        'reader',
        makeEvents('climbing', 6, 60),
      ),
    );
  }

  return {
    userinfo: {
      sub: identity.userId,
      name: user.name,
      given_name: user.givenName,
      family_name: user.familyName,
      picture: `https://lh3.googleusercontent.com/a/${identity.userId}=s96-c`,
      email,
      email_verified: true,
      locale: 'en',
    },
    calendars,
  };
}
