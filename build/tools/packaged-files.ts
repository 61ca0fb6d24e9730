import type { Stats } from 'node:fs';
import { lstat, readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * The files electron-builder puts into the app archive from the project directory: the `files`
 * globs of electron-builder.yml plus electron-builder's own additions and exclusions (package.json
 * always; node_modules, the build-resources and output folders, lock files, `*.d.ts`… never).
 *
 * It asks app-builder-lib (the library electron-builder packages with) to build its own file
 * matcher, so the answer is the packager's, not a re-implementation of its glob rules. The bundle
 * secret check scans this list: it checks what ships, not what happens to lie in out/.
 *
 * Production dependencies (`dependencies` of package.json) are copied from node_modules by
 * electron-builder separately and are not in this list.
 */

export type BuilderPlatform = 'win' | 'mac' | 'linux';

export interface ResolvePackagedFilesOptions {
  /** The project directory (where package.json and electron-builder.yml are). */
  projectDir: string;
  /** The configuration file, relative to projectDir. */
  configFile?: string;
  /** Platforms whose `files` overrides count; the answer is their union. Default: all three. */
  platforms?: readonly BuilderPlatform[];
}

/** The part of electron-builder's configuration that decides which files are packaged. */
interface FilesConfiguration {
  files?: unknown;
  includePdb?: boolean;
  directories?: { buildResources?: string; output?: string; app?: string };
  win?: { files?: unknown };
  mac?: { files?: unknown };
  linux?: { files?: unknown };
}

interface FileFilter {
  (file: string, stat: Stats): boolean;
}
interface AppBuilderFileMatcher {
  from: string;
  patterns: string[];
  createFilter(): FileFilter;
}
interface AppBuilderFileMatcherModule {
  getMainFileMatchers(
    appDir: string,
    destination: string,
    macroExpander: (pattern: string) => string,
    platformSpecificBuildOptions: { files?: unknown },
    platformPackager: unknown,
    outDir: string,
    isElectronCompile: boolean,
  ): AppBuilderFileMatcher[];
}

const require = createRequire(import.meta.url);
// Internal to app-builder-lib (pinned in package.json); a test checks it against a known tree.
const fileMatcherModule =
  require('app-builder-lib/out/fileMatcher.js') as AppBuilderFileMatcherModule;

export async function readBuilderConfiguration(
  projectDir: string,
  configFile = 'electron-builder.yml',
): Promise<FilesConfiguration> {
  const parsed: unknown = parseYaml(await readFile(path.join(projectDir, configFile), 'utf8'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${configFile} is not a mapping`);
  }
  return parsed as FilesConfiguration;
}

/** Relative paths (with `/`), sorted, of every file the app archive would hold. */
export async function resolvePackagedFiles(
  options: ResolvePackagedFilesOptions,
): Promise<string[]> {
  const projectDir = path.resolve(options.projectDir);
  const config = await readBuilderConfiguration(projectDir, options.configFile);
  const platforms = options.platforms ?? (['win', 'mac', 'linux'] as const);
  const found = new Set<string>();
  for (const platform of platforms) {
    for (const file of await resolveForPlatform(projectDir, config, platform)) found.add(file);
  }
  return [...found].sort();
}

async function resolveForPlatform(
  projectDir: string,
  config: FilesConfiguration,
  platform: BuilderPlatform,
): Promise<string[]> {
  const appDir = path.resolve(projectDir, config.directories?.app ?? '.');
  const outDir = path.resolve(projectDir, config.directories?.output ?? 'dist');
  const platformPackager = {
    info: {
      isPrepackedAppAsar: false,
      config,
      projectDir,
      buildResourcesDir: config.directories?.buildResources ?? 'build',
      debugLogger: { isEnabled: false },
    },
  };
  const matchers = fileMatcherModule.getMainFileMatchers(
    appDir,
    '/app',
    (pattern) => pattern,
    config[platform] ?? {},
    platformPackager,
    outDir,
    false,
  );
  const files: string[] = [];
  for (const matcher of matchers) {
    await walk(matcher.from, matcher.createFilter(), (file) =>
      files.push(path.relative(projectDir, file).split(path.sep).join('/')),
    );
  }
  return files;
}

/** Depth-first walk that skips what the filter refuses, as electron-builder's own walk does. */
async function walk(root: string, filter: FileFilter, onFile: (file: string) => void) {
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const name of names.sort()) {
      const file = path.join(dir, name);
      const stat = await lstat(file);
      if (!filter(file, stat)) continue;
      if (stat.isDirectory()) pending.push(file);
      else onFile(file);
    }
  }
}
