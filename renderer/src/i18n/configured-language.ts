import { useMemo, useSyncExternalStore } from 'react';
import type { AppInfo } from '@linkboard/contract/ipc';
import type { SessionController } from '../auth/session-controller';
import type { ConfiguredLanguage } from './locale';

/** The language the configuration's `language` key forces, or null when it leaves it to the user. */
export function configuredLanguage(info: AppInfo | null): ConfiguredLanguage | null {
  const locale = info?.config.language ?? null;
  if (!info || locale === null) return null;
  return { locale, source: info.sources['language'] ?? 'default' };
}

const noSubscription = () => () => undefined;

/** `configuredLanguage` of the app info the session read at start (null until it has). */
export function useConfiguredLanguage(
  controller: SessionController | null,
): ConfiguredLanguage | null {
  const info = useSyncExternalStore(
    controller ? controller.subscribe : noSubscription,
    () => controller?.getSnapshot().info ?? null,
  );
  return useMemo(() => configuredLanguage(info), [info]);
}
