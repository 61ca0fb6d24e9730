import type { ConfigSource, PublicConfig, PublicConfigKey } from '@linkboard/contract/ipc';
import type { MessageId } from '../i18n/messages-en';
import type { MessageValues } from '../i18n/message';
import { isLocale, LOCALE_NAMES } from '../i18n/locale';

type Translate = (id: MessageId, values?: MessageValues) => string;

/** The settings in the order the settings page shows them (labels: `config.{key}` messages). */
export const CONFIG_KEYS: readonly PublicConfigKey[] = [
  'auth0Domain',
  'clientId',
  'brokerAudience',
  'brokerUrl',
  'redirectMode',
  'loopbackPort',
  'updateFeedUrl',
  'updatesEnabled',
  'updateChannel',
  'proxyUrl',
  'language',
];

const CONFIG_SOURCES: readonly ConfigSource[] = [
  'policy',
  'user',
  'environment',
  'command-line',
  'default',
];

export function isConfigSource(value: unknown): value is ConfigSource {
  return typeof value === 'string' && (CONFIG_SOURCES as readonly string[]).includes(value);
}

export function describeConfigValue(
  key: PublicConfigKey,
  config: PublicConfig,
  t: Translate,
): string {
  const value = config[key];
  if (value === null) return t('config.notSet');
  if (typeof value === 'boolean') return value ? t('config.on') : t('config.off');
  if (key === 'language' && isLocale(value)) return LOCALE_NAMES[value];
  if (key === 'redirectMode') {
    return value === 'loopback' ? t('config.redirectLoopback') : t('config.redirectCustomScheme');
  }
  return String(value);
}
