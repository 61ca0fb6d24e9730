import type {
  AppInfo,
  BrokerResponse,
  LinkboardApi,
  NextPage,
  UpdateState,
} from '@linkboard/contract/ipc';
import type { LinkedIdentity, ProviderSummary } from '@linkboard/contract/broker-api';
import { unwrap } from './unwrap';

/**
 * The renderer's only way out: `window.linkboard`, with every answer unwrapped into a value or a
 * thrown `LinkboardError`. Screens and hooks use this, never the raw bridge.
 */
export interface LinkboardClient {
  appInfo(): Promise<AppInfo>;
  updates: {
    state(): Promise<UpdateState>;
    /** Main quits and installs; refused (`update_not_ready`) unless an update is downloaded. */
    install(): Promise<void>;
  };
  auth: {
    prepare(): Promise<{ redirectUri: string }>;
    open(url: string): Promise<void>;
    cancel(): Promise<void>;
    onCallback(listener: (url: string) => void): () => void;
  };
  cache: LinkboardApi['cache'];
  identities(accessToken: string): Promise<LinkedIdentity[]>;
  providers(accessToken: string): Promise<ProviderSummary[]>;
  request(connection: string, page: NextPage, accessToken: string): Promise<BrokerResponse>;
}

export function createLinkboardClient(api: LinkboardApi): LinkboardClient {
  return {
    appInfo: () => unwrap(api.app.info()),
    updates: {
      state: () => unwrap(api.app.updateState()),
      install: async () => {
        await unwrap(api.app.installUpdate());
      },
    },
    auth: {
      prepare: () => unwrap(api.auth.prepare()),
      open: async (url) => {
        await unwrap(api.auth.open(url));
      },
      cancel: async () => {
        await unwrap(api.auth.cancel());
      },
      onCallback: (listener) => api.auth.onCallback(listener),
    },
    cache: api.cache,
    identities: async (accessToken) =>
      (await unwrap(api.broker.identities(accessToken))).identities,
    providers: async (accessToken) => (await unwrap(api.broker.providers(accessToken))).providers,
    request: (connection, page, accessToken) =>
      unwrap(api.broker.request({ connection, path: page.path, query: page.query, accessToken })),
  };
}
