import { z } from 'zod';
import type { RawConfigSource } from './raw-config-source.js';

/**
 * The public values a development build takes from the development stack, and nothing else: the
 * sandbox's M2M and Google client secrets stay out (the loader would refuse them anyway).
 * `npm start` derives them from the stack's start line (`@linkboard/dev-stack`) and passes them as
 * JSON in `LINKBOARD_DEV_DEFAULTS`; this schema is what main accepts there.
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

/** The built-in development defaults as a configuration source (development builds only). */
export function developmentDefaultsSource(
  defaults: DevelopmentDefaults,
  location = 'development stack (npm run dev:stack)',
): RawConfigSource {
  return { kind: 'default', location, values: { ...defaults } };
}
