import type { RawConfigSource } from '../config/raw-config-source.js';
import { readLinuxPolicyFile, type LinuxPolicyFileDeps } from './linux-policy-file.js';
import {
  readMacManagedPreferences,
  type MacManagedPreferencesDeps,
} from './macos-managed-preferences.js';
import {
  readWindowsRegistryPolicy,
  type WindowsRegistryPolicyDeps,
} from './windows-registry-policy.js';

/** Each OS reader's edges; only the current platform's are used. */
export interface ManagedPolicyDeps {
  windows: WindowsRegistryPolicyDeps;
  macos: MacManagedPreferencesDeps;
  linux?: LinuxPolicyFileDeps;
}

/**
 * The organisation's managed policy for this OS as the config service's strongest source, or null
 * when there is none (or the OS has no reader). Throws ManagedPolicyError for a policy that exists
 * but cannot be trusted or read.
 */
export function readManagedPolicy(
  platform: NodeJS.Platform,
  deps: ManagedPolicyDeps,
): Promise<RawConfigSource | null> {
  switch (platform) {
    case 'win32':
      return readWindowsRegistryPolicy(deps.windows);
    case 'darwin':
      return readMacManagedPreferences(deps.macos);
    case 'linux':
      return readLinuxPolicyFile(deps.linux);
    default:
      return Promise.resolve(null);
  }
}
