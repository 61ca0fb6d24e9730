import { execFile } from 'node:child_process';
import path from 'node:path';
import type { RegQueryResult } from './windows-registry-policy.js';

/** reg.exe in System32, by absolute path (not through PATH). */
export function systemRegExe(
  systemRoot = process.env.SystemRoot ?? String.raw`C:\Windows`,
): string {
  return path.win32.join(systemRoot, 'System32', 'reg.exe');
}

/**
 * The real edge of the Windows reader: `reg.exe query <key>`, answering with its exit code and
 * output (reg.exe exits 1 for a missing key; the reader decides what that means). Output is
 * reg.exe's console text; values outside the OEM code page may not survive it, which the ADMX keys
 * (host names, ids, URLs, numbers) never need.
 */
export function runRegQueryWithRegExe(
  key: string,
  regExe = systemRegExe(),
): Promise<RegQueryResult> {
  return new Promise((resolve, reject) => {
    execFile(
      regExe,
      ['query', key],
      { timeout: 10_000, maxBuffer: 1024 * 1024, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        // A non-zero exit carries a numeric code; anything else (not found, killed) is a failure.
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ exitCode: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}
