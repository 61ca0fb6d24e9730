import type { AppInfo } from '@linkboard/contract';
import type { ExternalOpener } from '../auth/external-opener.js';
import type { SignInCoordinator } from '../auth/sign-in-coordinator.js';
import type { BrokerClient } from '../broker/broker-client.js';
import type { TokenStore } from '../tokens/token-store.js';
import type { UpdateControl } from '../updates/update-control.js';
import { IpcFailure } from './ipc-failure.js';
import type { IpcRegistry } from './ipc-registry.js';

/** What the IPC handlers need: the services, already plugged into their edges. */
export interface DesktopServices {
  signIn: SignInCoordinator;
  externalOpener: ExternalOpener;
  tokenStore: TokenStore;
  brokerClient: BrokerClient;
  appInfo(): AppInfo;
  /** The update service, or a stand-in that answers `disabled` (development, the e2e host). */
  updates: UpdateControl;
}

/**
 * The one wiring of every channel of the contract to the services, shared by the Electron layer
 * and the end-to-end host so both run exactly this. The registry has already checked the sender
 * and parsed the payload when a handler runs.
 */
export function registerIpcHandlers(registry: IpcRegistry, services: DesktopServices): void {
  registry.handle('auth:prepare', () => services.signIn.prepare());
  registry.handle('auth:open', async ({ url }) => {
    await services.externalOpener.open(url);
    return {};
  });
  registry.handle('auth:cancel', () => {
    services.signIn.cancel();
    return {};
  });

  registry.handle('cache:get', async ({ key }) => ({
    value: (await services.tokenStore.get(key)) ?? null,
  }));
  registry.handle('cache:set', async ({ key, value }) => {
    await services.tokenStore.set(key, value);
    return {};
  });
  registry.handle('cache:remove', async ({ key }) => {
    await services.tokenStore.remove(key);
    return {};
  });
  registry.handle('cache:allKeys', async () => ({ keys: await services.tokenStore.allKeys() }));
  registry.handle('cache:clear', async () => {
    await services.tokenStore.clear();
    return {};
  });

  registry.handle('broker:request', (request) => services.brokerClient.request(request));
  registry.handle('broker:identities', ({ accessToken }) =>
    services.brokerClient.identities(accessToken),
  );
  registry.handle('broker:providers', ({ accessToken }) =>
    services.brokerClient.providers(accessToken),
  );

  registry.handle('app:info', () => services.appInfo());
  registry.handle('app:updateState', () => services.updates.state());
  registry.handle('app:installUpdate', () => {
    // The page may ask at any time; only a downloaded (and so signature-checked) update installs.
    if (services.updates.state().status !== 'downloaded') {
      throw new IpcFailure('update_not_ready', 'No update is ready to install.');
    }
    services.updates.installAndRestart();
    return {};
  });
}
