import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import electronLog from 'electron-log/node';
import { afterEach, describe, expect, it } from 'vitest';
import { fileLogger, LOG_FILE_MAX_BYTES } from '../../src/electron/file-logger.js';
import { startLinkboard } from '../../src/electron/start-linkboard.js';
import { REDACTED } from '../../src/logging/redact.js';
import { FakeBrowserWindow, fakeElectron } from '../electron/fake-electron.js';
import { configEnvironment, startOptions } from '../electron/start-options.js';

/** Every kind of secret main could ever be handed, each a value no log line may carry. */
const secrets = {
  accessToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEtYWNjZXNzIn0.c2lnbmF0dXJlLWFjY2Vzcw',
  idToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEtaWQifQ.c2lnbmF0dXJlLWlk',
  refreshToken: 'v1.refresh-opaque-9f8e7d6c5b4a',
  authorizationCode: 'authcode-5a4b3c2d1e0f',
  codeVerifier: 'verifier-Zx9Yw8Vu7Ts6Rq5Po4',
  state: 'state-Hh5Gg4Ff3',
  clientSecret: 'clientsecret-Pp0Oo9Ii8Uu7',
  proxyPassword: 'proxypass-Kk7Jj6Ll5',
  cookie: 'cookie-Ff3Ee2Dd1',
  apiKey: 'apikey-Mm1Nn2Bb3',
};

/** The same secrets in every shape they travel in: URLs, headers, JSON, errors, nested fields. */
const callbackUrl = `http://127.0.0.1:47823/callback?code=${secrets.authorizationCode}&state=${secrets.state}`;
const texts = [
  `Authorization: Bearer ${secrets.accessToken}`,
  `id token ${secrets.idToken}`,
  callbackUrl,
  `linkboard://callback?code=${secrets.authorizationCode}&state=${secrets.state}`,
  `grant_type=authorization_code&code_verifier=${secrets.codeVerifier}&refresh_token=${secrets.refreshToken}`,
  `{"refresh_token":"${secrets.refreshToken}","client_secret":"${secrets.clientSecret}"}`,
  `proxy http://ada:${secrets.proxyPassword}@proxy.example:8080`,
  `https://tenant.example/#access_token=${secrets.accessToken}`,
];
const fields = {
  accessToken: secrets.accessToken,
  refresh_token: secrets.refreshToken,
  clientSecret: secrets.clientSecret,
  code_verifier: secrets.codeVerifier,
  authorization: `Bearer ${secrets.accessToken}`,
  cookie: `session=${secrets.cookie}`,
  apiKey: secrets.apiKey,
  nested: {
    password: secrets.proxyPassword,
    list: [{ id_token: secrets.idToken }],
    url: callbackUrl,
  },
  error: new Error(`token endpoint said {"access_token":"${secrets.accessToken}"}`),
  reason: texts.join(' | '),
};

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

let instances = 0;
function logToTemporaryFile() {
  const directory = mkdtempSync(join(tmpdir(), 'linkboard-log-'));
  directories.push(directory);
  const file = join(directory, 'main.log');
  const log = fileLogger(electronLog.create({ logId: `test-${++instances}` }), { file });
  return { log, file, directory, read: () => readFileSync(file, 'utf8') };
}

function expectNoSecret(text: string) {
  for (const [kind, secret] of Object.entries(secrets)) {
    expect(text, `${kind} was written`).not.toContain(secret);
  }
}

describe('the log file (electron-log file transport, real file)', () => {
  it('writes every level with its message and fields, and no secret in any shape', () => {
    const { log, read, file } = logToTemporaryFile();
    expect(log.file()).toBe(file);
    for (const level of ['info', 'warn', 'error'] as const) {
      for (const text of texts) log[level](`${level}: ${text}`);
      log[level](`${level} with fields`, fields);
    }
    const written = read();
    expectNoSecret(written);
    expect(written).toMatch(/\[info\] +info with fields/);
    expect(written).toMatch(/\[warn\] +warn with fields/);
    expect(written).toMatch(/\[error\] +error with fields/);
    expect(written).toContain(REDACTED);
    // What is not secret stays readable for the support desk.
    expect(written).toContain('http://127.0.0.1:47823/callback?code=[redacted]&state=[redacted]');
    expect(written).toContain('"name":"Error"');
    expect(written).toContain('grant_type=authorization_code');
    // Readable by the user alone.
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('redacts a direct electron-log call too (the hook runs before every transport)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'linkboard-log-'));
    directories.push(directory);
    // A log folder that does not exist yet (Linux and Windows create it on first use).
    const file = join(directory, 'logs', 'main.log');
    const raw = electronLog.create({ logId: `test-direct-${++instances}` });
    fileLogger(raw, { file });
    raw.error('direct', texts.join(' '), { refreshToken: secrets.refreshToken });
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('direct');
    expectNoSecret(written);
  });

  it('rotates past its size limit: the full file becomes main.old.log', () => {
    const { log, directory, file } = logToTemporaryFile();
    writeFileSync(file, 'x'.repeat(LOG_FILE_MAX_BYTES + 1), { mode: 0o600 });
    log.info('after rotation');
    expect(readdirSync(directory).sort()).toEqual(['main.log', 'main.old.log']);
    expect(readFileSync(file, 'utf8')).toContain('after rotation');
    expect(statSync(join(directory, 'main.old.log')).size).toBe(LOG_FILE_MAX_BYTES + 1);
  });

  it('every call site of the app, fed secrets, writes none of them', async () => {
    const { log, read } = logToTemporaryFile();

    // Refused at start: a policy carrying a secret.
    await startLinkboard(
      startOptions(fakeElectron(), {
        log,
        readPolicy: async () => ({
          kind: 'policy',
          location: '/etc/linkboard/policy.json',
          values: { clientSecret: secrets.clientSecret },
        }),
      }),
    );

    // A running app: a keychain that fails with a secret in its message, then every event it logs.
    const fake = fakeElectron();
    await startLinkboard(
      startOptions(fake, {
        log,
        environment: { ...configEnvironment, LINKBOARD_REDIRECT_MODE: 'custom-scheme' },
        loadKeychain: async () => ({
          getPassword: async () => {
            throw new Error(`keychain said ${secrets.refreshToken}`);
          },
          setPassword: async () => undefined,
          deletePassword: async () => false,
        }),
      }),
    );
    const window = FakeBrowserWindow.instances[0]!;
    const ours = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    const ipc = (channel: string, payload: unknown, event: unknown = ours) =>
      fake.ipcHandlers.get(channel)!(event, payload);

    // External opener: a URL that is not Auth0's, carrying tokens in its path and query.
    await ipc('auth:open', {
      url: `https://evil.example/${secrets.accessToken}/authorize?code=${secrets.authorizationCode}&client_secret=${secrets.clientSecret}`,
    });
    // IPC refusals: bad payloads full of secrets, and a foreign sender.
    await ipc('broker:request', {
      connection: 'github',
      path: `/user?access_token=${secrets.accessToken}`,
      accessToken: secrets.accessToken,
      extra: { refresh_token: secrets.refreshToken },
    });
    await ipc('cache:set', { key: '', value: { refresh_token: secrets.refreshToken } });
    await ipc('auth:open', { url: callbackUrl }, { sender: {}, senderFrame: null });
    // Callbacks from the OS nobody waits for (the sign-in coordinator logs outcome kinds only).
    const osCallback = `linkboard://callback?code=${secrets.authorizationCode}&state=${secrets.state}`;
    fake.app.emit('open-url', { preventDefault() {} }, osCallback);
    fake.app.emit('second-instance', {}, ['/opt/Linkboard/linkboard', osCallback], '/');
    // Web contents guards.
    fake.app.emit('web-contents-created', {}, window.webContents);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      window.webContents.emit(event, { preventDefault() {} }, callbackUrl);
    }
    window.webContents.windowOpenHandler?.({ url: callbackUrl });

    const written = read();
    expectNoSecret(written);
    for (const expected of [
      'Configuration refused',
      'No OS keychain',
      'Refused to open a URL in the system browser',
      'IPC refused',
      'Ignored a sign-in callback nobody was waiting for',
      'navigation denied',
      'window.open denied',
    ]) {
      expect(written).toContain(expected);
    }
  });
});
