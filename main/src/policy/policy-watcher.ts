import { watch } from 'node:fs';
import type { RawConfigSource } from '../config/raw-config-source.js';

/** What a read of the managed policy gave: the policy (or none), or why it was refused. */
export type PolicyReading =
  { ok: true; policy: RawConfigSource | null } | { ok: false; error: unknown };

export interface PolicyWatcherOptions {
  /** The OS reader the app started with (`readManagedPolicy`). */
  read(): Promise<RawConfigSource | null>;
  /** What started the app, so only a real change is reported. */
  initial: RawConfigSource | null;
  /** Called with each reading that differs from the one before. */
  onChange(reading: PolicyReading): void;
  /** Sources of "something may have changed": folder watches, an interval. */
  triggers: PolicyTrigger[];
  /** Changes come in bursts (a temp file, then the rename): one read this long after the first. */
  settleMs?: number;
}

/** Starts telling `notify` about possible changes; returns the function that stops it. */
export type PolicyTrigger = (notify: () => void) => () => void;

export interface PolicyWatcher {
  /** Reads now (as a trigger would) and resolves once the reading has been compared. */
  check(): Promise<void>;
  close(): void;
}

/** Same content, whatever the order in which a reader listed the keys. */
function fingerprint(reading: PolicyReading): string {
  if (!reading.ok) return `refused:${(reading.error as Error)?.message ?? String(reading.error)}`;
  if (!reading.policy) return 'none';
  const { location, values } = reading.policy;
  return JSON.stringify([location, Object.entries(values).sort(([a], [b]) => a.localeCompare(b))]);
}

/**
 * Re-reads the managed policy whenever a trigger fires (reads never overlap; a burst of triggers
 * gives one read) and reports each reading that differs from the last. The readers are the ones
 * the app starts with, so a re-read policy passes the same checks (ownership on Linux, HKLM over
 * HKCU, the machine's preferences over the user's) — docs/architecture.md#managed-policy-changes.
 */
export function watchManagedPolicy(options: PolicyWatcherOptions): PolicyWatcher {
  const settleMs = options.settleMs ?? 250;
  let last = fingerprint({ ok: true, policy: options.initial });
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let reading: Promise<void> = Promise.resolve();

  const readAndCompare = async () => {
    if (closed) return;
    let next: PolicyReading;
    try {
      next = { ok: true, policy: await options.read() };
    } catch (error) {
      next = { ok: false, error };
    }
    const print = fingerprint(next);
    if (closed || print === last) return;
    last = print;
    options.onChange(next);
  };
  const check = () => {
    reading = reading.then(readAndCompare, readAndCompare);
    return reading;
  };
  const notify = () => {
    // A read is already due: it comes after this change too.
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void check();
    }, settleMs);
  };
  const stops = options.triggers.map((trigger) => trigger(notify));
  return {
    check,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const stop of stops) stop();
    },
  };
}

/**
 * Changes in a folder (`/etc/linkboard`, `/Library/Managed Preferences`): the folder is watched,
 * not the file, so a file written anew or renamed into place is seen. A folder that does not exist
 * (no policy yet) or cannot be watched leaves the interval to notice.
 */
export function folderTrigger(folder: string): PolicyTrigger {
  return (notify) => {
    try {
      const watcher = watch(folder, { persistent: false }, () => notify());
      watcher.on('error', () => watcher.close());
      return () => watcher.close();
    } catch {
      return () => undefined;
    }
  };
}

/** A re-read every `ms` (the Windows registry, which tells no one without a native module). */
export function intervalTrigger(ms: number): PolicyTrigger {
  return (notify) => {
    const timer = setInterval(notify, ms);
    timer.unref();
    return () => clearInterval(timer);
  };
}

/** A reading as a policy reader, for `loadStartupConfig`: the same checks as at start, on it. */
export function replayReading(reading: PolicyReading): () => Promise<RawConfigSource | null> {
  return async () => {
    if (!reading.ok) throw reading.error;
    return reading.policy;
  };
}
