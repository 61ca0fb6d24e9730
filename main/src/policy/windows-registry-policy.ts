import type { RawConfigSource } from '../config/raw-config-source.js';
import { ManagedPolicyError } from './managed-policy-error.js';
import { combinePolicyLayers, type PolicyLayer } from './policy-layers.js';
import { parseRegQueryOutput, registryValueData } from './reg-query-output.js';

/** The policy keys, strongest first: the machine's (GPO computer policy) wins over the user's. */
export const WINDOWS_POLICY_KEYS = [
  String.raw`HKLM\SOFTWARE\Policies\Linkboard`,
  String.raw`HKCU\SOFTWARE\Policies\Linkboard`,
] as const;

export interface RegQueryResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `reg query <key>` (reg.exe, in the real app) and returns what it printed. */
export type RegQueryRunner = (key: string) => Promise<RegQueryResult>;

export interface WindowsRegistryPolicyDeps {
  runRegQuery: RegQueryRunner;
  /** For REG_EXPAND_SZ values; the process environment in the app. */
  environment: Readonly<Record<string, string | undefined>>;
}

// reg.exe exits 1 and says so on stderr when the key does not exist: no policy, not an error.
const KEY_MISSING = /unable to find the specified registry key/i;

/** The Linkboard group policy (HKLM over HKCU per value), or null when neither key exists. */
export async function readWindowsRegistryPolicy(
  deps: WindowsRegistryPolicyDeps,
): Promise<RawConfigSource | null> {
  const layers: PolicyLayer[] = [];
  for (const key of WINDOWS_POLICY_KEYS) {
    const result = await deps.runRegQuery(key);
    if (result.exitCode !== 0) {
      if (result.exitCode === 1 && KEY_MISSING.test(result.stderr)) continue;
      throw new ManagedPolicyError(
        key,
        'unreadable',
        `reg query exited with ${result.exitCode}: ${result.stderr.trim() || 'no message'}`,
      );
    }
    const values: Record<string, unknown> = {};
    for (const value of parseRegQueryOutput(result.stdout)) {
      if (value.name === '(Default)') continue;
      values[value.name] = registryValueData(value, deps.environment);
    }
    layers.push({ location: key, values });
  }
  return combinePolicyLayers(layers);
}
