import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ipcChannels } from '@linkboard/contract';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainBundleOptions } from '../../bundle-options.js';

// The real main bundle (same esbuild options as `npm run build`), booted in plain Node with a
// stand-in `electron`: proves the bundle loads (ESM, bundled CommonJS dependencies, externals) and
// runs the Electron layer's start sequence.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const register = fileURLToPath(new URL('./register-fake-electron.mjs', import.meta.url));
let bundleDirectory: string;
let userData: string;

beforeAll(async () => {
  // Inside the repository so the bundle finds keytar and electron-updater in node_modules.
  // A fresh clone has no out/ yet.
  mkdirSync(join(root, 'out'), { recursive: true });
  bundleDirectory = mkdtempSync(join(root, 'out', '.bundle-smoke-'));
  userData = mkdtempSync(join(tmpdir(), 'linkboard-user-data-'));
  await build(mainBundleOptions(root, join(bundleDirectory, 'main', 'index.js')));
}, 60_000);
afterAll(() => {
  rmSync(bundleDirectory, { recursive: true, force: true });
  rmSync(userData, { recursive: true, force: true });
});

function boot(
  environment: NodeJS.ProcessEnv,
): Promise<{ code: number | null; events: Array<Record<string, unknown>> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', register, join(bundleDirectory, 'main', 'index.js')],
      {
        cwd: root,
        // No D-Bus: keytar fails fast and the token store falls back to memory.
        env: { PATH: process.env.PATH, HOME: userData, FAKE_USER_DATA: userData, ...environment },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const events = stdout
        .split('\n')
        .filter((line) => line.startsWith('ELECTRON '))
        .map((line) => JSON.parse(line.slice('ELECTRON '.length)) as Record<string, unknown>);
      resolve({ code, events });
    });
  });
}

const config = {
  LINKBOARD_AUTH0_DOMAIN: 'tenant.auth0.com',
  LINKBOARD_CLIENT_ID: 'desktop',
  LINKBOARD_BROKER_AUDIENCE: 'https://broker.example.org/',
  LINKBOARD_BROKER_URL: 'https://broker.example.org',
};

describe('main bundle', () => {
  it('refuses a secret before any window: dialog, exit 78', async () => {
    const { code, events } = await boot({ ...config, LINKBOARD_CLIENT_SECRET: 'x' });
    expect(code).toBe(78);
    expect(events.map((event) => event.event)).not.toContain('BrowserWindow');
    const dialog = events.find((event) => event.event === 'showErrorBox');
    expect(dialog?.content).toContain('"LINKBOARD_CLIENT_SECRET"');
  });

  it('starts: privileged scheme, guards, every IPC channel, one hardened window on app://linkboard', async () => {
    const { code, events } = await boot(config);
    expect(code).toBe(0);
    const names = events.map((event) => event.event);
    expect(names.indexOf('registerSchemesAsPrivileged')).toBeLessThan(names.indexOf('ready'));
    expect(names).toContain('setPermissionRequestHandler');
    expect(events.filter((event) => event.event === 'ipcMain.handle')).toHaveLength(
      Object.keys(ipcChannels).length,
    );
    const window = events.find((event) => event.event === 'BrowserWindow') as {
      options: { webPreferences: Record<string, unknown> };
    };
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(String(window.options.webPreferences.preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(events.find((event) => event.event === 'loadURL')?.url).toBe(
      'app://linkboard/index.html',
    );
  });
});
