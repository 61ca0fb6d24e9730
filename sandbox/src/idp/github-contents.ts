import type { GithubRepo } from './github-data.js';

/** One file of a repository's emulated tree. */
interface RepoFile {
  path: string;
  text: string;
}

/** Every emulated repository holds the same small tree: a README and one nested file. */
function filesOf(repo: GithubRepo): RepoFile[] {
  const description = typeof repo.description === 'string' ? `${repo.description}\n` : '';
  return [
    { path: 'README.md', text: `# ${repo.name}\n\n${description}` },
    { path: 'docs/setup.md', text: `# Setting up ${repo.name}\n\nRun the tests.\n` },
  ];
}

/** A stable, sha-shaped id for a path's content (not a real git object id). */
function shaOf(text: string): string {
  let hash = 0x811c9dc5;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0').repeat(5);
}

function entryOf(
  apiBase: string,
  repo: GithubRepo,
  path: string,
  type: 'file' | 'dir',
  text = '',
): Record<string, unknown> {
  const url = `${apiBase}/repos/${repo.full_name}/contents/${path}?ref=main`;
  const html = `https://github.com/${repo.full_name}/${type === 'file' ? 'blob' : 'tree'}/main/${path}`;
  const git = `${apiBase}/repos/${repo.full_name}/git/${type === 'file' ? 'blobs' : 'trees'}/${shaOf(path + text)}`;
  return {
    type,
    name: path.split('/').at(-1),
    path,
    sha: shaOf(path + text),
    size: type === 'file' ? Buffer.byteLength(text) : 0,
    url,
    html_url: html,
    git_url: git,
    download_url:
      type === 'file' ? `https://raw.githubusercontent.com/${repo.full_name}/main/${path}` : null,
    _links: { self: url, git, html },
  };
}

/** What `GET /repos/{owner}/{repo}/contents/{path}` answers. */
export type ContentsAnswer =
  | { kind: 'file'; entry: Record<string, unknown>; text: string }
  | { kind: 'dir'; entries: Record<string, unknown>[] }
  | { kind: 'missing' };

/**
 * GitHub's contents API over the emulated tree: a file's metadata with its content in base64, or
 * a directory's entries (files and subdirectories) without content. `path` is '' for the root.
 */
export function repoContents(apiBase: string, repo: GithubRepo, path: string): ContentsAnswer {
  const files = filesOf(repo);
  const file = files.find((candidate) => candidate.path === path);
  if (file) {
    const entry = entryOf(apiBase, repo, file.path, 'file', file.text);
    return {
      kind: 'file',
      entry: { ...entry, encoding: 'base64', content: Buffer.from(file.text).toString('base64') },
      text: file.text,
    };
  }
  const prefix = path === '' ? '' : `${path}/`;
  const below = files.filter((candidate) => candidate.path.startsWith(prefix));
  if (below.length === 0) return { kind: 'missing' };
  const children = new Map<string, Record<string, unknown>>();
  for (const candidate of below) {
    const [name = '', ...rest] = candidate.path.slice(prefix.length).split('/');
    const childPath = prefix + name;
    if (children.has(childPath)) continue;
    children.set(
      childPath,
      rest.length === 0
        ? entryOf(apiBase, repo, childPath, 'file', candidate.text)
        : entryOf(apiBase, repo, childPath, 'dir'),
    );
  }
  return { kind: 'dir', entries: [...children.values()] };
}
