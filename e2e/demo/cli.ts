/**
 * `npm run demo`: journey 1 — sign in through the system browser, browse GitHub and Google — in the
 * Chromium host against the sandbox and a real broker, with Chromium headed (under Xvfb when there
 * is no display) or `--headless`. Leaves a screenshot of each step in a folder it names; the way to
 * see the app on a machine without the Electron binary.
 *
 *   npm run demo                # headed; under `xvfb-run -a` when DISPLAY is not set
 *   npm run demo -- --headless  # no display at all
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { firstSignIn } from '../journeys/first-sign-in.js';
import { JourneySuite } from '../journeys/journey-suite.js';
import { buildRenderer } from '../support/build-renderer.js';
import { artifactsDir } from '../support/paths.js';

const { values } = parseArgs({
  options: { headless: { type: 'boolean', default: false }, help: { type: 'boolean' } },
});
if (values.help) {
  console.log('usage: npm run demo [-- --headless]');
  process.exit(0);
}
const headed = !values.headless;

if (headed && !process.env.DISPLAY && process.env.LINKBOARD_DEMO_UNDER_XVFB !== '1') {
  // No display: run this same command again inside a virtual one.
  console.log('npm run demo: no DISPLAY, running under xvfb-run -a');
  const child = spawn(
    'xvfb-run',
    ['-a', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit', env: { ...process.env, LINKBOARD_DEMO_UNDER_XVFB: '1' } },
  );
  child.once('error', (error) => {
    console.error(
      `npm run demo: cannot start xvfb-run (${error.message}); install xvfb, or run with -- --headless`,
    );
    process.exit(69);
  });
  child.once('exit', (code) => process.exit(code ?? 1));
} else {
  const folder = join(artifactsDir, `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  console.log(`npm run demo: building the renderer…`);
  await buildRenderer();
  console.log(
    `npm run demo: starting the sandbox, the broker and Chromium (${headed ? 'headed' : 'headless'})…`,
  );
  const suite = await JourneySuite.start({ headed });
  let failed = false;
  try {
    const app = await suite.newApp();
    console.log(
      `npm run demo: sandbox ${suite.info.domain}, broker ${suite.stack.brokerUrl}, app ${app.origin}`,
    );
    const result = await firstSignIn(app, suite.info, suite.screenshots('', folder));
    console.log(
      `npm run demo: signed in as alice; "Sign in" → first data shown in ${Math.round(result.toFirstDataMs)} ms; ` +
        `${result.repositories} GitHub repositories (${result.loadMoreClicks} × "Load more"), ${result.upcomingEvents} upcoming Google events`,
    );
  } catch (error) {
    failed = true;
    console.error(
      `npm run demo: the journey failed: ${error instanceof Error ? error.stack : String(error)}`,
    );
  } finally {
    await suite.close();
  }
  console.log(`Screenshots: ${folder}`);
  process.exit(failed ? 1 : 0);
}
