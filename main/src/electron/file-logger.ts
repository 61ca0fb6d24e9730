import type ElectronLog from 'electron-log';
import { redactFields, redactText } from '../logging/redact.js';
import type { Logger } from '../logging/logger.js';

/** Rotation: past this size the file becomes `main.old.log` (the one before it is dropped). */
export const LOG_FILE_MAX_BYTES = 5 * 1024 * 1024;

export interface FileLoggerOptions {
  /** The log file: `main.log` in `app.getPath('logs')`, the OS's log folder for the app. */
  file: string;
  /** Also write to the terminal (development). */
  console?: boolean;
}

export interface FileLogger extends Logger {
  /** The file this logger writes, for "Open log folder" and diagnostics. */
  file(): string;
}

/**
 * Main's Logger over electron-log: its file transport (the OS's standard log folder, rotation at
 * 5 MiB, readable by the user only) at `info` and above, nothing sent to the renderer or over the
 * network. Every entry passes the redaction of docs/architecture.md#logs before any transport sees
 * it — as a hook, so a direct electron-log call is redacted too.
 */
export function fileLogger(log: ElectronLog.NodeLogger, options: FileLoggerOptions): FileLogger {
  const { file: transport } = log.transports;
  transport.level = 'info';
  transport.maxSize = LOG_FILE_MAX_BYTES;
  transport.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
  transport.format = '[{y}-{m}-{d} {h}:{i}:{s}.{ms}] [{level}] {text}';
  transport.resolvePathFn = () => options.file;
  log.transports.console.level = options.console ? 'info' : false;
  for (const name of ['ipc', 'remote']) {
    const other = log.transports[name];
    if (other) other.level = false;
  }
  log.hooks.push((message) => ({
    ...message,
    data: message.data.map((item: unknown) =>
      typeof item === 'string' ? redactText(item) : redactFields({ value: item })['value'],
    ),
  }));

  const entry =
    (level: 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
      if (fields && Object.keys(fields).length > 0)
        log[level](message, JSON.stringify(redactFields(fields)));
      else log[level](message);
    };
  return {
    info: entry('info'),
    warn: entry('warn'),
    error: entry('error'),
    file: () => options.file,
  };
}
