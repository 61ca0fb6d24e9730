import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium: the suite never downloads a browser (ENVIRONMENT.md). */
export const CHROMIUM_EXECUTABLE = '/usr/bin/chromium';

const COMMON_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchOptions {
  /** Headed under a display (the demo under Xvfb); headless otherwise. */
  headed?: boolean;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const headed = options.headed ?? false;
  return chromium.launch({
    executablePath: CHROMIUM_EXECUTABLE,
    headless: !headed,
    args: headed ? COMMON_FLAGS : ['--headless', ...COMMON_FLAGS],
    timeout: 60_000,
  });
}
