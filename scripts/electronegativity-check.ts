/**
 * `npm run test:electronegativity`: Electronegativity 1.10.3 over main/ and preload/ (scanned
 * together, so checks that look for a handler anywhere — navigation limits, permission handler,
 * CSP — see the whole main process). Fails on:
 * - any HIGH or MEDIUM finding of FIRM or CERTAIN confidence, except PRELOAD_JS_CHECK (a review
 *   reminder that fires for any preload at all);
 * - any finding not listed, with its reason, in main/electronegativity-accepted.json;
 * - a file the scanner could not parse (it would have checked nothing there).
 * `AvailableSecurityFixesGlobalCheck` is left out: it asks the network about Electron releases.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import run from '@doyensec/electronegativity';

const root = fileURLToPath(new URL('..', import.meta.url));
const acceptedFile = join(root, 'main/electronegativity-accepted.json');
const ELECTRON_VERSION = '45.5.0';
const ALWAYS_ACCEPTED = new Set(['PRELOAD_JS_CHECK']);

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name?: string; value: number } | string;
  confidence: { name?: string; value: number } | string;
  manualReview?: boolean;
  description?: string;
}

interface Accepted {
  id: string;
  file: string;
  reason: string;
}

const levelName = (level: Finding['severity']) =>
  typeof level === 'string' ? level : (level.name ?? String(level.value));

const accepted = JSON.parse(readFileSync(acceptedFile, 'utf8')) as Accepted[];
const scanDirectory = mkdtempSync(join(tmpdir(), 'linkboard-electronegativity-'));
let failures = 0;
try {
  cpSync(join(root, 'main/src'), join(scanDirectory, 'main/src'), { recursive: true });
  cpSync(join(root, 'preload/src'), join(scanDirectory, 'preload/src'), { recursive: true });
  const result = (await run(
    {
      input: scanDirectory,
      isRelative: true,
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      electronVersionOverride: ELECTRON_VERSION,
      parserPlugins: [],
    },
    false,
  )) as { issues: Finding[]; errors: Array<{ file: string; message: string; tolerable: boolean }> };

  for (const error of result.errors) {
    if (error.tolerable) continue;
    failures += 1;
    console.error(`Could not parse ${error.file}: ${error.message}`);
  }

  const seen = new Set<string>();
  for (const finding of result.issues) {
    const severity = levelName(finding.severity);
    const confidence = levelName(finding.confidence);
    const where = `${finding.file}:${finding.location.line}`;
    const gated =
      ['HIGH', 'MEDIUM'].includes(severity) &&
      ['FIRM', 'CERTAIN'].includes(confidence) &&
      !ALWAYS_ACCEPTED.has(finding.id);
    const listed = accepted.find((entry) => entry.id === finding.id && entry.file === finding.file);
    if (listed) seen.add(`${listed.id} ${listed.file}`);
    if (gated) {
      failures += 1;
      console.error(
        `FAIL ${finding.id} ${severity}/${confidence} at ${where}: ${finding.description ?? ''}`,
      );
    } else if (!listed) {
      failures += 1;
      console.error(
        `FAIL ${finding.id} ${severity}/${confidence} at ${where} is not in main/electronegativity-accepted.json: review it and add it with its reason, or fix it`,
      );
    } else {
      console.log(`accepted ${finding.id} ${severity}/${confidence} at ${where}: ${listed.reason}`);
    }
  }
  for (const entry of accepted) {
    if (!seen.has(`${entry.id} ${entry.file}`))
      console.warn(`note: ${entry.id} in ${entry.file} is accepted but no longer found`);
  }
  console.log(
    `Electronegativity ${ELECTRON_VERSION}: ${result.issues.length} findings, ${failures} failing`,
  );
} finally {
  rmSync(scanDirectory, { recursive: true, force: true });
}
process.exit(failures > 0 ? 1 : 0);
