import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { seriousAccessibilityViolations } from '@linkboard/testing/accessibility';

export interface TakeOptions {
  /**
   * Check the screen with axe-core in the light and the dark theme first (the default). Only a
   * page that is not the product's own (the sandbox's stand-in for the tenant's sign-in page) is
   * left out, saying why.
   */
  accessibility?: boolean;
}

/**
 * Screenshots of one journey, numbered in the order taken: `e2e/artifacts/{journey}/01-name.png`.
 * Every screen taken is also checked for serious or critical accessibility violations in both
 * themes, so the journeys cover every screen they show. The key ones are copied to
 * `docs/screenshots/` (committed, shown in the README).
 */
export class JourneyScreenshots {
  readonly files: string[] = [];
  /** Each screen checked with axe, as `name (theme)`. */
  readonly checked: string[] = [];
  private step = 0;

  constructor(readonly dir: string) {}

  async take(page: Page, name: string, options: TakeOptions = {}): Promise<string> {
    if (options.accessibility !== false) await this.checkAccessibility(page, name);
    await mkdir(this.dir, { recursive: true });
    this.step += 1;
    const file = join(this.dir, `${String(this.step).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: false, animations: 'disabled' });
    this.files.push(file);
    return file;
  }

  /** Fails on any serious or critical axe violation of the screen, in light and in dark. */
  private async checkAccessibility(page: Page, name: string): Promise<void> {
    const violations: string[] = [];
    for (const colorScheme of ['dark', 'light'] as const) {
      await page.emulateMedia({ colorScheme });
      await settled(page);
      for (const violation of await seriousAccessibilityViolations(page)) {
        violations.push(`${colorScheme}: ${violation}`);
      }
      this.checked.push(`${name} (${colorScheme})`);
    }
    if (violations.length > 0) {
      throw new Error(`accessibility violations on "${name}":\n${violations.join('\n')}`);
    }
  }

  /** Copies a shot taken under `name` to `targetDir/targetName`. */
  async publish(name: string, targetDir: string, targetName: string): Promise<void> {
    const file = this.files.find((f) => f.endsWith(`-${name}.png`));
    if (!file) throw new Error(`no screenshot named ${name} in ${this.dir}`);
    await mkdir(targetDir, { recursive: true });
    await copyFile(file, join(targetDir, targetName));
  }
}

/**
 * Waits for the page's finite animations and transitions to end: a theme switch fades button
 * colours over a few frames, and contrast measured mid-fade would be neither theme's. Endless
 * ones (a spinner) are left running.
 */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
}
