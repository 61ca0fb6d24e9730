import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Paths pino blanks in every log line. Fastify's request serializer logs no headers, but anything
 * that ever logs a header set, an upstream request or a token answer is covered here too.
 */
const REDACTED_PATHS = [
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
 * stdout, written asynchronously in batches of at least 4 KiB. sonic-boom appends each line to
 * one pending string and measures that string's byte length on every write; capping a write at
 * 8 KiB (default 16) halves that per-line work while a write is in flight, as it is under load.
 */
function stdoutDestination(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096, maxWrite: 8192 });
}

/**
 * Logs go to stdout, written in 4 KiB batches (one write per few lines under load, not one per
 * line); `flushLogs` runs on close so nothing is lost on a clean stop.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  destination ??= stdoutDestination();
  return createLoggers(level, destination).logger;
}

/** The audit line of one proxied call: named fields only, none of them a credential. */
export interface AuditEntry {
  requestId: string;
  user: string;
  connection: string | undefined;
  method: string;
  pathPattern: string | undefined;
  status: number;
  outcome: string;
  upstreamStatus: number | undefined;
  refreshed: boolean;
  durationMs: number;
}

export interface AuditLog {
  write(entry: AuditEntry): void;
}

/**
 * The broker's logger (with redaction) and its audit log, both writing to one destination. The
 * audit log skips pino's generic serialisation and redaction pass, which cost more than the rest
 * of a proxied call's logging: its entries are a fixed set of typed fields that cannot hold a
 * token, written as one `JSON.stringify`d line in pino's own shape (level, time, service, msg).
 */
export function createLoggers(
  level: string,
  destination: DestinationStream = stdoutDestination(),
): { logger: Logger; audit: AuditLog } {
  const base = { service: 'linkboard-broker' };
  const logger = pino(
    {
      level,
      base,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
  const infoLevel = pino.levels.values.info!;
  // The audit line's time, made once per millisecond: under load several lines share it.
  let lastMs = Number.NaN;
  let lastTime = '';
  const isoTimeNow = () => {
    const now = Date.now();
    if (now !== lastMs) {
      lastMs = now;
      lastTime = new Date(now).toISOString();
    }
    return lastTime;
  };
  return {
    logger,
    audit: {
      write: (entry) => {
        // The level may change at run time (logger.level = …): read it per line.
        if (logger.levelVal > infoLevel) return;
        destination.write(
          `${JSON.stringify({
            level: infoLevel,
            time: isoTimeNow(),
            service: base.service,
            audit: 'idp_call',
            requestId: entry.requestId,
            user: entry.user,
            connection: entry.connection,
            method: entry.method,
            pathPattern: entry.pathPattern,
            status: entry.status,
            outcome: entry.outcome,
            upstreamStatus: entry.upstreamStatus,
            refreshed: entry.refreshed,
            durationMs: entry.durationMs,
            msg: 'proxied call',
          })}\n`,
        );
      },
    },
  };
}
