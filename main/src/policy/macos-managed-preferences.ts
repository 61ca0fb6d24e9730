import path from 'node:path';
import type { RawConfigSource } from '../config/raw-config-source.js';
import { ManagedPolicyError } from './managed-policy-error.js';
import { combinePolicyLayers, type PolicyLayer } from './policy-layers.js';

/** The app id: the preference domain MDM profiles (`.mobileconfig`) target. */
export const MACOS_PREFERENCE_DOMAIN = 'com.linkboard.desktop';
export const MACOS_MANAGED_PREFERENCES_DIR = '/Library/Managed Preferences';

export interface MacManagedPreferencesDeps {
  /** The signed-in user's short name, for the per-user managed preferences. */
  username: string;
  /** A plist file as JSON-like data, or null when the file does not exist. */
  readPlist(file: string): Promise<unknown>;
}

/** Where the managed preferences are, strongest first: the device's, then the user's. */
export function macManagedPreferenceFiles(username: string): string[] {
  const files = [
    path.posix.join(MACOS_MANAGED_PREFERENCES_DIR, `${MACOS_PREFERENCE_DOMAIN}.plist`),
  ];
  // A user name never contains a slash; refuse to build a path from one that does.
  if (username !== '' && !username.includes('/') && username !== '.' && username !== '..') {
    files.push(
      path.posix.join(MACOS_MANAGED_PREFERENCES_DIR, username, `${MACOS_PREFERENCE_DOMAIN}.plist`),
    );
  }
  return files;
}

/** The managed preferences for com.linkboard.desktop (device over user per key), or null. */
export async function readMacManagedPreferences(
  deps: MacManagedPreferencesDeps,
): Promise<RawConfigSource | null> {
  const layers: PolicyLayer[] = [];
  for (const file of macManagedPreferenceFiles(deps.username)) {
    let content: unknown;
    try {
      content = await deps.readPlist(file);
    } catch (error) {
      throw new ManagedPolicyError(file, 'unreadable', (error as Error).message);
    }
    if (content === null) continue;
    if (typeof content !== 'object' || Array.isArray(content)) {
      throw new ManagedPolicyError(file, 'malformed', 'the property list is not a dictionary');
    }
    layers.push({ location: file, values: { ...(content as Record<string, unknown>) } });
  }
  return combinePolicyLayers(layers);
}
