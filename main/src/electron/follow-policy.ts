import type { RawConfigSource } from '../config/raw-config-source.js';
import { loadStartupConfig, type StartupConfigOptions } from '../config/startup-config.js';
import type { Logger } from '../logging/logger.js';
import {
  replayReading,
  watchManagedPolicy,
  type PolicyTrigger,
  type PolicyWatcher,
} from '../policy/policy-watcher.js';
import type { DesktopServices } from '../services/desktop-services.js';

export interface FollowPolicyOptions {
  /** How the app loaded its configuration at start; reloads go through the same checks. */
  startup: StartupConfigOptions;
  /** The policy the app started with. */
  initial: RawConfigSource | null;
  triggers: PolicyTrigger[];
  services: DesktopServices;
  /** `session.setProxy`: the proxy key, or the system's settings when it is unset. */
  setProxy(proxyUrl: string | null): Promise<void>;
  /** The refusal of a configuration at start: its dialog, then exit 78. */
  refuse(refusal: { message: string; exitCode: number }): Promise<unknown>;
  log: Logger;
}

/**
 * Follows the managed policy while the app runs (docs/architecture.md#managed-policy-changes):
 * each change is loaded again with everything else the app started with. A configuration that
 * would be refused at start (a secret, an invalid value, an untrusted policy file) stops the app
 * the same way; otherwise the live keys (broker URL, proxy) apply from the next request on.
 */
export function followManagedPolicy(options: FollowPolicyOptions): PolicyWatcher {
  const { log, services } = options;
  return watchManagedPolicy({
    read: options.startup.readPolicy,
    initial: options.initial,
    triggers: options.triggers,
    async onChange(reading) {
      const result = await loadStartupConfig({
        ...options.startup,
        readPolicy: replayReading(reading),
      });
      if (!result.ok) {
        await options.refuse(result);
        return;
      }
      const before = services.appInfo().config.proxyUrl;
      const update = services.applyConfig(result.loaded);
      if (update.loaded.config.proxyUrl !== before) {
        await options.setProxy(update.loaded.config.proxyUrl);
      }
      log.info('Managed policy changed', {
        applied: update.applied,
        atNextStart: update.atNextStart,
      });
    },
  });
}
