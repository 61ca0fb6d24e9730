import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '@linkboard/testing/chromium';
import { solidPng, startImageOrigin, type ImageOrigin } from '@linkboard/testing/image-origin';
import { DesktopHost } from '../host/desktop-host.js';
import { IpcRecorder } from '../host/ipc-recorder.js';
import { loadKeychain } from '../host/keychain.js';
import { bundlePreload } from '../host/preload-bundle.js';
import { collectPageEvidence, type Evidence } from '../support/leak-scanner.js';
import { artifactsDir, preloadEntry, rendererBuildDir } from '../support/paths.js';
import { JourneyScreenshots } from '../support/screenshots.js';
import { startStack, type Stack } from '../support/stack.js';
import type { Keychain } from '../../main/src/services/index.js';

/** The avatar GitHub's image origin answers with: 48×48 of one colour a test can look for. */
export const AVATAR_COLOUR: [number, number, number] = [46, 160, 67];
const AVATAR_PNG = solidPng(48, AVATAR_COLOUR);

/**
 * What the journeys share: one sandbox and broker, one Chromium, the real preload bundled once, one
 * IPC recorder across every app window, and what each window held when its journey ended — the
 * material of the leak check (journey 9). Each journey gets its own app (token file, keychain entry,
 * system browser), so one user's sign-in never carries into another's.
 */
export class JourneySuite {
  readonly recorder = new IpcRecorder();
  readonly evidence: Evidence[] = [];
  private readonly hosts = new Set<DesktopHost>();

  private constructor(
    readonly stack: Stack,
    readonly browser: Browser,
    private readonly preloadScript: string,
    readonly keychain: Keychain | null,
    private readonly headed: boolean,
    /** GitHub's and Google's image origins, standing in for the internet: every image is AVATAR_PNG. */
    readonly imageOrigin: ImageOrigin,
  ) {}

  static async start(options: { headed?: boolean } = {}): Promise<JourneySuite> {
    const preloadScript = await bundlePreload(preloadEntry);
    const keychain = await loadKeychain();
    const stack = await startStack();
    const imageOrigin = await startImageOrigin([
      'avatars.githubusercontent.com',
      'lh3.googleusercontent.com',
    ]);
    // GitHub's avatars (`/u/{id}`) and Google's profile pictures (`/a/{id}=s96-c`).
    imageOrigin.answer((path) => path.startsWith('/u/') || path.startsWith('/a/'), {
      headers: { 'content-type': 'image/png' },
      body: AVATAR_PNG,
    });
    try {
      const browser = await launchChromium({ headed: options.headed ?? false });
      return new JourneySuite(
        stack,
        browser,
        preloadScript,
        keychain,
        options.headed ?? false,
        imageOrigin,
      );
    } catch (error) {
      await imageOrigin.close();
      await stack.close();
      throw error;
    }
  }

  get info() {
    return this.stack.info;
  }

  /**
   * A freshly installed app (no sign-in remembered), launched with its window open; against the
   * stack's broker unless `brokerUrl` names another, under a managed `policy` when one is given.
   */
  async newApp(
    options: { brokerUrl?: string; policy?: Record<string, unknown> } = {},
  ): Promise<DesktopHost> {
    const host = await DesktopHost.start({
      browser: this.browser,
      info: this.stack.info,
      brokerUrl: options.brokerUrl ?? this.stack.brokerUrl,
      rendererRoot: rendererBuildDir,
      preloadScript: this.preloadScript,
      recorder: this.recorder,
      keychain: this.keychain,
      imageFetch: this.imageOrigin.fetch,
      ...(options.policy ? { policy: options.policy } : {}),
    });
    this.hosts.add(host);
    await host.launch();
    return host;
  }

  screenshots(journey: string, root = artifactsDir): JourneyScreenshots {
    return new JourneyScreenshots(join(root, journey));
  }

  /** Keeps what the app window holds now (DOM, storage, IndexedDB) for the leak check. */
  async keepEvidence(host: DesktopHost, label: string): Promise<void> {
    this.evidence.push(...(await collectPageEvidence(host.window.page, label)));
  }

  /** Keeps the window's evidence, then quits and removes the app. */
  async closeApp(host: DesktopHost, label: string): Promise<void> {
    try {
      await this.keepEvidence(host, label).catch(() => undefined);
      this.evidence.push({ where: `${label}: main's log`, text: JSON.stringify(host.mainLog) });
    } finally {
      this.hosts.delete(host);
      await host.close();
    }
  }

  async close(): Promise<void> {
    for (const host of this.hosts) await host.close().catch(() => undefined);
    this.hosts.clear();
    await this.browser.close().catch(() => undefined);
    await this.imageOrigin.close().catch(() => undefined);
    await this.stack.close();
  }

  get isHeaded(): boolean {
    return this.headed;
  }
}
