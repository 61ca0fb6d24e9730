import { z } from 'zod';

/**
 * The one JSON line `npm run broker` (and the production bundle) prints on stdout once it listens:
 * where it answers, and each connection mount's own origin when `BROKER_CONNECTION_PORTS` sets
 * some. Whatever starts a broker and waits for it reads this line.
 */
export const BrokerStartLine = z.object({
  brokerUrl: z.string().url(),
  connectionUrls: z.record(z.string(), z.string().url()).optional(),
});
export type BrokerStartLine = z.infer<typeof BrokerStartLine>;
