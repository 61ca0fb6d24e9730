import type { FakeState } from './fake-linkboard';
import { createFakeLinkboard, seedRememberedSession } from './fake-linkboard';

/**
 * Bundled into a browser script by `screenshots.ts` and run before the page's own scripts: puts the
 * fake bridge at `window.linkboard`, as the preload would put the real one.
 */
export interface FakeScenario {
  signedIn: boolean;
  state?: Partial<FakeState>;
}

declare global {
  interface Window {
    __linkboardFakeScenario?: FakeScenario;
    __linkboardFake?: ReturnType<typeof createFakeLinkboard>;
  }
}

const scenario = window.__linkboardFakeScenario ?? { signedIn: false };
const fake = createFakeLinkboard(scenario.state ?? {});
if (scenario.signedIn) seedRememberedSession(fake);
window.linkboard = fake;
window.__linkboardFake = fake;
