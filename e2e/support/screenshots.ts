import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/**
 * Screenshots of one journey, numbered in the order taken: `e2e/artifacts/{journey}/01-name.png`.
 * The key ones are copied to `docs/screenshots/` (committed, shown in the README).
 */
export class JourneyScreenshots {
  readonly files: string[] = [];
  private step = 0;

  constructor(readonly dir: string) {}

  async take(page: Page, name: string): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    this.step += 1;
    const file = join(this.dir, `${String(this.step).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: false, animations: 'disabled' });
    this.files.push(file);
    return file;
  }

  /** Copies a shot taken under `name` to `targetDir/targetName`. */
  async publish(name: string, targetDir: string, targetName: string): Promise<void> {
    const file = this.files.find((f) => f.endsWith(`-${name}.png`));
    if (!file) throw new Error(`no screenshot named ${name} in ${this.dir}`);
    await mkdir(targetDir, { recursive: true });
    await copyFile(file, join(targetDir, targetName));
  }
}
