import { isBuiltin } from 'node:module';
import type { Metafile } from 'esbuild';

/**
 * electron-builder copies the root `dependencies` (and what they depend on) into the app's
 * node_modules; everything else ships inside the bundles. So `dependencies` must hold exactly the
 * packages a bundle leaves external and imports at run time — no more (a bundled package copied
 * again), no less (a `Cannot find package` in the installed app).
 */

/** Provided by the Electron runtime itself; electron-builder refuses it in `dependencies`. */
export const RUNTIME_PROVIDED = ['electron'] as const;

/** `@scope/name/sub/path` → `@scope/name`, `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

export interface BundlePackages {
  /** Packages the bundle imports but does not contain (Node built-ins left out). */
  external: string[];
  /** Packages whose files esbuild put into the bundle. */
  bundled: string[];
}

/** What an esbuild metafile says a bundle imports from node_modules and what it contains. */
export function bundlePackages(metafile: Metafile): BundlePackages {
  const external = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const entry of output.imports) {
      if (entry.external && !isBuiltin(entry.path)) external.add(packageNameOf(entry.path));
    }
  }
  const bundled = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    // The innermost node_modules names the package a file belongs to.
    const parts = input.split('/');
    const at = parts.lastIndexOf('node_modules');
    if (at >= 0 && at + 1 < parts.length - 1) {
      bundled.add(packageNameOf(parts.slice(at + 1).join('/')));
    }
  }
  return { external: [...external].sort(), bundled: [...bundled].sort() };
}

/** Every way `dependencies` disagrees with what the bundles need at run time; empty when none. */
export function runtimeDependencyProblems(
  bundles: readonly BundlePackages[],
  dependencies: Readonly<Record<string, string>>,
): string[] {
  const declared = new Set(Object.keys(dependencies));
  const external = new Set(bundles.flatMap((bundle) => bundle.external));
  const bundled = new Set(bundles.flatMap((bundle) => bundle.bundled));
  const provided = new Set<string>(RUNTIME_PROVIDED);
  const problems: string[] = [];
  for (const name of [...external].sort()) {
    if (provided.has(name)) continue;
    if (!declared.has(name)) {
      problems.push(`${name} is imported by a bundle as external but is not in dependencies`);
    }
  }
  for (const name of [...declared].sort()) {
    if (provided.has(name)) {
      problems.push(`${name} is provided by the Electron runtime and must not be in dependencies`);
    } else if (bundled.has(name)) {
      problems.push(`${name} is bundled, so it belongs in devDependencies, not dependencies`);
    } else if (!external.has(name)) {
      problems.push(`${name} is in dependencies but no bundle imports it at run time`);
    }
  }
  return problems;
}
