export { ManagedPolicyError, type ManagedPolicyProblem } from './managed-policy-error.js';
export { combinePolicyLayers, type PolicyLayer } from './policy-layers.js';
export { parseRegQueryOutput, registryValueData, type RegistryValue } from './reg-query-output.js';
export {
  readWindowsRegistryPolicy,
  WINDOWS_POLICY_KEYS,
  type RegQueryResult,
  type RegQueryRunner,
  type WindowsRegistryPolicyDeps,
} from './windows-registry-policy.js';
export {
  macManagedPreferenceFiles,
  MACOS_MANAGED_PREFERENCES_DIR,
  MACOS_PREFERENCE_DOMAIN,
  readMacManagedPreferences,
  type MacManagedPreferencesDeps,
} from './macos-managed-preferences.js';
export {
  LINUX_POLICY_FILE,
  readLinuxPolicyFile,
  type LinuxPolicyFileDeps,
} from './linux-policy-file.js';
export { readManagedPolicy, type ManagedPolicyDeps } from './read-managed-policy.js';
export { runRegQueryWithRegExe, systemRegExe } from './reg-exe.js';
export { readPlistWithPlutil } from './plutil.js';
export { systemPolicyDeps } from './system-policy-deps.js';
