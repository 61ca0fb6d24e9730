/**
 * `npm run check:bundles` (after `npm run build`): fails when a shipped bundle contains
 * `client_credentials` (the grant only a confidential client uses: the M2M flow belongs to the
 * broker) or the value of a secret-like environment variable present at build time (a secret
 * baked in by a `define` or `import.meta.env`), docs/architecture.md#security-rules, rule 1; or
 * the name of a sandbox-only schema or field (development code in the product,
 * docs/architecture.md#layering).
 *
 * Scans exactly what electron-builder packages from the project: the files its `files` globs
 * match (build/tools/packaged-files.ts asks app-builder-lib), so a file that ships is never missed
 * and one that does not ship (test output in out/, source maps) is not reported.
 * `--project DIR` checks another project (its electron-builder.yml and package.json; default: this
 * repository); `--dir DIR` scans every file under DIR instead. Prints file names and variable
 * NAMES, never a value.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SANDBOX_ONLY_NAMES } from './sandbox-only-names.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Names of variables whose value must never appear in a bundle. */
const SECRET_NAME = /secret|password|passwd|passphrase|private_?key|token|api_?key|credential|m2m/i;
/** Shorter values (`true`, `1`, `basic`) would match by chance and are not credentials. */
const MIN_SECRET_LENGTH = 8;

/**
 * `client_credentials` occurrences that are known third-party code, each matched by its exact
 * shape. @auth0/auth0-spa-js 2.28.3 ships, inside its own bundle, a general OAuth client
 * (oauth4webapi's generic grant request, called with "client_credentials" by a server-side method
 * the SPA SDK never calls, and an error class name). No secret comes with them, and the renderer
 * never calls them; any other occurrence fails the check.
 */
const KNOWN_LIBRARY_OCCURRENCES: Array<{ library: string; shape: RegExp }> = [
  {
    library: '@auth0/auth0-spa-js (bundled oauth4webapi grant request, unused)',
    shape:
      /\(\s*\w+\s*,\s*\w+\s*,\s*\w+\s*,\s*[`"']client_credentials[`"']\s*,\s*new URLSearchParams\(/g,
  },
  {
    library: '@auth0/auth0-spa-js (error code of an unused server-side method)',
    shape: /[`"']token_by_client_credentials_error[`"']/g,
  },
];

function filesUnder(directory: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const USAGE = 'usage: npm run check:bundles -- [--project DIR | --dir DIR]';

/** The files to scan and the folder their names are shown relative to. */
async function filesToScan(argv: string[]): Promise<{ base: string; files: string[] }> {
  const { values } = parseArgs({
    args: argv,
    options: { project: { type: 'string' }, dir: { type: 'string' } },
    strict: true,
  });
  if (values.dir !== undefined && values.project !== undefined)
    throw new Error(`--dir and --project exclude each other\n${USAGE}`);
  if (values.dir !== undefined) {
    const base = resolve(values.dir);
    return { base, files: filesUnder(base) };
  }
  const projectDir = resolve(values.project ?? root);
  const { resolvePackagedFiles } = await import('../build/tools/packaged-files.js');
  const packaged = await resolvePackagedFiles({ projectDir });
  // package.json is always packaged; without anything else there is nothing built to check.
  if (packaged.every((file) => file === 'package.json'))
    throw new Error(
      `electron-builder's files match no built file in ${projectDir}: run \`npm run build\` first`,
    );
  return { base: projectDir, files: packaged.map((file) => join(projectDir, file)) };
}

function secretValues(environment: NodeJS.ProcessEnv): Array<{ name: string; value: string }> {
  return Object.entries(environment).flatMap(([name, value]) =>
    value && SECRET_NAME.test(name) && value.length >= MIN_SECRET_LENGTH ? [{ name, value }] : [],
  );
}

let scan: Awaited<ReturnType<typeof filesToScan>>;
try {
  scan = await filesToScan(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const { base, files } = scan;
const secrets = secretValues(process.env);
const problems: string[] = [];
const allowed: string[] = [];

for (const file of files) {
  const text = readFileSync(file).toString('latin1');
  const shown = relative(base, file) || file;
  let remaining = text.split('client_credentials').length - 1;
  for (const known of KNOWN_LIBRARY_OCCURRENCES) {
    const matches = text.match(known.shape)?.length ?? 0;
    if (matches > 0) allowed.push(`${shown}: ${matches} × ${known.library}`);
    remaining -= matches;
  }
  if (remaining > 0)
    problems.push(
      `${shown} contains "client_credentials" (${remaining}×): the desktop app never uses the client-credentials grant`,
    );
  for (const { name, value } of secrets) {
    if (text.includes(value))
      problems.push(`${shown} contains the value of the build variable ${name}`);
  }
  const sandboxNames = SANDBOX_ONLY_NAMES.filter((name) => text.includes(name));
  if (sandboxNames.length > 0)
    problems.push(
      `${shown} contains sandbox-only names (${sandboxNames.join(', ')}): the sandbox and the dev stack are development tools, not part of the product`,
    );
}

for (const line of allowed) console.log(`known library code: ${line}`);
if (problems.length > 0) {
  for (const problem of problems) console.error(`FAIL ${problem}`);
  process.exit(1);
}
console.log(
  `Bundles clean: ${files.length} files, ${secrets.length} secret-like variables checked.`,
);
