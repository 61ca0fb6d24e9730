import type { Logger } from './start-linkboard.js';

/**
 * One JSON line per event on stderr. Callers pass reasons, codes and channel names only; no
 * payload, URL query or token is ever a field.
 */
export function stderrLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const entry =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
  return { info: entry('info'), warn: entry('warn'), error: entry('error') };
}
