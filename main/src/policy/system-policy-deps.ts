import os from 'node:os';
import path from 'node:path';
import { LINUX_POLICY_FILE } from './linux-policy-file.js';
import { MACOS_MANAGED_PREFERENCES_DIR } from './macos-managed-preferences.js';
import { folderTrigger, intervalTrigger, type PolicyTrigger } from './policy-watcher.js';
import { readPlistWithPlutil } from './plutil.js';
import type { ManagedPolicyDeps } from './read-managed-policy.js';
import { runRegQueryWithRegExe } from './reg-exe.js';

/** The real edges, for the Electron layer: reg.exe, plutil, /etc/linkboard/policy.json. */
export function systemPolicyDeps(): ManagedPolicyDeps {
  return {
    windows: { runRegQuery: (key) => runRegQueryWithRegExe(key), environment: process.env },
    macos: { username: os.userInfo().username, readPlist: readPlistWithPlutil },
    linux: {},
  };
}

/** A re-read however the OS behaves: a watch can miss events (network folders, a replaced folder). */
export const POLICY_RECHECK_MS = 5 * 60_000;
/** reg.exe tells no one about changes: the registry is read this often. */
export const REGISTRY_RECHECK_MS = 60_000;

/**
 * When the app reads the policy again while it runs: the policy folder's changes (Linux, macOS;
 * its managed preferences folder holds the user's profiles too) and an interval; on Windows an
 * interval alone (docs/architecture.md#managed-policy-changes).
 */
export function systemPolicyTriggers(platform: NodeJS.Platform): PolicyTrigger[] {
  switch (platform) {
    case 'linux':
      return [folderTrigger(path.dirname(LINUX_POLICY_FILE)), intervalTrigger(POLICY_RECHECK_MS)];
    case 'darwin':
      return [folderTrigger(MACOS_MANAGED_PREFERENCES_DIR), intervalTrigger(POLICY_RECHECK_MS)];
    case 'win32':
      return [intervalTrigger(REGISTRY_RECHECK_MS)];
    default:
      return [];
  }
}
