import type { UpdateState } from '@linkboard/contract';
import { describe, expect, it } from 'vitest';
import { startableUpdateControl, type UpdateService } from '../../src/updates/index.js';

function fakeService(state: UpdateState) {
  const installs: string[] = [];
  const service: UpdateService = {
    state: () => state,
    check: async () => state,
    download: async () => undefined,
    installAndRestart: () => installs.push('install'),
    subscribe: () => () => undefined,
  };
  return { service, installs };
}

describe('startableUpdateControl', () => {
  it('loads nothing before start, and says updates were not checked yet', () => {
    let loads = 0;
    const control = startableUpdateControl(async () => {
      loads += 1;
      return fakeService({ status: 'checking' }).service;
    });
    expect(control.state()).toEqual({ status: 'idle', lastCheck: 'never' });
    control.installAndRestart();
    expect(loads).toBe(0);
  });

  it('answers the loaded service state and passes "restart to install" on, loading once', async () => {
    const { service, installs } = fakeService({ status: 'downloaded', version: '0.2.0' });
    let loads = 0;
    const control = startableUpdateControl(async () => {
      loads += 1;
      return service;
    });
    control.start();
    control.start();
    await expect.poll(() => control.state()).toEqual({ status: 'downloaded', version: '0.2.0' });
    control.installAndRestart();
    expect(installs).toEqual(['install']);
    expect(loads).toBe(1);
  });

  it('turns an updater that cannot load into an error state, and reports why', async () => {
    const failures: unknown[] = [];
    const control = startableUpdateControl(
      () => Promise.reject(new Error('Cannot find module electron-updater')),
      (error) => failures.push(error),
    );
    control.start();
    await expect.poll(() => control.state().status).toBe('error');
    expect(control.state()).toEqual({ status: 'error', message: 'The updater could not start.' });
    expect(failures).toHaveLength(1);
  });
});
