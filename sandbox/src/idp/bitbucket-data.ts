import { createHash } from 'node:crypto';
import { deterministicRandom } from '../tenant/deterministic-random.js';
import type { SeededIdentity, SeededUser } from '../tenant/seed.js';

/** Deterministic Bitbucket Cloud data for a seeded identity, shaped like its REST API 2.0. */
export interface BitbucketAccountData {
  user: Record<string, unknown>;
  /** The workspace the user owns: its slug is the user's handle. */
  workspace: string;
  repositories: Record<string, unknown>[];
}

const NAMES = ['harbor', 'ledger', 'sketch', 'relay', 'garden', 'beacon', 'atlas', 'parser'];
const QUALIFIERS = ['api', 'web', 'tools', 'infra', 'docs', 'mobile'];
const LANGUAGES = ['typescript', 'python', 'go', 'java', 'kotlin', ''];
const DESCRIPTIONS = ['Internal service', 'Build scripts', 'Shared UI components', ''];

const DAY_MS = 86_400_000;
const EPOCH = Date.parse('2026-01-01T00:00:00Z');

/** Bitbucket writes times with microseconds and an explicit offset. */
function bitbucketTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** A stable `{xxxxxxxx-…}` UUID in Bitbucket's braces, made from a seed text. */
function uuidOf(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}}`;
}

const link = (href: string) => ({ href });

export function bitbucketAccountFor(
  user: SeededUser,
  identity: SeededIdentity,
  apiBase: string,
): BitbucketAccountData {
  const random = deterministicRandom(`bitbucket:${identity.login}`);
  const uuid = uuidOf(`user:${identity.login}`);
  const workspace = identity.login;
  const encodedUuid = encodeURIComponent(uuid);
  const account = {
    display_name: user.name,
    links: {
      self: link(`${apiBase}/2.0/users/${encodedUuid}`),
      avatar: link(`https://avatar-management.services.atlassian.example/${identity.userId}/128`),
      html: link(`https://bitbucket.org/${encodedUuid}/`),
    },
    type: 'user',
    uuid,
    account_id: identity.userId,
    nickname: identity.login,
  };
  const workspaceObject = {
    type: 'workspace',
    uuid: uuidOf(`workspace:${workspace}`),
    name: user.name,
    slug: workspace,
    links: {
      avatar: link(`https://bitbucket.org/workspaces/${workspace}/avatar/`),
      html: link(`https://bitbucket.org/${workspace}/`),
      self: link(`${apiBase}/2.0/workspaces/${workspace}`),
    },
  };
  const project = {
    type: 'project',
    key: 'PROJ',
    uuid: uuidOf(`project:${workspace}`),
    name: 'Main project',
    links: {
      html: link(`https://bitbucket.org/${workspace}/workspace/projects/PROJ`),
      avatar: link(`https://bitbucket.org/${workspace}/workspace/projects/PROJ/avatar/32`),
    },
  };

  const names = new Set<string>();
  while (names.size < 14) names.add(`${random.pick(NAMES)}-${random.pick(QUALIFIERS)}`);
  const repositories = [...names].map((slug, index) => {
    const fullName = `${workspace}/${slug}`;
    const api = `${apiBase}/2.0/repositories/${fullName}`;
    const created = EPOCH - random.int(30, 900) * DAY_MS;
    const updated = EPOCH - random.int(0, 29) * DAY_MS - random.int(0, 86_399) * 1000;
    const isPrivate = random.next() < 0.7;
    return {
      type: 'repository',
      full_name: fullName,
      links: {
        self: link(api),
        html: link(`https://bitbucket.org/${fullName}`),
        avatar: link(
          `https://bytebucket.org/ravatar/${encodeURIComponent(uuidOf(fullName))}?ts=default`,
        ),
        pullrequests: link(`${api}/pullrequests`),
        commits: link(`${api}/commits`),
        forks: link(`${api}/forks`),
        watchers: link(`${api}/watchers`),
        downloads: link(`${api}/downloads`),
        clone: [
          { name: 'https', href: `https://bitbucket.org/${fullName}.git` },
          { name: 'ssh', href: `git@bitbucket.org:${fullName}.git` },
        ],
        hooks: link(`${api}/hooks`),
      },
      name: slug,
      slug,
      description: random.pick(DESCRIPTIONS),
      scm: 'git',
      website: null,
      owner: account,
      workspace: workspaceObject,
      is_private: isPrivate,
      project,
      fork_policy: isPrivate ? 'no_public_forks' : 'allow_forks',
      created_on: bitbucketTime(created),
      updated_on: bitbucketTime(updated),
      size: random.int(20_000, 9_000_000),
      language: random.pick(LANGUAGES),
      uuid: uuidOf(`repository:${fullName}:${index}`),
      mainbranch: { name: 'main', type: 'branch' },
      has_issues: false,
      has_wiki: false,
    };
  });

  return {
    user: {
      ...account,
      created_on: bitbucketTime(Date.parse('2019-03-04T10:00:00Z')),
      is_staff: false,
      account_status: 'active',
      location: null,
      links: {
        ...account.links,
        repositories: link(`${apiBase}/2.0/repositories/${encodedUuid}`),
      },
    },
    workspace,
    repositories,
  };
}
