/**
 * Debian's Chromium, launched the one way that works on these machines (docs/architecture.md#testing-without-electron): the
 * distribution's binary (a browser is never downloaded: `npx playwright install` would fetch one
 * from a host that is not reachable) with flags that keep it quiet on a closed network.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_EXECUTABLE = '/usr/bin/chromium';

/** The flags every launch gets, headed or not. */
export const CHROMIUM_FLAGS: readonly string[] = [
  // Tests and CI run as root in containers, where Chromium's own sandbox cannot start.
  '--no-sandbox',
  // No GPU in these machines (or under Xvfb); software rendering is what is there.
  '--disable-gpu',
  // Only loopback traffic here: no HTTP/3 attempts, no first-run pages, no background fetches
  // (safe-browsing lists, variations, component and extension updates, sync) that would hang or
  // fail against the closed network and could hit a test's servers at unexpected moments.
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why Chromium tests cannot run here, or undefined when Debian's Chromium is installed. */
export function chromiumUnavailableReason(): string | undefined {
  return existsSync(CHROMIUM_EXECUTABLE)
    ? undefined
    : `${CHROMIUM_EXECUTABLE} is absent (apt-get install chromium)`;
}

export interface LaunchChromiumOptions {
  /** Headed under a display (a demo under Xvfb); headless otherwise. */
  headed?: boolean;
  /** How long the launch may take; a cold start on a busy 2-core machine can be slow. */
  timeoutMs?: number;
}

export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<Browser> {
  const headed = options.headed ?? false;
  return chromium.launch({
    executablePath: CHROMIUM_EXECUTABLE,
    headless: !headed,
    args: headed ? [...CHROMIUM_FLAGS] : ['--headless', ...CHROMIUM_FLAGS],
    timeout: options.timeoutMs ?? 60_000,
  });
}
