import os from 'node:os';
import type { AppInfo } from '@linkboard/contract';
import type { BrokerReachability } from '../broker/broker-client.js';
import type { LoadedConfig } from '../config/load-config.js';
import { diagnosticsText, type DiagnosticsInput } from './diagnostics.js';

/** Settings' "Open log folder" and "Copy diagnostics". */
export interface SupportDesk {
  openLogFolder(): Promise<void>;
  /** Puts the diagnostics on the clipboard and returns them. */
  copyDiagnostics(): Promise<string>;
}

/** The edges: `shell.openPath` and `clipboard.writeText` in the app. */
export interface SupportEdges {
  /** The folder of main.log (`app.getPath('logs')`). */
  logFolder: string;
  openFolder(path: string): Promise<void>;
  copyText(text: string): void;
}

export interface SupportDeskOptions extends SupportEdges {
  appInfo(): AppInfo;
  loaded(): Pick<LoadedConfig, 'locations' | 'ignoredKeys'>;
  brokerReachability(): Promise<BrokerReachability>;
  system?: DiagnosticsInput['system'];
  now?: () => Date;
}

export function createSupportDesk(options: SupportDeskOptions): SupportDesk {
  return {
    openLogFolder: () => options.openFolder(options.logFolder),
    async copyDiagnostics() {
      const { locations, ignoredKeys } = options.loaded();
      const text = diagnosticsText({
        info: options.appInfo(),
        locations,
        ignoredKeys,
        broker: await options.brokerReachability(),
        logFolder: options.logFolder,
        system: options.system ?? {
          platform: process.platform,
          release: os.release(),
          arch: process.arch,
          versions: { ...process.versions },
        },
        now: options.now?.() ?? new Date(),
      });
      options.copyText(text);
      return text;
    },
  };
}
