import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './run-script.js';

/** Folders named in the first column of the markdown table that starts with `| {heading} `. */
function tableFolders(file: string, heading: string): string[] {
  const lines = readFileSync(join(repositoryRoot, file), 'utf8').split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\|\\s*${heading}\\s*\\|`).test(line));
  expect(start, `${file} has a table headed "${heading}"`).toBeGreaterThanOrEqual(0);
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(/^\|\s*`([^`]+)\/`/.exec(line)?.[1] ?? `unreadable row: ${line}`);
  }
  return rows.sort();
}

/** Tracked folders directly under `folder` (the repository root when empty), dot folders aside. */
function trackedFolders(folder = ''): string[] {
  const files = execFileSync('git', ['ls-files', '--', folder || '.'], {
    cwd: repositoryRoot,
    encoding: 'utf8',
  }).split('\n');
  const depth = folder ? folder.split('/').length : 0;
  const folders = new Set(
    files
      .map((file) => file.split('/'))
      .filter((parts) => parts.length > depth + 1 && !parts[depth]?.startsWith('.'))
      .map((parts) => parts[depth] as string),
  );
  return [...folders].sort();
}

describe('the parts tables match the tree', () => {
  const topLevel = trackedFolders();

  it.each(['README.md', 'docs/architecture.md'])('%s names every top-level folder', (file) => {
    const named = tableFolders(file, 'folder');
    expect(named.filter((folder) => !folder.includes('/'))).toEqual(topLevel);
    for (const nested of named.filter((folder) => folder.includes('/')))
      expect(trackedFolders(nested).length, `${nested}/ exists`).toBeGreaterThan(0);
  });

  it('docs/architecture.md names every folder of sandbox/src', () => {
    const named = readFileSync(join(repositoryRoot, 'docs/architecture.md'), 'utf8')
      .split('## The sandbox')[1]
      ?.split('\n## ')[0];
    expect(named).toBeDefined();
    const rows = [...(named ?? '').matchAll(/^\|\s*`([^`]+)\/`/gm)].map((match) => match[1]);
    expect(rows.sort()).toEqual(trackedFolders('sandbox/src'));
  });
});
