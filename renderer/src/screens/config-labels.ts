import type { ConfigSource, PublicConfig, PublicConfigKey } from '@linkboard/contract/ipc';

/** The settings as people call them, in the order the settings page shows them. */
export const CONFIG_LABELS: Record<PublicConfigKey, string> = {
  auth0Domain: 'Sign-in domain',
  clientId: 'Client ID',
  brokerAudience: 'Service audience',
  brokerUrl: 'Service URL',
  redirectMode: 'Sign-in return',
  loopbackPort: 'Sign-in return port',
  updateFeedUrl: 'Update feed',
  updatesEnabled: 'Automatic updates',
  updateChannel: 'Update channel',
};

export const SOURCE_LABELS: Record<ConfigSource, string> = {
  policy: 'Managed by your organisation',
  user: 'Your settings',
  environment: 'Environment variable',
  'command-line': 'Command line',
  default: 'Built-in default',
};

export function describeConfigValue(key: PublicConfigKey, config: PublicConfig): string {
  const value = config[key];
  if (value === null) return 'Not set';
  if (typeof value === 'boolean') return value ? 'On' : 'Off';
  if (key === 'redirectMode') {
    return value === 'loopback' ? 'Local address on this computer' : 'linkboard:// link';
  }
  return String(value);
}
