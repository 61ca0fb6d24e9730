import type { AppInfo } from '@linkboard/contract';
import type { ExternalOpener } from '../auth/external-opener.js';
import type { SignInCoordinator } from '../auth/sign-in-coordinator.js';
import type { BrokerClient } from '../broker/broker-client.js';
import type { TokenStore } from '../tokens/token-store.js';
import type { UpdateControl } from '../updates/update-control.js';
import { IpcFailure } from './ipc-failure.js';
import type { IpcHandlers } from './ipc-registry.js';

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
 * Every channel of the contract wired to the services, as one object: `satisfies IpcHandlers`
 * makes a missing or extra channel a compile error. The Electron layer and the end-to-end host
 * both hand it to the registry, so both run exactly this. The registry has already checked the
 * sender and parsed the payload when a handler runs.
 */
export function ipcHandlers(services: DesktopServices) {
  return {
    'auth:prepare': () => services.signIn.prepare(),
    'auth:open': async ({ url }) => {
      await services.externalOpener.open(url);
      return {};
    },
    'auth:cancel': () => {
      services.signIn.cancel();
      return {};
    },

    'cache:get': async ({ key }) => ({ value: (await services.tokenStore.get(key)) ?? null }),
    'cache:set': async ({ key, value }) => {
      await services.tokenStore.set(key, value);
      return {};
    },
    'cache:remove': async ({ key }) => {
      await services.tokenStore.remove(key);
      return {};
    },
    'cache:allKeys': async () => ({ keys: await services.tokenStore.allKeys() }),
    'cache:clear': async () => {
      await services.tokenStore.clear();
      return {};
    },

    'broker:request': (request) => services.brokerClient.request(request),
    'broker:identities': ({ accessToken }) => services.brokerClient.identities(accessToken),
    'broker:providers': ({ accessToken }) => services.brokerClient.providers(accessToken),

    'app:info': () => services.appInfo(),
    'app:updateState': () => services.updates.state(),
    'app:installUpdate': () => {
      // The page may ask at any time; only a downloaded (and so signature-checked) update installs.
      if (services.updates.state().status !== 'downloaded') {
        throw new IpcFailure('update_not_ready', 'No update is ready to install.');
      }
      services.updates.installAndRestart();
      return {};
    },
  } satisfies IpcHandlers;
}
