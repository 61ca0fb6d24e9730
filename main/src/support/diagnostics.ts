import type { AppInfo, PublicConfigKey } from '@linkboard/contract';
import { CONFIG_KEYS } from '../config/config-keys.js';
import type { LoadedConfig } from '../config/load-config.js';
import type { BrokerReachability } from '../broker/broker-client.js';
import { isSensitiveKey, redactText } from '../logging/redact.js';

/** Everything a support report says; none of it a token or secret. */
export interface DiagnosticsInput {
  info: AppInfo;
  locations: LoadedConfig['locations'];
  ignoredKeys: LoadedConfig['ignoredKeys'];
  broker: BrokerReachability;
  logFolder: string;
  system: {
    platform: string;
    release: string;
    arch: string;
    versions: Record<string, string | undefined>;
  };
  now: Date;
}

function configValue(key: PublicConfigKey, info: AppInfo): string {
  // No public key names a secret (a test checks that); this keeps a future one out of reports.
  if (isSensitiveKey(key)) return '(hidden)';
  const value = info.config[key];
  return value === null ? '(not set)' : String(value);
}

/**
 * The text "Copy diagnostics" puts on the clipboard: version, OS, where each setting comes from
 * and its value, whether the broker answers, and how sign-in is kept — never a token, and passed
 * through the log redaction as a last net (docs/architecture.md#logs).
 */
export function diagnosticsText(input: DiagnosticsInput): string {
  const { info, system } = input;
  const runtime = ['electron', 'chrome', 'node']
    .filter((name) => system.versions[name])
    .map((name) => `${name} ${system.versions[name]}`)
    .join(', ');
  const locations = [...new Set(CONFIG_KEYS.map((key) => input.locations[key]))];
  const lines = [
    `${info.name} ${info.version} — diagnostics of ${input.now.toISOString()}`,
    `OS: ${system.platform} ${system.release} (${system.arch}); ${runtime}`,
    `Sign-in kept: ${info.tokenStorage === 'keychain' ? 'OS keychain' : 'memory only (no keychain)'}`,
    `Broker: ${info.config.brokerUrl} — ${
      input.broker.reachable
        ? `reachable (HTTP ${input.broker.status} in ${input.broker.milliseconds} ms)`
        : `not reachable (${input.broker.reason})`
    }`,
    `Proxy: ${info.config.proxyUrl ?? 'the system settings'}`,
    `Log folder: ${input.logFolder}`,
    '',
    'Configuration sources:',
    ...locations.map((location) => `  ${location}`),
    '',
    'Configuration (key = value [source: where]):',
    ...CONFIG_KEYS.map(
      (key) =>
        `  ${key} = ${configValue(key, info)} [${info.sources[key] ?? 'unknown'}: ${input.locations[key]}]`,
    ),
    ...(input.ignoredKeys.length > 0
      ? [
          '',
          'Ignored keys:',
          ...input.ignoredKeys.map(({ location, key }) => `  ${key} (${location})`),
        ]
      : []),
  ];
  return redactText(`${lines.join('\n')}\n`);
}
