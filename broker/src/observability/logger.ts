import { pino, type DestinationStream, type Logger } from 'pino';
// sonic-boom is CommonJS: its class is a property of the module, not a named ESM export.
import sonicBoom from 'sonic-boom';

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

/** A log destination that can be flushed: what `logger.flush` waits for. */
export interface FlushableDestination extends DestinationStream {
  /** Calls `done` once every line written so far has been handed to the system. */
  flush(done?: (error?: Error) => void): void;
  /** Writes every pending line now, blocking (when the process exits). */
  flushSync(): void;
  /** Lines dropped since the start because the output's reader fell too far behind. */
  readonly droppedLines: number;
}

/**
 * How far the output's reader may fall behind before lines are dropped: some seconds of audit
 * lines at full load. Unbounded, a stalled reader (a log pipeline that stopped draining stdout)
 * would hold every line in memory until the broker ran out of it.
 */
export const MAX_PENDING_LOG_BYTES = 16 * 1024 * 1024;

/**
 * Lines to a file descriptor (stdout in the broker), written asynchronously in batches of at
 * least 32 KiB, or each second when fewer come (the services flush on a timer and on close).
 * Each batch is one hand-off to libuv's thread pool and a wake-up of the event loop when it is
 * written; in 4 KiB batches that was a write every ~12 lines under load, and cost the broker more
 * per proxied call than making its audit line (bench/README.md, point 9).
 *
 * sonic-boom 5 rather than the 4 inside pino's `pino.destination`: its `flush` waits for every
 * pending batch (4's returns once the write in flight ends, leaving the rest for later, which would
 * leave a Lambda invocation's audit lines behind), and in its buffer mode each line is encoded
 * once, into a buffer queued and joined at write time, where the string mode appends every line
 * to one pending string and measures that string's byte length again on each write.
 */
export function batchedFileDestination(
  fd: number,
  maxPendingBytes = MAX_PENDING_LOG_BYTES,
): FlushableDestination {
  const boom = new sonicBoom.SonicBoom({
    fd,
    sync: false,
    minLength: 32 * 1024,
    maxWrite: 64 * 1024,
    maxLength: maxPendingBytes,
    contentMode: 'buffer',
  });
  // Past the bound sonic-boom drops the line instead of keeping it, and says so.
  let droppedLines = 0;
  boom.on('drop', () => {
    droppedLines += 1;
  });
  // sonic-boom's types declare `write(string)`; in buffer mode it takes buffers only.
  const writeBuffer = boom.write.bind(boom) as unknown as (line: Buffer) => boolean;
  let open = true;
  // A reader that went away (EPIPE) ends logging, as pino's own destination does; any other
  // write error is thrown.
  boom.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    open = false;
  });
  return {
    write: (line) => {
      if (open) writeBuffer(Buffer.from(line));
    },
    flush: (done) => (open ? boom.flush(done) : done?.()),
    flushSync: () => {
      if (open) boom.flushSync();
    },
    get droppedLines() {
      return droppedLines;
    },
  };
}

/** One batched destination for the process's stdout, whose last lines are written at exit. */
let stdout: FlushableDestination | undefined;

function stdoutDestination(): DestinationStream {
  if (!stdout) {
    const destination = batchedFileDestination(1);
    // At exit there is no event loop left to finish an asynchronous write.
    process.once('exit', () => destination.flushSync());
    stdout = destination;
  }
  return stdout;
}

/**
 * Logs go to stdout, written in batches (one write per hundred lines or so under load, not one
 * per line); the broker's services flush them each second and on close, so nothing is lost on a
 * clean stop, and the Lambda handler after each invocation.
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
): { logger: Logger; audit: AuditLog; droppedLines: () => number } {
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
    // Only a batched destination drops lines (one given by a test keeps every one).
    droppedLines: () => ('droppedLines' in destination ? Number(destination.droppedLines) : 0),
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
