/**
 * `npm start`: makes sure the Electron binary is there (Electron ≥ 45 fetches it on first use, not at
 * `npm install`: when it is absent, Electron's own installer runs here, with its progress on this
 * terminal and Electron's mirror, cache and override variables honoured), builds the app, starts the
 * development stack (sandbox tenant + broker, `npm run dev:stack`), and launches Electron against it
 * with the stack's public values as the built-in development defaults (never its secrets).
 * Where the installer cannot fetch Electron (a machine without access to its download host or a
 * mirror), it says why, with the installer's own error, and points to the end-to-end demo, which
 * runs the same renderer, preload and services in Chromium. Exit code 69 (EX_UNAVAILABLE) then.
 *
 * LINKBOARD_ELECTRON_PACKAGE_DIR names another `electron` package folder than the project's
 * node_modules/electron (its tests use one with a stand-in installer and executable).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnJsonLineProcess } from '@linkboard/testing/json-line-process';
import { DevStackLine, developmentDefaultsFromDevStack } from '@linkboard/dev-stack/dev-stack-line';
import { DEVELOPMENT_DEFAULTS_VARIABLE } from '../main/src/services/index.js';
import {
  electronPackageDirectory,
  ensureElectronBinary,
} from '../main/src/development/electron-binary.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const DEV_STACK_TIMEOUT_MS = 60_000;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const binary = ensureElectronBinary(
  {
    directory: process.env.LINKBOARD_ELECTRON_PACKAGE_DIR ?? electronPackageDirectory(root),
    environment: process.env,
  },
  {
    interactive: process.stderr.isTTY === true,
    announce: (line) => console.error(`npm start: ${line}`),
    echo: (output) => process.stderr.write(output),
  },
);
if (!binary.ok) {
  console.error(
    [
      `npm start: the Electron binary is not installed on this machine, and it could not be had: ${binary.reason}.`,
      ...(binary.installerError ? ['', "Electron's installer said:", binary.installerError] : []),
      '',
      'Electron fetches its binary from its download host, or from a mirror named by ELECTRON_MIRROR',
      '(or electron_mirror in .npmrc), cached in electron_config_cache; ELECTRON_OVERRIDE_DIST_PATH',
      'names a folder holding an Electron you already have. The desktop window cannot open without it.',
      '',
      'To see Linkboard working, run the end-to-end demo instead:  npm run demo',
      'It serves the same renderer, preload and main-process services in Chromium, against the sandbox',
      'tenant and the broker.',
    ].join('\n'),
  );
  process.exit(69);
}
const electron = binary.executablePath;

const build = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const scripts =
  (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { scripts?: Record<string, string> })
    .scripts ?? {};
const environment: NodeJS.ProcessEnv = { ...process.env };
let devStack: ChildProcess | null = null;

function stop(code: number): never {
  devStack?.kill('SIGTERM');
  process.exit(code);
}

if (scripts['dev:stack']) {
  const stack = spawnJsonLineProcess({
    command: npm,
    args: ['run', '--silent', 'dev:stack'],
    cwd: root,
    parse: (json) => DevStackLine.parse(json),
    stderr: 'inherit',
    timeoutMs: DEV_STACK_TIMEOUT_MS,
    keepOutput: false,
    name: 'the development stack',
  });
  devStack = stack.child;
  const { value: line } = await stack.started.catch((error: Error) => {
    console.error(`npm start: ${error.message}`);
    return stop(1);
  });
  environment[DEVELOPMENT_DEFAULTS_VARIABLE] = JSON.stringify(
    developmentDefaultsFromDevStack(line),
  );
  console.log(`npm start: sandbox at ${line.sandbox.domain}, broker at ${line.brokerUrl}`);
} else {
  console.warn(
    'npm start: no dev:stack script; the app starts with the configuration of this machine alone',
  );
}

const app = spawn(electron, [root], { cwd: root, stdio: 'inherit', env: environment });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.kill(signal));
app.once('exit', (code) => stop(code ?? 1));
