import { deterministicRandom } from '../tenant/deterministic-random.js';
import type { SeededIdentity, SeededUser } from '../tenant/seed.js';

/** Deterministic Google data for a seeded identity: userinfo, calendars and events (Calendar API v3). */
export interface GoogleAccountData {
  userinfo: Record<string, unknown>;
  calendars: GoogleCalendar[];
}

export interface GoogleCalendar {
  entry: Record<string, unknown> & { id: string; summary: string };
  events: GoogleEvent[];
}

export interface GoogleEvent extends Record<string, unknown> {
  id: string;
  start: { dateTime: string; timeZone: string };
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
        start: { dateTime: iso(start), timeZone: 'UTC' },
        end: { dateTime: iso(end), timeZone: 'UTC' },
        iCalUID: `${id}@google.com`,
        sequence: 0,
        reminders: { useDefault: true },
        eventType: 'default',
      });
    }
    return events;
  };

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
      timeZone: 'Europe/Zurich',
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
      makeEvents('family', 8, 40),
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
      makeEvents('holidays', 4, 200),
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
