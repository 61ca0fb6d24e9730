import { createHash, randomBytes } from 'node:crypto';
import type { IdpTokenStore } from '../tenant/idp-token-store.js';
import { sendJson, type HeaderValues } from '../http/http-io.js';
import { providerAccountFor, findSeededUser } from '../tenant/seed.js';
import { repoContents } from './github-contents.js';
import { githubAccountFor, type GithubAccountData, type GithubRepo } from './github-data.js';
import { intParam, type IdpHandler, type IdpRequest } from './idp-handler.js';

const DOCS = 'https://docs.github.com/rest';
const RATE_LIMIT = 5000;

/**
 * GitHub's REST API subset: `/user`, `/user/repos`, `/user/orgs`, `/user/starred`,
 * `/repos/{owner}/{repo}`, its `contents/{path}`, `/users/{username}` (the signed-in user's own
 * login) and `/rate_limit` (which, as on GitHub, does not count against the limit).
 */
export function createGithubApi(options: { tokens: IdpTokenStore; apiBase: string }): IdpHandler {
  const accounts = new Map<string, GithubAccountData>();
  const used = new Map<string, { count: number; resetAt: number }>();

  const accountOf = (userId: string): GithubAccountData | undefined => {
    const cached = accounts.get(userId);
    if (cached) return cached;
    const user = findSeededUser(userId);
    const identity = user && providerAccountFor(user, 'github');
    if (!user || !identity) return undefined;
    const account = githubAccountFor(user, identity, options.apiBase);
    accounts.set(userId, account);
    return account;
  };

  const usageOf = (key: string) => {
    const now = Math.floor(Date.now() / 1000);
    let entry = used.get(key);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + 3600 };
      used.set(key, entry);
    }
    return entry;
  };

  const rateLimitHeaders = (userId: string | undefined, counted = true): HeaderValues => {
    const entry = usageOf(userId ?? 'anonymous');
    if (counted) entry.count += 1;
    const limit = userId ? RATE_LIMIT : 60;
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - entry.count)),
      'x-ratelimit-reset': String(entry.resetAt),
      'x-ratelimit-used': String(entry.count),
      'x-ratelimit-resource': 'core',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': requestId(),
    };
  };

  return async ({ req, res, path, url }: IdpRequest) => {
    const match = /^(?:Bearer|token)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const token = match?.[1] && options.tokens.resolve('github', match[1]);
    if (!token) {
      // GitHub answers an unknown, expired or revoked token the same way.
      sendJson(
        res,
        401,
        { message: 'Bad credentials', documentation_url: DOCS, status: '401' },
        rateLimitHeaders(undefined),
      );
      return;
    }
    const headers = rateLimitHeaders(token.userId, path !== '/rate_limit');
    const account = accountOf(token.userId);
    if (!account || req.method !== 'GET') {
      notFound(res, headers);
      return;
    }

    if (path === '/user') {
      sendCacheable(req, res, account.user, headers);
      return;
    }
    if (path === '/user/repos') {
      sendPage(res, url, sortRepos(account.repos, url.searchParams), headers);
      return;
    }
    if (path === '/user/orgs') {
      sendPage(res, url, account.orgs, headers);
      return;
    }
    if (path === '/user/starred') {
      sendPage(res, url, account.starred, headers);
      return;
    }
    if (path === '/rate_limit') {
      const core = usageOf(token.userId);
      const figures = {
        limit: RATE_LIMIT,
        used: core.count,
        remaining: Math.max(0, RATE_LIMIT - core.count),
        reset: core.resetAt,
      };
      sendJson(res, 200, { resources: { core: figures }, rate: figures }, headers);
      return;
    }
    const userMatch = /^\/users\/([^/]+)$/.exec(path);
    if (userMatch) {
      const login = decodeURIComponent(userMatch[1] ?? '').toLowerCase();
      if (login === String(account.user.login).toLowerCase()) {
        sendJson(res, 200, account.user, headers);
        return;
      }
    }
    const repoMatch = /^\/repos\/([^/]+)\/([^/]+)(?:\/contents(?:\/(.+))?)?$/.exec(path);
    const contents = repoMatch !== null && /^\/repos\/[^/]+\/[^/]+\/contents/.test(path);
    if (repoMatch) {
      const fullName =
        `${decodeURIComponent(repoMatch[1] ?? '')}/${decodeURIComponent(repoMatch[2] ?? '')}`.toLowerCase();
      const repo = [...account.repos, ...account.starred].find(
        (candidate) => candidate.full_name.toLowerCase() === fullName,
      );
      if (repo && !contents) {
        sendCacheable(req, res, repo, headers);
        return;
      }
      if (repo) {
        const filePath = (repoMatch[3] ?? '').split('/').map(decodeURIComponent).join('/');
        const answer = repoContents(options.apiBase, repo, filePath);
        if (answer.kind === 'dir') {
          sendJson(res, 200, answer.entries, headers);
          return;
        }
        if (answer.kind === 'file') {
          sendFile(res, req.headers.accept, answer.entry, answer.text, headers);
          return;
        }
      }
    }
    notFound(res, headers);
  };
}

/**
 * The id GitHub gives every answer (`x-github-request-id`, five upper-case hex groups such as
 * `CB3A:2F1E:4A3B2C:5D6E7F:6650A1B2`), which its support asks for.
 */
function requestId(): string {
  const hex = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase();
  return [hex(2), hex(2), hex(4), hex(4), hex(4)].join(':');
}

/**
 * A file as GitHub's media types give it: the raw bytes for the `raw` formats, else the JSON
 * metadata with the content in base64 (the `object` formats are the same for a file).
 */
function sendFile(
  res: IdpRequest['res'],
  accept: string | undefined,
  entry: Record<string, unknown>,
  text: string,
  headers: HeaderValues,
): void {
  const mediaType = (accept ?? '').trim().toLowerCase();
  if (/^application\/vnd\.github(\.v3)?\.raw(\+json)?$/.test(mediaType)) {
    res.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...headers,
      'x-github-media-type': 'github.v3; param=raw',
    });
    res.end(text);
    return;
  }
  sendJson(res, 200, entry, headers);
}

/**
 * An object with GitHub's `ETag` (a hash of the body): a request whose `If-None-Match` names it
 * gets 304 with no body.
 */
function sendCacheable(
  req: IdpRequest['req'],
  res: IdpRequest['res'],
  body: unknown,
  headers: HeaderValues,
): void {
  const etag = `W/"${createHash('sha256').update(JSON.stringify(body)).digest('hex')}"`;
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag)) {
    res.writeHead(304, { ...headers, etag });
    res.end();
    return;
  }
  sendJson(res, 200, body, { ...headers, etag });
}

function notFound(res: IdpRequest['res'], headers: HeaderValues): void {
  sendJson(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' }, headers);
}

function sortRepos(repos: GithubRepo[], query: URLSearchParams): GithubRepo[] {
  const sort = query.get('sort') ?? 'full_name';
  const key = (['created', 'updated', 'pushed'] as const).find((candidate) => candidate === sort);
  const direction = query.get('direction') ?? (key ? 'desc' : 'asc');
  const sorted = [...repos].sort((a, b) =>
    key ? a[`${key}_at`].localeCompare(b[`${key}_at`]) : a.full_name.localeCompare(b.full_name),
  );
  return direction === 'desc' ? sorted.reverse() : sorted;
}

/** GitHub pagination: `per_page` (default 30, at most 100), `page`, and an RFC 8288 `Link` header. */
function sendPage(
  res: IdpRequest['res'],
  url: URL,
  items: readonly unknown[],
  headers: HeaderValues,
): void {
  const perPage = intParam(url.searchParams.get('per_page'), 30, 1, 100);
  const page = intParam(url.searchParams.get('page'), 1, 1, Number.MAX_SAFE_INTEGER);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const pageUrl = (number: number): string => {
    const target = new URL(url);
    target.searchParams.set('per_page', String(perPage));
    target.searchParams.set('page', String(number));
    return target.toString();
  };
  const links: string[] = [];
  if (page < lastPage)
    links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(lastPage)}>; rel="last"`);
  if (page > 1)
    links.push(
      `<${pageUrl(1)}>; rel="first"`,
      `<${pageUrl(Math.min(page - 1, lastPage))}>; rel="prev"`,
    );
  sendJson(res, 200, slice, links.length > 0 ? { ...headers, link: links.join(', ') } : headers);
}
