import { execFile } from 'node:child_process';
import path from 'node:path';
import type { RegQueryResult } from './windows-registry-policy.js';

/**
 * The real edge of the Windows reader: `reg.exe query <key>` from System32 (by absolute path, not
 * through PATH). Output is reg.exe's console text; values outside the OEM code page may not survive
 * it, which the ADMX keys (host names, ids, URLs, numbers) never need.
 */
export function runRegQueryWithRegExe(
  key: string,
  systemRoot = process.env.SystemRoot ?? String.raw`C:\Windows`,
): Promise<RegQueryResult> {
  const regExe = path.win32.join(systemRoot, 'System32', 'reg.exe');
  return new Promise((resolve, reject) => {
    execFile(
      regExe,
      ['query', key],
      { timeout: 10_000, maxBuffer: 1024 * 1024, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ exitCode: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}
