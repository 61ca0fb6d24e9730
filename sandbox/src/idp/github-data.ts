import { deterministicRandom } from '../tenant/deterministic-random.js';
import type { SeededIdentity, SeededUser } from '../tenant/seed.js';

/** Deterministic GitHub data for a seeded identity, shaped like GitHub's REST API v3. */
export interface GithubAccountData {
  user: Record<string, unknown>;
  repos: GithubRepo[];
  orgs: Record<string, unknown>[];
  starred: GithubRepo[];
}

export interface GithubRepo extends Record<string, unknown> {
  name: string;
  full_name: string;
  created_at: string;
  updated_at: string;
  pushed_at: string;
}

const ADJECTIVES = [
  'quiet',
  'rapid',
  'amber',
  'lunar',
  'tidy',
  'brisk',
  'mellow',
  'sturdy',
  'vivid',
  'nimble',
  'cobalt',
  'gentle',
];
const NOUNS = [
  'otter',
  'ledger',
  'harbor',
  'compass',
  'lantern',
  'meadow',
  'pipeline',
  'sketch',
  'garden',
  'beacon',
  'kernel',
  'atlas',
  'parser',
  'relay',
  'vault',
];
const LANGUAGES = ['TypeScript', 'Go', 'Rust', 'Python', 'JavaScript', 'Kotlin', 'Shell', null];
const DESCRIPTIONS = [
  'Small tools for everyday chores',
  'Experiments with a tiny interpreter',
  'Dotfiles and machine setup',
  'A weekend project that stayed',
  'Notes, scripts and benchmarks',
  'Library for parsing odd formats',
  null,
];
const STAR_OWNERS = ['octo-labs', 'northwind-dev', 'paper-planes', 'tinygrad-fans', 'openfields'];
const ORGS = [
  { login: 'linkboard-friends', description: 'People who try Linkboard first' },
  { login: 'paper-planes', description: 'Folding things that fly' },
  { login: 'northwind-dev', description: 'Northwind developer tooling' },
  { login: 'open-meadow', description: null },
];

const COUNTS: Record<string, { repos: number; orgs: number; starred: number }> = {
  'alice-example': { repos: 45, orgs: 3, starred: 20 },
};
const DEFAULT_COUNTS = { repos: 12, orgs: 1, starred: 5 };

const DAY_MS = 86_400_000;
const EPOCH = Date.parse('2026-01-01T00:00:00Z');

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function githubAccountFor(
  user: SeededUser,
  identity: SeededIdentity,
  apiBase: string,
): GithubAccountData {
  const random = deterministicRandom(`github:${identity.login}`);
  const counts = COUNTS[identity.login] ?? DEFAULT_COUNTS;
  const id = Number(identity.userId);
  const owner = {
    login: identity.login,
    id,
    node_id: `U_kgDO${identity.userId}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${identity.userId}?v=4`,
    url: `${apiBase}/users/${identity.login}`,
    html_url: `https://github.com/${identity.login}`,
    type: 'User',
    site_admin: false,
  };

  const makeRepo = (
    ownerLogin: string,
    ownerObject: Record<string, unknown>,
    name: string,
    repoId: number,
  ): GithubRepo => {
    const created = EPOCH - random.int(60, 1500) * DAY_MS;
    const pushed = EPOCH - random.int(0, 59) * DAY_MS - random.int(0, 86_399) * 1000;
    return {
      id: repoId,
      node_id: `R_kgDO${repoId}`,
      name,
      full_name: `${ownerLogin}/${name}`,
      private: ownerLogin === identity.login && random.next() < 0.2,
      owner: ownerObject,
      html_url: `https://github.com/${ownerLogin}/${name}`,
      description: random.pick(DESCRIPTIONS),
      fork: random.next() < 0.15,
      url: `${apiBase}/repos/${ownerLogin}/${name}`,
      created_at: iso(created),
      updated_at: iso(pushed + 3_600_000),
      pushed_at: iso(pushed),
      homepage: null,
      size: random.int(12, 48_000),
      stargazers_count: random.int(0, 900),
      watchers_count: random.int(0, 900),
      language: random.pick(LANGUAGES),
      forks_count: random.int(0, 120),
      open_issues_count: random.int(0, 40),
      default_branch: 'main',
      visibility: 'public',
      topics: [],
      archived: random.next() < 0.05,
    };
  };

  const repoNames = new Set<string>();
  while (repoNames.size < counts.repos) {
    repoNames.add(`${random.pick(ADJECTIVES)}-${random.pick(NOUNS)}`);
  }
  const repos = [...repoNames].map((name, index) => {
    const repo = makeRepo(identity.login, owner, name, id * 100 + index);
    repo.visibility = repo.private ? 'private' : 'public';
    return repo;
  });

  const starred: GithubRepo[] = [];
  for (let index = 0; index < counts.starred; index += 1) {
    const ownerLogin = STAR_OWNERS[index % STAR_OWNERS.length] ?? 'octo-labs';
    const ownerObject = {
      login: ownerLogin,
      id: 7_000_000 + index,
      url: `${apiBase}/users/${ownerLogin}`,
      html_url: `https://github.com/${ownerLogin}`,
      type: 'Organization',
      site_admin: false,
    };
    starred.push(
      makeRepo(
        ownerLogin,
        ownerObject,
        `${random.pick(NOUNS)}-${random.pick(ADJECTIVES)}-${index}`,
        9_000_000 + (id % 1000) * 100 + index,
      ),
    );
  }

  const orgs = ORGS.slice(0, counts.orgs).map((org, index) => ({
    login: org.login,
    id: 8_000_000 + index,
    node_id: `O_kgDO${8_000_000 + index}`,
    url: `${apiBase}/orgs/${org.login}`,
    repos_url: `${apiBase}/orgs/${org.login}/repos`,
    avatar_url: `https://avatars.githubusercontent.com/u/${8_000_000 + index}?v=4`,
    description: org.description,
  }));

  return {
    user: {
      ...owner,
      name: user.name,
      company: null,
      blog: '',
      location: 'Zürich',
      email: user.email,
      bio: null,
      public_repos: repos.filter((repo) => !repo.private).length,
      public_gists: 0,
      followers: random.int(3, 80),
      following: random.int(1, 40),
      created_at: '2015-06-01T08:00:00Z',
      updated_at: '2026-01-10T12:00:00Z',
    },
    repos,
    orgs,
    starred,
  };
}
