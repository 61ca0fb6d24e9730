import { z } from 'zod';
import { SandboxInfo } from '@linkboard/sandbox/start-line';

/** The line `npm run dev:stack` prints once the sandbox and the broker listen. */
export const DevStackLine = z.object({ sandbox: SandboxInfo, brokerUrl: z.string().url() });
export type DevStackLine = z.infer<typeof DevStackLine>;

/**
 * The public values a desktop app needs from the development stack, and nothing else: the
 * sandbox's M2M and Google client secrets stay out (main's loader would refuse them anyway).
 * `npm start` hands them to the app as JSON in `LINKBOARD_DEV_DEFAULTS`, which main reads
 * with its own `DevelopmentDefaults` schema (main/src/config/development-defaults.ts).
 */
export interface DevelopmentDefaultsOfStack {
  auth0Domain: string;
  clientId: string;
  brokerAudience: string;
  brokerUrl: string;
  updatesEnabled: false;
}

export function developmentDefaultsFromDevStack(line: DevStackLine): DevelopmentDefaultsOfStack {
  return {
    auth0Domain: line.sandbox.domain.replace(/\/+$/, ''),
    clientId: line.sandbox.desktopClientId,
    brokerAudience: line.sandbox.brokerAudience,
    brokerUrl: line.brokerUrl,
    updatesEnabled: false,
  };
}
