import os from 'node:os';
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
