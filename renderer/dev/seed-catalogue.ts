import type { ProviderSummary } from '@linkboard/contract/broker-api';
import type { View, ViewColumn } from '@linkboard/contract/provider-catalogue';

/**
 * A provider catalogue shaped like the broker's `GET /v1/providers` (it mirrors the views of
 * `broker/catalogue/providers.json`), for the fake bridge of the renderer's tests and screenshots.
 */
function col(
  key: string,
  label: string,
  format: ViewColumn['format'] = 'text',
  fallbackKeys: string[] = [],
): ViewColumn {
  return { key, label, format, fallbackKeys };
}

function view(
  spec: Pick<View, 'id' | 'title' | 'kind' | 'path' | 'columns'> & Partial<View>,
): View {
  return { query: {}, itemsPath: '', itemKey: 'id', emptyText: 'Nothing here yet.', ...spec };
}

export const SEED_PROVIDERS: ProviderSummary[] = [
  {
    connection: 'github',
    displayName: 'GitHub',
    icon: 'github',
    webOrigins: ['https://github.com'],
    imageOrigins: ['https://avatars.githubusercontent.com'],
    views: [
      view({
        id: 'profile',
        webLinkKey: 'html_url',
        title: 'Profile',
        kind: 'object',
        path: '/user',
        columns: [
          col('avatar_url', 'Avatar', 'image'),
          col('login', 'Login'),
          col('name', 'Name'),
          col('company', 'Company'),
          col('public_repos', 'Public repositories', 'number'),
          col('html_url', 'Page', 'url'),
          col('created_at', 'Joined', 'date'),
        ],
      }),
      view({
        id: 'repositories',
        webLinkKey: 'html_url',
        title: 'Repositories',
        kind: 'list',
        path: '/user/repos',
        query: { per_page: '20', sort: 'full_name' },
        columns: [
          col('full_name', 'Name'),
          col('description', 'Description'),
          col('language', 'Language'),
          col('stargazers_count', 'Stars', 'number'),
          col('private', 'Private', 'boolean'),
          col('updated_at', 'Updated', 'datetime'),
        ],
        emptyText: 'No repositories.',
      }),
      view({
        id: 'organisations',
        title: 'Organisations',
        kind: 'list',
        path: '/user/orgs',
        columns: [
          col('avatar_url', 'Avatar', 'image'),
          col('login', 'Login'),
          col('description', 'Description'),
        ],
        emptyText: 'No organisations.',
      }),
      view({
        id: 'starred',
        webLinkKey: 'html_url',
        title: 'Starred',
        kind: 'list',
        path: '/user/starred',
        query: { per_page: '20' },
        columns: [
          col('full_name', 'Name'),
          col('owner.login', 'Owner'),
          col('description', 'Description'),
          col('stargazers_count', 'Stars', 'number'),
        ],
        emptyText: 'Nothing starred.',
      }),
    ],
  },
  {
    connection: 'google-oauth2',
    displayName: 'Google',
    icon: 'google',
    webOrigins: ['https://www.google.com', 'https://calendar.google.com'],
    imageOrigins: ['https://lh3.googleusercontent.com'],
    views: [
      view({
        id: 'profile',
        title: 'Profile',
        kind: 'object',
        path: '/oauth2/v3/userinfo',
        itemKey: 'sub',
        columns: [
          col('picture', 'Picture', 'image'),
          col('name', 'Name'),
          col('email', 'Email'),
          col('email_verified', 'Email verified', 'boolean'),
          col('locale', 'Locale'),
        ],
      }),
      view({
        id: 'calendars',
        title: 'Calendars',
        kind: 'list',
        path: '/calendar/v3/users/me/calendarList',
        itemsPath: 'items',
        columns: [
          col('summary', 'Calendar'),
          col('description', 'Description'),
          col('timeZone', 'Time zone'),
          col('accessRole', 'Access'),
          col('primary', 'Primary', 'boolean'),
        ],
        emptyText: 'No calendars.',
      }),
      view({
        id: 'upcoming-events',
        webLinkKey: 'htmlLink',
        title: 'Upcoming events',
        kind: 'list',
        path: '/calendar/v3/calendars/primary/events',
        query: { timeMin: '{{now}}', singleEvents: 'true', orderBy: 'startTime', maxResults: '20' },
        itemsPath: 'items',
        columns: [
          col('summary', 'Event'),
          col('start.dateTime', 'Starts', 'datetime', ['start.date']),
          col('end.dateTime', 'Ends', 'datetime', ['end.date']),
          col('location', 'Location'),
        ],
        emptyText: 'No upcoming events.',
      }),
    ],
  },
  {
    connection: 'windowslive',
    displayName: 'Microsoft',
    icon: 'microsoft',
    webOrigins: ['https://outlook.live.com', 'https://outlook.office.com'],
    imageOrigins: [],
    views: [
      view({
        id: 'profile',
        title: 'Profile',
        kind: 'object',
        path: '/v1.0/me',
        columns: [
          col('displayName', 'Name'),
          col('mail', 'Email', 'text', ['userPrincipalName']),
          col('jobTitle', 'Job title'),
          col('officeLocation', 'Office'),
          col('preferredLanguage', 'Language'),
        ],
      }),
      view({
        id: 'messages',
        webLinkKey: 'webLink',
        title: 'Messages',
        kind: 'list',
        path: '/v1.0/me/messages',
        query: { $top: '20', $select: 'id,subject,from,receivedDateTime,isRead' },
        itemsPath: 'value',
        columns: [
          col('subject', 'Subject'),
          col('from.emailAddress.name', 'From'),
          col('receivedDateTime', 'Received', 'datetime'),
          col('isRead', 'Read', 'boolean'),
        ],
        emptyText: 'No messages.',
      }),
    ],
  },
];
