/**
 * `npm start`: builds the app, starts the development stack (sandbox tenant + broker, `npm run
 * dev:stack`), and launches Electron against it with the stack's public values as the built-in
 * development defaults (never its secrets). Where no Electron binary is installed — it cannot be
 * downloaded on machines that only reach the npm registry — it says so and points to the
 * end-to-end demo, which runs the same renderer, preload and services in Chromium. Exit code 69
 * (EX_UNAVAILABLE) then.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnJsonLineProcess } from '@linkboard/testing/json-line-process';
import {
  DEVELOPMENT_DEFAULTS_VARIABLE,
  DevStackLine,
  developmentDefaultsFromDevStack,
} from '../main/src/services/index.js';
import { findElectronBinary } from '../main/src/development/electron-binary.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const DEV_STACK_TIMEOUT_MS = 60_000;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const electron = findElectronBinary(root);
if (!electron) {
  console.error(
    [
      'npm start: the Electron binary is not installed on this machine (node_modules/electron has no dist/),',
      'and it cannot be downloaded here: only the npm registry is reachable, and Electron fetches its',
      'binary from GitHub. The desktop window cannot open without it.',
      '',
      'To see Linkboard working, run the end-to-end demo instead:  npm run demo',
      'It serves the same renderer, preload and main-process services in Chromium, against the sandbox',
      'tenant and the broker.',
    ].join('\n'),
  );
  process.exit(69);
}

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
