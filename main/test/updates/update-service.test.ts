import { EventEmitter } from 'node:events';
import { UpdateState } from '@linkboard/contract';
import { describe, expect, it } from 'vitest';
import {
  createUpdateService,
  disabledUpdateState,
  type GenericFeedOptions,
  type UpdaterPort,
} from '../../src/updates/index.js';

/**
 * A stand-in for electron-updater's autoUpdater: an event emitter that records every property the
 * service writes and every call it makes, and answers checks the way the test scripts it.
 */
class FakeUpdater extends EventEmitter {
  writes: Array<[string, unknown]> = [];
  calls: string[] = [];
  feeds: GenericFeedOptions[] = [];
  nextCheck: 'none' | 'found' | 'fails' | 'found-download-fails' = 'none';

  constructor() {
    super();
    // electron-updater's defaults.
    Object.assign(this, {
      autoDownload: true,
      autoInstallOnAppQuit: true,
      allowDowngrade: false,
      allowPrerelease: false,
      channel: null,
    });
  }

  setFeedURL(options: GenericFeedOptions) {
    this.calls.push('setFeedURL');
    this.feeds.push(options);
  }

  async checkForUpdates() {
    this.calls.push('checkForUpdates');
    this.emit('checking-for-update');
    if (this.nextCheck === 'fails') {
      const error = new Error(
        'HttpError: 404 Not Found\n"method: GET url: https://feed/latest.yml"',
      );
      this.emit('error', error);
      throw error;
    }
    if (this.nextCheck === 'found-download-fails') {
      // electron-updater with autoDownload: the download starts at once, its promise is returned.
      this.emit('update-available', { version: '1.2.0' });
      const failure = new Error('sha512 checksum mismatch, expected abc, got def');
      const downloadPromise = Promise.reject(failure);
      queueMicrotask(() => this.emit('error', failure));
      return { isUpdateAvailable: true, downloadPromise };
    }
    if (this.nextCheck === 'found') this.emit('update-available', { version: '1.2.0' });
    else this.emit('update-not-available', { version: '1.0.0' });
    return null;
  }

  async downloadUpdate() {
    this.calls.push('downloadUpdate');
    this.emit('download-progress', { percent: 40 });
    this.emit('update-downloaded', { version: '1.2.0', downloadedFile: '/tmp/x' });
    return [];
  }

  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean) {
    this.calls.push(`quitAndInstall(${isSilent}, ${isForceRunAfter})`);
  }
}

function fakeUpdater(): { port: UpdaterPort; fake: FakeUpdater; touched: string[] } {
  const fake = new FakeUpdater();
  const touched: string[] = [];
  const port = new Proxy(fake, {
    set(target, property, value) {
      // EventEmitter's own bookkeeping (`_events`, `_eventsCount`) is not the service's doing.
      if (!String(property).startsWith('_')) target.writes.push([String(property), value]);
      return Reflect.set(target, property, value);
    },
    get(target, property, receiver) {
      touched.push(String(property));
      return Reflect.get(target, property, receiver);
    },
  }) as unknown as UpdaterPort;
  return { port, fake, touched };
}

const enabled = {
  updatesEnabled: true,
  updateFeedUrl: 'https://updates.contoso.com/linkboard',
  updateChannel: null,
};

describe('createUpdateService', () => {
  it('leaves the updater untouched when configuration turns updates off', async () => {
    const { port, touched } = fakeUpdater();
    const service = createUpdateService({
      updater: port,
      config: { ...enabled, updatesEnabled: false },
      isPackaged: true,
    });
    expect(service.state()).toEqual({ status: 'disabled', reason: 'turned-off' });
    expect(await service.check()).toEqual({ status: 'disabled', reason: 'turned-off' });
    await service.download();
    service.installAndRestart();
    expect(touched).toEqual([]);
  });

  it('says why updates are off without an updater', () => {
    expect(
      disabledUpdateState({ config: { ...enabled, updatesEnabled: false }, isPackaged: true }),
    ).toEqual({
      status: 'disabled',
      reason: 'turned-off',
    });
    expect(disabledUpdateState({ config: enabled, isPackaged: false })).toEqual({
      status: 'disabled',
      reason: 'not-packaged',
    });
    expect(disabledUpdateState({ config: enabled, isPackaged: true })).toBeNull();
  });

  it('does not update a development build', async () => {
    const { port, touched } = fakeUpdater();
    const service = createUpdateService({ updater: port, config: enabled, isPackaged: false });
    expect(await service.check()).toEqual({ status: 'disabled', reason: 'not-packaged' });
    expect(touched).toEqual([]);
  });

  it('sets only safe options: no signature override, no dev config, no downgrade, no prerelease', () => {
    const { port, fake } = fakeUpdater();
    createUpdateService({
      updater: port,
      config: { ...enabled, updateChannel: 'beta' },
      isPackaged: true,
    });
    const written = fake.writes.map(([property]) => property);
    expect(written).not.toContain('verifyUpdateCodeSignature');
    expect(written).not.toContain('forceDevUpdateConfig');
    expect(written).not.toContain('disableWebInstaller');
    expect(Object.fromEntries(fake.writes)).toEqual({
      autoDownload: true,
      autoInstallOnAppQuit: true,
      allowPrerelease: false,
      channel: 'beta',
      allowDowngrade: false,
    });
    // allowDowngrade is written after channel, which turns it on in electron-updater.
    expect(written.indexOf('allowDowngrade')).toBeGreaterThan(written.indexOf('channel'));
  });

  it('uses the generic feed from configuration and pins the configured channel', () => {
    const { port, fake } = fakeUpdater();
    createUpdateService({
      updater: port,
      config: { ...enabled, updateChannel: 'beta' },
      isPackaged: true,
    });
    expect(fake.feeds).toEqual([
      { provider: 'generic', url: 'https://updates.contoso.com/linkboard', channel: 'beta' },
    ]);
  });

  it('keeps the feed the installer was built with when configuration names none', () => {
    const { port, fake } = fakeUpdater();
    createUpdateService({
      updater: port,
      config: { ...enabled, updateFeedUrl: null },
      isPackaged: true,
    });
    expect(fake.feeds).toEqual([]);
    expect(fake.writes.map(([property]) => property)).not.toContain('channel');
  });

  it('goes idle → checking → idle (up to date)', async () => {
    const { port } = fakeUpdater();
    const service = createUpdateService({ updater: port, config: enabled, isPackaged: true });
    const seen: UpdateState[] = [];
    service.subscribe((state) => seen.push(state));
    expect(service.state()).toEqual({ status: 'idle', lastCheck: 'never' });
    expect(await service.check()).toEqual({ status: 'idle', lastCheck: 'up-to-date' });
    expect(seen).toEqual([{ status: 'checking' }, { status: 'idle', lastCheck: 'up-to-date' }]);
  });

  it('goes checking → available → downloading → downloaded → install, waiting for download() when asked to', async () => {
    const { port, fake } = fakeUpdater();
    fake.nextCheck = 'found';
    const service = createUpdateService({
      updater: port,
      config: enabled,
      isPackaged: true,
      autoDownload: false,
    });
    const seen: UpdateState[] = [];
    const unsubscribe = service.subscribe((state) => seen.push(state));
    service.installAndRestart(); // nothing downloaded yet: ignored
    expect(await service.check()).toEqual({ status: 'available', version: '1.2.0' });
    await service.download();
    service.installAndRestart();
    unsubscribe();
    expect(seen).toEqual([
      { status: 'checking' },
      { status: 'available', version: '1.2.0' },
      { status: 'downloading', version: '1.2.0', percent: 40 },
      { status: 'downloaded', version: '1.2.0' },
    ]);
    expect(fake.calls).toEqual([
      'setFeedURL',
      'checkForUpdates',
      'downloadUpdate',
      'quitAndInstall(false, true)',
    ]);
    expect(Object.fromEntries(fake.writes).autoDownload).toBe(false);
    for (const state of seen) expect(UpdateState.safeParse(state).success).toBe(true);
  });

  it('reports a failed automatic download as an error, without an unhandled rejection', async () => {
    const { port, fake } = fakeUpdater();
    fake.nextCheck = 'found-download-fails';
    const service = createUpdateService({ updater: port, config: enabled, isPackaged: true });
    await service.check();
    await new Promise((resolve) => setImmediate(resolve));
    expect(service.state()).toEqual({
      status: 'error',
      message: 'sha512 checksum mismatch, expected abc, got def',
    });
  });

  it('reports a failed check as an error state with a short message, and can check again', async () => {
    const { port, fake } = fakeUpdater();
    fake.nextCheck = 'fails';
    const service = createUpdateService({ updater: port, config: enabled, isPackaged: true });
    expect(await service.check()).toEqual({ status: 'error', message: 'HttpError: 404 Not Found' });
    fake.nextCheck = 'none';
    expect(await service.check()).toEqual({ status: 'idle', lastCheck: 'up-to-date' });
  });
});
