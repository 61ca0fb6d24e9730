/**
 * Where main reports what happened: a redacted file in the app
 * (electron/file-logger.ts), a list the end-to-end host keeps. Callers pass reasons, codes and
 * channel names only; no payload, URL query or token is ever a field. A part that only ever warns
 * takes `Pick<Logger, 'warn'>`.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
