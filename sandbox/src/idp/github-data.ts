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

/**
 * One of alice's repositories (not her first) whose `html_url` is off GitHub's web origin, as a
 * compromised or buggy upstream could send: the app must refuse to open or copy it
 * (docs/architecture.md#security-rules, rule 7). Every other field stays GitHub's.
 */
export const HOSTILE_HTML_URL = {
  login: 'alice-example',
  index: 2,
  url: 'https://evil.example/alice-example/sign-in-again',
} as const;

const DAY_MS = 86_400_000;
const EPOCH = Date.parse('2026-01-01T00:00:00Z');

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The hypermedia URLs GitHub puts in every user object (`simple-user` in GitHub's OpenAPI
 * description), URI templates included.
 */
function userUrls(apiBase: string, login: string): Record<string, string> {
  const url = `${apiBase}/users/${login}`;
  return {
    url,
    html_url: `https://github.com/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
  };
}

/** A user or organisation as GitHub nests it (`owner` of a repository): `simple-user`. */
function simpleUser(
  apiBase: string,
  login: string,
  id: number,
  nodeId: string,
  type: 'User' | 'Organization',
): Record<string, unknown> {
  return {
    login,
    id,
    node_id: nodeId,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    ...userUrls(apiBase, login),
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** The URLs, URI templates and clone addresses of a repository, as GitHub gives them. */
function repoUrls(apiBase: string, fullName: string): Record<string, string> {
  const url = `${apiBase}/repos/${fullName}`;
  return {
    html_url: `https://github.com/${fullName}`,
    url,
    forks_url: `${url}/forks`,
    keys_url: `${url}/keys{/key_id}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    teams_url: `${url}/teams`,
    hooks_url: `${url}/hooks`,
    issue_events_url: `${url}/issues/events{/number}`,
    events_url: `${url}/events`,
    assignees_url: `${url}/assignees{/user}`,
    branches_url: `${url}/branches{/branch}`,
    tags_url: `${url}/tags`,
    blobs_url: `${url}/git/blobs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    trees_url: `${url}/git/trees{/sha}`,
    statuses_url: `${url}/statuses/{sha}`,
    languages_url: `${url}/languages`,
    stargazers_url: `${url}/stargazers`,
    contributors_url: `${url}/contributors`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    commits_url: `${url}/commits{/sha}`,
    git_commits_url: `${url}/git/commits{/sha}`,
    comments_url: `${url}/comments{/number}`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    contents_url: `${url}/contents/{+path}`,
    compare_url: `${url}/compare/{base}...{head}`,
    merges_url: `${url}/merges`,
    archive_url: `${url}/{archive_format}{/ref}`,
    downloads_url: `${url}/downloads`,
    issues_url: `${url}/issues{/number}`,
    pulls_url: `${url}/pulls{/number}`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    labels_url: `${url}/labels{/name}`,
    releases_url: `${url}/releases{/id}`,
    deployments_url: `${url}/deployments`,
    git_url: `git://github.com/${fullName}.git`,
    ssh_url: `git@github.com:${fullName}.git`,
    clone_url: `https://github.com/${fullName}.git`,
    svn_url: `https://github.com/${fullName}`,
  };
}

export function githubAccountFor(
  user: SeededUser,
  identity: SeededIdentity,
  apiBase: string,
): GithubAccountData {
  const random = deterministicRandom(`github:${identity.login}`);
  const counts = COUNTS[identity.login] ?? DEFAULT_COUNTS;
  const id = Number(identity.userId);
  const owner = simpleUser(apiBase, identity.login, id, `U_kgDO${identity.userId}`, 'User');

  const makeRepo = (
    ownerLogin: string,
    ownerObject: Record<string, unknown>,
    name: string,
    repoId: number,
  ): GithubRepo => {
    const created = EPOCH - random.int(60, 1500) * DAY_MS;
    const pushed = EPOCH - random.int(0, 59) * DAY_MS - random.int(0, 86_399) * 1000;
    const own = ownerLogin === identity.login;
    // The draws stay in this order so every seeded repository keeps its values.
    const repo = {
      id: repoId,
      node_id: `R_kgDO${repoId}`,
      name,
      full_name: `${ownerLogin}/${name}`,
      private: own && random.next() < 0.2,
      owner: ownerObject,
      ...repoUrls(apiBase, `${ownerLogin}/${name}`),
      description: random.pick(DESCRIPTIONS),
      fork: random.next() < 0.15,
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
    return {
      ...repo,
      mirror_url: null,
      has_issues: true,
      has_projects: true,
      has_downloads: true,
      has_wiki: true,
      has_pages: false,
      has_discussions: false,
      disabled: false,
      license: null,
      allow_forking: true,
      is_template: false,
      web_commit_signoff_required: false,
      // GitHub repeats the counts under their older names.
      forks: repo.forks_count,
      open_issues: repo.open_issues_count,
      watchers: repo.watchers_count,
      permissions: { admin: own, maintain: own, push: own, triage: own, pull: true },
    };
  };

  const repoNames = new Set<string>();
  while (repoNames.size < counts.repos) {
    repoNames.add(`${random.pick(ADJECTIVES)}-${random.pick(NOUNS)}`);
  }
  const repos = [...repoNames].map((name, index) => {
    const repo = makeRepo(identity.login, owner, name, id * 100 + index);
    repo.visibility = repo.private ? 'private' : 'public';
    if (identity.login === HOSTILE_HTML_URL.login && index === HOSTILE_HTML_URL.index) {
      repo.html_url = HOSTILE_HTML_URL.url;
    }
    return repo;
  });

  const starred: GithubRepo[] = [];
  for (let index = 0; index < counts.starred; index += 1) {
    const ownerLogin = STAR_OWNERS[index % STAR_OWNERS.length] ?? 'octo-labs';
    const ownerObject = simpleUser(
      apiBase,
      ownerLogin,
      7_000_000 + index,
      `O_kgDO${7_000_000 + index}`,
      'Organization',
    );
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
    events_url: `${apiBase}/orgs/${org.login}/events`,
    hooks_url: `${apiBase}/orgs/${org.login}/hooks`,
    issues_url: `${apiBase}/orgs/${org.login}/issues`,
    members_url: `${apiBase}/orgs/${org.login}/members{/member}`,
    public_members_url: `${apiBase}/orgs/${org.login}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${8_000_000 + index}?v=4`,
    description: org.description,
  }));

  const privateRepos = repos.filter((repo) => repo.private).length;
  return {
    user: {
      ...owner,
      // `/user` answers the signed-in user's private view (`private-user`).
      user_view_type: 'private',
      name: user.name,
      company: null,
      blog: '',
      location: 'Zürich',
      email: user.email,
      hireable: null,
      bio: null,
      twitter_username: null,
      notification_email: user.email,
      public_repos: repos.length - privateRepos,
      public_gists: 0,
      followers: random.int(3, 80),
      following: random.int(1, 40),
      created_at: '2015-06-01T08:00:00Z',
      updated_at: '2026-01-10T12:00:00Z',
      private_gists: 0,
      total_private_repos: privateRepos,
      owned_private_repos: privateRepos,
      disk_usage: repos.reduce((sum, repo) => sum + Number(repo.size), 0),
      collaborators: 0,
      two_factor_authentication: true,
      plan: { name: 'free', space: 976_562_499, collaborators: 0, private_repos: 10_000 },
    },
    repos,
    orgs,
    starred,
  };
}
