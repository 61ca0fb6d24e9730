import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Paths pino blanks in every log line. Fastify's request serializer logs no headers, but anything
 * that ever logs a header set, an upstream request or a token answer is covered here too.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  '*.authorization',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.client_secret',
  '*.clientSecret',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  'access_token',
  'refresh_token',
  'client_secret',
  'token',
];

/**
 * Logs go to stdout, written in 4 KiB batches (one write per few lines under load, not one per
 * line); `flushLogs` runs on close so nothing is lost on a clean stop.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  destination ??= pino.destination({ dest: 1, sync: false, minLength: 4096 });
  return pino(
    {
      level,
      base: { service: 'linkboard-broker' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
