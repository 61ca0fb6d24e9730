import { z } from 'zod';
import { SandboxInfo } from '@linkboard/contract';
import type { RawConfigSource } from './raw-config-source.js';

/** The line `npm run dev:stack` prints once the sandbox and the broker listen. */
export const DevStackLine = z.object({ sandbox: SandboxInfo, brokerUrl: z.string().url() });
export type DevStackLine = z.infer<typeof DevStackLine>;

/**
 * The public values a desktop app needs from the development stack, and nothing else: the
 * sandbox's M2M and Google client secrets stay out (the loader would refuse them anyway).
 */
export const DevelopmentDefaults = z
  .object({
    auth0Domain: z.string(),
    clientId: z.string(),
    brokerAudience: z.string(),
    brokerUrl: z.string(),
    updatesEnabled: z.literal(false),
  })
  .strict();
export type DevelopmentDefaults = z.infer<typeof DevelopmentDefaults>;

export function developmentDefaultsFromDevStack(line: DevStackLine): DevelopmentDefaults {
  return {
    auth0Domain: line.sandbox.domain.replace(/\/+$/, ''),
    clientId: line.sandbox.desktopClientId,
    brokerAudience: line.sandbox.brokerAudience,
    brokerUrl: line.brokerUrl,
    updatesEnabled: false,
  };
}

/** The built-in development defaults as a configuration source (development builds only). */
export function developmentDefaultsSource(
  defaults: DevelopmentDefaults,
  location = 'development stack (npm run dev:stack)',
): RawConfigSource {
  return { kind: 'default', location, values: { ...defaults } };
}
