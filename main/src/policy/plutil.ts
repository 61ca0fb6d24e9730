import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';

/**
 * The real edge of the macOS reader: a managed preferences file as JSON through
 * `plutil -convert json -o - <file>`, which reads binary and XML plists alike (MDM writes binary
 * ones). Null when the file does not exist. A plist with dates or data values does not convert, and
 * the reader refuses it; policy values are strings, numbers and booleans.
 */
export async function readPlistWithPlutil(
  file: string,
  plutil = '/usr/bin/plutil',
): Promise<unknown> {
  try {
    await access(file);
  } catch {
    return null;
  }
  const json = await new Promise<string>((resolve, reject) => {
    execFile(
      plutil,
      ['-convert', 'json', '-o', '-', file],
      { timeout: 10_000, maxBuffer: 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`plutil failed: ${stderr.trim() || error.message}`));
        else resolve(stdout);
      },
    );
  });
  return JSON.parse(json) as unknown;
}
