import type { LinkedIdentity } from '@linkboard/contract/broker-api';

/** Linked identities and provider data for the fake bridge: realistic, and made up. */
export const SEED_IDENTITIES: LinkedIdentity[] = [
  // The identity the user signs in with comes first, as in Auth0; it is not a linked account.
  {
    connection: 'Username-Password-Authentication',
    provider: 'auth0',
    userId: 'ada',
    isSocial: false,
    supported: false,
    status: 'token_unavailable',
    profile: { email: 'ada.lovelace@example.com' },
  },
  {
    connection: 'github',
    provider: 'github',
    userId: '583231',
    isSocial: true,
    supported: true,
    status: 'ready',
    profile: { login: 'ada-lovelace', name: 'Ada Lovelace' },
  },
  {
    connection: 'google-oauth2',
    provider: 'google-oauth2',
    userId: '109876543210',
    isSocial: true,
    supported: true,
    status: 'ready',
    profile: { email: 'ada.lovelace@example.com', name: 'Ada Lovelace' },
  },
];

const LANGUAGES = ['TypeScript', 'Rust', 'Go', 'Python', null, 'Kotlin'];
const TOPICS = [
  ['analytical-engine', 'Notes and programs for the Analytical Engine'],
  ['bernoulli-numbers', 'The first published algorithm, with tests'],
  ['linkboard-plugins', 'Community views for Linkboard'],
  ['difference-engine', 'A simulator of the Difference Engine No. 2'],
  ['poetical-science', null],
  ['loom-patterns', 'Jacquard loom cards as data'],
  ['notes-on-menabrea', 'Translation and notes, annotated'],
];

/** `count` repositories, most recently updated first, like GitHub's `/user/repos?sort=updated`. */
export function seedRepositories(count: number, now = Date.parse('2026-11-20T10:00:00Z')) {
  return Array.from({ length: count }, (_, index) => {
    const [name, description] = TOPICS[index % TOPICS.length] ?? ['repo', null];
    const suffix = index < TOPICS.length ? '' : `-${Math.floor(index / TOPICS.length) + 1}`;
    return {
      id: 9000 + index,
      name: `${name}${suffix}`,
      full_name: `ada-lovelace/${name}${suffix}`,
      description,
      language: LANGUAGES[index % LANGUAGES.length],
      stargazers_count: (count - index) * 17 + (index % 5),
      private: index % 4 === 3,
      html_url: `https://github.com/ada-lovelace/${name}${suffix}`,
      updated_at: new Date(now - index * 26 * 3600 * 1000).toISOString(),
    };
  });
}

export const SEED_GITHUB_USER = {
  id: 583231,
  login: 'ada-lovelace',
  avatar_url: 'https://avatars.githubusercontent.com/u/583231?v=4',
  name: 'Ada Lovelace',
  company: 'Analytical Engines Ltd',
  location: 'London',
  public_repos: 45,
  followers: 1843,
  html_url: 'https://github.com/ada-lovelace',
  created_at: '2011-12-10T09:00:00Z',
};

export const SEED_ORGS = [
  {
    id: 1,
    login: 'royal-society',
    description: 'Fellows and their papers',
    avatar_url: 'https://avatars.example/u/1',
  },
  { id: 2, login: 'engine-builders', description: null, avatar_url: 'https://avatars.example/u/2' },
];

export const SEED_GOOGLE_USER = {
  sub: '109876543210',
  name: 'Ada Lovelace',
  email: 'ada.lovelace@example.com',
  email_verified: true,
  locale: 'en-GB',
  picture: 'https://pictures.example/ada.png',
};

const iso = (time: number) => new Date(time).toISOString();

export function seedEvents(now = Date.parse('2026-11-20T10:00:00Z')) {
  const day = 24 * 3600 * 1000;
  const timed = (
    id: string,
    summary: string,
    startsIn: number,
    hours: number,
    location?: string,
  ) => ({
    id,
    summary,
    start: { dateTime: iso(now + startsIn * day) },
    end: { dateTime: iso(now + startsIn * day + hours * 3600 * 1000) },
    ...(location ? { location } : {}),
  });
  return [
    timed('e1', 'Engine design review', 1 / 12, 1, 'Room 4'),
    timed('e2', 'Lunch with Charles', 1.1, 1.5, 'The Athenaeum'),
    timed('e3', 'Royal Society lecture', 3.4, 2),
    {
      id: 'e4',
      summary: 'Holiday',
      start: { date: iso(now + 9 * day).slice(0, 10) },
      end: { date: iso(now + 16 * day).slice(0, 10) },
    },
  ];
}

export const SEED_CALENDARS = [
  {
    id: 'primary',
    summary: 'Ada Lovelace',
    timeZone: 'Europe/London',
    accessRole: 'owner',
    primary: true,
  },
  {
    id: 'team',
    summary: 'Engine team',
    description: 'Reviews and build days',
    timeZone: 'Europe/London',
    accessRole: 'reader',
  },
];
