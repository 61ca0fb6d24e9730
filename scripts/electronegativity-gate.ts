/**
 * The Electronegativity gate: scans source folders with Electronegativity 1.10.3 and judges the
 * findings against the accepted list (scripts/electronegativity-accepted.ts). A run fails on:
 * - any HIGH or MEDIUM finding of FIRM or CERTAIN confidence, except PRELOAD_JS_CHECK (a review
 *   reminder that fires for any preload at all), listed or not;
 * - any finding of a check that guards docs/architecture.md#security-rules rule 2 (no nodeIntegration,
 *   contextIsolation, sandbox, webSecurity), listed or not: Electronegativity rates an explicit
 *   `nodeIntegration: true` INFORMATIONAL, so severity alone would let it be accepted;
 * - any other finding not listed, with its reason, in the accepted list;
 * - a file the scanner could not parse (it would have checked nothing there).
 * The folders are scanned together, so checks that look for a handler anywhere (navigation limits,
 * permission handler, CSP) see all of them. `AvailableSecurityFixesGlobalCheck` is left out: it asks
 * the network about Electron releases.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { readAcceptedList } from './electronegativity-accepted.js';

export const ELECTRON_VERSION = '45.5.0';
const GATED_SEVERITIES = new Set(['HIGH', 'MEDIUM']);
const GATED_CONFIDENCES = new Set(['FIRM', 'CERTAIN']);
const ALWAYS_ACCEPTED = new Set(['PRELOAD_JS_CHECK']);
const NEVER_ACCEPTED = new Set([
  'NODE_INTEGRATION_JS_CHECK',
  'CONTEXT_ISOLATION_JS_CHECK',
  'SANDBOX_JS_CHECK',
  'WEB_SECURITY_JS_CHECK',
]);

export interface GateOptions {
  /** Folders to scan; each is named by its path from `namesRelativeTo` when inside it, else by its own name. */
  inputs: readonly string[];
  acceptedFile: string;
  namesRelativeTo: string;
}

export interface GateReport {
  failures: string[];
  accepted: string[];
  notes: string[];
  findingCount: number;
}

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name?: string; value: number } | string;
  confidence: { name?: string; value: number } | string;
  description?: string;
}

interface ScanResult {
  issues: Finding[];
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
}

const levelName = (level: Finding['severity']) =>
  typeof level === 'string' ? level : (level.name ?? String(level.value));

export async function runElectronegativityGate(options: GateOptions): Promise<GateReport> {
  // Read first: a bad list fails at once, without a scan.
  const accepted = readAcceptedList(options.acceptedFile);
  const acceptedName = displayName(options.acceptedFile, options.namesRelativeTo);
  const result = await scan(options.inputs, options.namesRelativeTo);
  const report: GateReport = {
    failures: [],
    accepted: [],
    notes: [],
    findingCount: result.issues.length,
  };

  for (const error of result.errors) {
    if (!error.tolerable) report.failures.push(`Could not parse ${error.file}: ${error.message}`);
  }

  const seen = new Set<string>();
  for (const finding of result.issues) {
    const severity = levelName(finding.severity);
    const confidence = levelName(finding.confidence);
    const what = `${finding.id} ${severity}/${confidence} at ${finding.file}:${finding.location.line}`;
    const listed = accepted.find((entry) => entry.id === finding.id && entry.file === finding.file);
    if (listed) seen.add(`${listed.id} ${listed.file}`);
    const gated =
      GATED_SEVERITIES.has(severity) &&
      GATED_CONFIDENCES.has(confidence) &&
      !ALWAYS_ACCEPTED.has(finding.id);
    if (gated) {
      report.failures.push(`${what}: ${finding.description ?? ''}`);
    } else if (NEVER_ACCEPTED.has(finding.id)) {
      report.failures.push(
        `${what}: security rule 2 of docs/architecture.md (no nodeIntegration; contextIsolation, sandbox and webSecurity on) admits no exception`,
      );
    } else if (!listed) {
      report.failures.push(
        `${what} is not in ${acceptedName}: review it and add it with its reason, or fix it`,
      );
    } else {
      report.accepted.push(`${what}: ${listed.reason}`);
    }
  }
  for (const entry of accepted) {
    if (!seen.has(`${entry.id} ${entry.file}`))
      report.notes.push(`${entry.id} in ${entry.file} is accepted but no longer found`);
  }
  return report;
}

/** Copies the folders side by side into one temporary folder and scans that. */
async function scan(inputs: readonly string[], namesRelativeTo: string): Promise<ScanResult> {
  if (inputs.length === 0) throw new Error('nothing to scan: give at least one folder');
  const scanDirectory = mkdtempSync(join(tmpdir(), 'linkboard-electronegativity-'));
  try {
    const names = new Set<string>();
    for (const input of inputs) {
      const name = displayName(input, namesRelativeTo);
      if (names.has(name)) throw new Error(`two folders to scan are both named ${name}`);
      names.add(name);
      cpSync(input, join(scanDirectory, name), { recursive: true });
    }
    const run = await loadScannerOffline();
    const result = (await run(
      {
        input: scanDirectory,
        isRelative: true,
        excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
        electronVersionOverride: ELECTRON_VERSION,
        parserPlugins: [],
      },
      false,
    )) as ScanResult;
    // Parse errors name the file by its path in the temporary copy.
    const errors = result.errors.map((error) => ({
      ...error,
      file: isAbsolute(error.file) ? relative(scanDirectory, error.file) : error.file,
    }));
    return { issues: result.issues, errors };
  } finally {
    rmSync(scanDirectory, { recursive: true, force: true });
  }
}

function displayName(path: string, namesRelativeTo: string): string {
  const absolute = resolve(path);
  const inside = relative(resolve(namesRelativeTo), absolute);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : basename(absolute);
}

/**
 * Electronegativity fetches translations of its messages from S3 with `got` at every run (1 s
 * timeout, retried: about 3 s when there is no network). The gate needs check ids, not translated
 * messages, and a security check should not call out: the scanner's `got` is replaced, before the
 * scanner loads, by one that fails at once, so it keeps its bundled English messages.
 */
async function loadScannerOffline() {
  const require = createRequire(import.meta.url);
  const scannerRequire = createRequire(require.resolve('@doyensec/electronegativity'));
  const gotPath = scannerRequire.resolve('got');
  if (!require.cache[gotPath]) {
    const refuse = () => Promise.reject(new Error('the Electronegativity gate runs offline'));
    require.cache[gotPath] = {
      id: gotPath,
      filename: gotPath,
      loaded: true,
      exports: refuse,
    } as unknown as NodeModule;
  }
  return (await import('@doyensec/electronegativity')).default;
}
