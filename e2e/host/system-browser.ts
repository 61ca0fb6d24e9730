import type { Browser, BrowserContext, Page } from 'playwright-core';

/**
 * The user's "system browser": a browser context of its own (no cookies or storage shared with the
 * app's window), where `shell.openExternal` URLs open in a new tab each, as a real browser would.
 */
export class SystemBrowser {
  /** Every URL the app asked to open, in order. */
  readonly opened: string[] = [];
  private readonly unclaimed: Page[] = [];
  private readonly waiters: ((page: Page) => void)[] = [];

  private constructor(private readonly context: BrowserContext) {}

  static async start(browser: Browser): Promise<SystemBrowser> {
    return new SystemBrowser(await browser.newContext({ viewport: { width: 1000, height: 760 } }));
  }

  /** What main's external opener gets in place of `shell.openExternal`. */
  readonly openExternal = async (url: string): Promise<void> => {
    this.opened.push(url);
    const page = await this.context.newPage();
    const waiter = this.waiters.shift();
    if (waiter) waiter(page);
    else this.unclaimed.push(page);
    // Electron's openExternal resolves once the browser has the URL, not when it has loaded.
    page.goto(url).catch(() => undefined);
  };

  /** The oldest tab the app opened that the test has not taken yet, waiting for one if needed. */
  nextTab(timeoutMs = 30_000): Promise<Page> {
    const ready = this.unclaimed.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise<Page>((resolve, reject) => {
      const waiter = (page: Page) => {
        clearTimeout(timer);
        resolve(page);
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`the app opened no system-browser tab within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** A tab the user (or a page they visit) opens on their own, not through the app. */
  browserPage(): Promise<Page> {
    return this.context.newPage();
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
