import type { DesktopServices } from '../services/desktop-services.js';
import { DesktopError } from '../errors/desktop-error.js';
import type { IpcHandlers } from './ipc-registry.js';

/**
 * Every channel of the contract wired to the services, as one object: `satisfies IpcHandlers`
 * makes a missing or extra channel a compile error. The Electron layer and the end-to-end host
 * both hand it to the registry, so both run exactly this. The registry has already checked the
 * sender and parsed the payload when a handler runs.
 */
export function ipcHandlers(services: DesktopServices) {
  return {
    'auth:prepare': ({ language }) => services.signIn.prepare(language ? { language } : {}),
    'auth:open': async ({ url }) => {
      await services.externalOpener.open(url);
      return {};
    },
    'auth:openConnect': async ({ url, state }) => {
      await services.externalOpener.openConnect(url, state);
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
      // Sign-out: nothing of this user's stays on disk, their provider images included.
      await Promise.all([services.tokenStore.clear(), services.images?.clear()]);
      return {};
    },

    'views:get': ({ subject, key }) => ({ cached: services.views.get(subject, key) }),
    'views:set': ({ subject, key, data }) => {
      services.views.set(subject, key, data);
      return {};
    },

    'broker:request': (request) => services.brokerClient.request(request),
    'broker:identities': ({ accessToken, fresh }) =>
      services.brokerClient.identities(accessToken, { fresh: fresh === true }),
    'broker:providers': async ({ accessToken }) => {
      const answer = await services.brokerClient.providers(accessToken);
      // The broker's catalogue, not the page, says where each provider's pages are.
      services.providerPages.learn(answer.providers);
      services.images?.learn(answer.providers);
      try {
        // For the next start's kept views, before the broker answers again.
        services.views.keepOrigins(answer.providers);
      } catch {
        // Not kept (a file that cannot be written): the next start waits for the broker instead.
      }
      return answer;
    },

    'web:open': async ({ connection, url }) => {
      await services.providerPages.open(connection, url);
      return {};
    },
    'web:copy': ({ connection, url }) => {
      services.providerPages.copy(connection, url);
      return {};
    },

    'app:info': () => services.appInfo(),
    'app:updateState': () => services.updates.state(),
    'app:openLogFolder': async () => {
      await services.support.openLogFolder();
      return {};
    },
    'app:copyDiagnostics': async () => ({ text: await services.support.copyDiagnostics() }),
    'app:installUpdate': () => {
      // The page may ask at any time; only a downloaded (and so signature-checked) update installs.
      if (services.updates.state().status !== 'downloaded') {
        throw new DesktopError('update_not_ready', 'No update is ready to install.');
      }
      services.updates.installAndRestart();
      return {};
    },
  } satisfies IpcHandlers;
}
