/**
 * `npm run test:electronegativity [-- --input DIR ... --accepted FILE]`: the Electronegativity gate
 * (scripts/electronegativity-gate.ts says what fails). By default it scans main/src and
 * preload/src against main/electronegativity-accepted.json; `--input` (repeatable) and
 * `--accepted` point it elsewhere (its tests run it on fixture sources). Exit 0 when nothing
 * fails, 1 otherwise, 2 on a usage error.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AcceptedListError } from './electronegativity-accepted.js';
import { ELECTRON_VERSION, runElectronegativityGate } from './electronegativity-gate.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const USAGE = 'usage: npm run test:electronegativity -- [--input DIR ...] [--accepted FILE]';

let values: { input?: string[]; accepted?: string };
try {
  ({ values } = parseArgs({
    options: { input: { type: 'string', multiple: true }, accepted: { type: 'string' } },
    strict: true,
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

try {
  const report = await runElectronegativityGate({
    inputs: values.input ?? [join(root, 'main/src'), join(root, 'preload/src')],
    acceptedFile: values.accepted ?? join(root, 'main/electronegativity-accepted.json'),
    namesRelativeTo: root,
  });
  for (const line of report.accepted) console.log(`accepted ${line}`);
  for (const note of report.notes) console.warn(`note: ${note}`);
  for (const failure of report.failures) console.error(`FAIL ${failure}`);
  console.log(
    `Electronegativity ${ELECTRON_VERSION}: ${report.findingCount} findings, ${report.failures.length} failing`,
  );
  process.exit(report.failures.length > 0 ? 1 : 0);
} catch (error) {
  if (!(error instanceof AcceptedListError)) throw error;
  console.error(`FAIL ${error.message}`);
  process.exit(1);
}
