import type { ProviderSummary } from '@linkboard/contract/broker-api';

/**
 * A provider catalogue shaped like the broker's `GET /v1/providers`, for the fake bridge used by
 * the renderer's tests and screenshots. Every field is spelled out (no schema defaults applied).
 */
export const SEED_PROVIDERS: ProviderSummary[] = [
  {
    connection: 'github',
    displayName: 'GitHub',
    icon: 'github',
    views: [
      {
        id: 'repositories',
        title: 'Repositories',
        description: 'Repositories you own or collaborate on, most recently updated first.',
        kind: 'list',
        path: '/user/repos',
        query: { sort: 'updated', per_page: '20' },
        itemsPath: '',
        itemKey: 'id',
        columns: [
          { key: 'full_name', label: 'Repository', format: 'text', fallbackKeys: [] },
          { key: 'description', label: 'Description', format: 'text', fallbackKeys: [] },
          { key: 'language', label: 'Language', format: 'text', fallbackKeys: [] },
          { key: 'stargazers_count', label: 'Stars', format: 'number', fallbackKeys: [] },
          { key: 'private', label: 'Private', format: 'boolean', fallbackKeys: [] },
          { key: 'updated_at', label: 'Updated', format: 'datetime', fallbackKeys: [] },
        ],
        emptyText: 'You have no repositories yet.',
      },
      {
        id: 'profile',
        title: 'Profile',
        kind: 'object',
        path: '/user',
        query: {},
        itemsPath: '',
        itemKey: 'id',
        columns: [
          { key: 'login', label: 'Username', format: 'text', fallbackKeys: [] },
          { key: 'name', label: 'Name', format: 'text', fallbackKeys: [] },
          { key: 'company', label: 'Company', format: 'text', fallbackKeys: [] },
          { key: 'location', label: 'Location', format: 'text', fallbackKeys: [] },
          { key: 'public_repos', label: 'Public repositories', format: 'number', fallbackKeys: [] },
          { key: 'followers', label: 'Followers', format: 'number', fallbackKeys: [] },
          { key: 'html_url', label: 'Profile page', format: 'url', fallbackKeys: [] },
          { key: 'created_at', label: 'Member since', format: 'date', fallbackKeys: [] },
        ],
        emptyText: 'No profile.',
      },
      {
        id: 'organisations',
        title: 'Organisations',
        kind: 'list',
        path: '/user/orgs',
        query: {},
        itemsPath: '',
        itemKey: 'id',
        columns: [
          { key: 'login', label: 'Organisation', format: 'text', fallbackKeys: [] },
          { key: 'description', label: 'Description', format: 'text', fallbackKeys: [] },
        ],
        emptyText: "You aren't a member of any organisation.",
      },
    ],
  },
  {
    connection: 'google-oauth2',
    displayName: 'Google',
    icon: 'google',
    views: [
      {
        id: 'upcoming-events',
        title: 'Upcoming events',
        kind: 'list',
        path: '/calendar/v3/calendars/primary/events',
        query: { timeMin: '{{now}}', singleEvents: 'true', orderBy: 'startTime' },
        itemsPath: 'items',
        itemKey: 'id',
        columns: [
          { key: 'summary', label: 'Event', format: 'text', fallbackKeys: [] },
          {
            key: 'start.dateTime',
            label: 'Starts',
            format: 'datetime',
            fallbackKeys: ['start.date'],
          },
          { key: 'location', label: 'Where', format: 'text', fallbackKeys: [] },
        ],
        emptyText: 'Nothing coming up in your calendar.',
      },
      {
        id: 'calendars',
        title: 'Calendars',
        kind: 'list',
        path: '/calendar/v3/users/me/calendarList',
        query: {},
        itemsPath: 'items',
        itemKey: 'id',
        columns: [
          { key: 'summary', label: 'Calendar', format: 'text', fallbackKeys: [] },
          { key: 'accessRole', label: 'Access', format: 'text', fallbackKeys: [] },
          { key: 'primary', label: 'Primary', format: 'boolean', fallbackKeys: [] },
        ],
        emptyText: 'No calendars.',
      },
    ],
  },
];
