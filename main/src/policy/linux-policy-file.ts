import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import path from 'node:path';
import type { RawConfigSource } from '../config/raw-config-source.js';
import { ManagedPolicyError } from './managed-policy-error.js';

export const LINUX_POLICY_FILE = '/etc/linkboard/policy.json';

/** A policy is a few short keys; anything near this size is not one. */
const MAX_POLICY_BYTES = 64 * 1024;

export interface LinuxPolicyFileDeps {
  /** The policy file; `/etc/linkboard/policy.json` in the app. */
  file?: string;
}

/**
 * `/etc/linkboard/policy.json`, accepted only if root owns it and only root can write it, and the
 * same for the folder it is in. The file is opened without following a symbolic link (O_NOFOLLOW),
 * checked with fstat on that open handle and read from the same handle, so what is checked is what
 * is read. Null when there is no policy; ManagedPolicyError when there is one that cannot be
 * trusted or parsed.
 */
export async function readLinuxPolicyFile(
  deps: LinuxPolicyFileDeps = {},
): Promise<RawConfigSource | null> {
  const file = deps.file ?? LINUX_POLICY_FILE;
  const directory = path.dirname(file);

  // Only root may be able to swap the file: the folder is checked too (not followed either).
  let directoryStat;
  try {
    directoryStat = await lstat(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ManagedPolicyError(file, 'unreadable', (error as Error).message);
  }
  if (!directoryStat.isDirectory()) {
    throw new ManagedPolicyError(file, 'unsafe_directory', `${directory} is not a plain directory`);
  }
  if (directoryStat.uid !== 0 || (directoryStat.mode & 0o022) !== 0) {
    throw new ManagedPolicyError(
      file,
      'unsafe_directory',
      `${directory} must be owned by root and writable by root only`,
    );
  }

  let handle;
  try {
    // O_NONBLOCK: a FIFO planted here must not hang the start; it is refused below.
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') {
      throw new ManagedPolicyError(file, 'symbolic_link', 'it is a symbolic link');
    }
    throw new ManagedPolicyError(file, 'unreadable', (error as Error).message);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new ManagedPolicyError(file, 'not_a_regular_file', 'it is not a regular file');
    }
    if (stat.uid !== 0) {
      throw new ManagedPolicyError(
        file,
        'not_owned_by_root',
        `it is owned by uid ${stat.uid}, not by root`,
      );
    }
    if ((stat.mode & 0o022) !== 0) {
      throw new ManagedPolicyError(
        file,
        'writable_by_others',
        `its mode ${(stat.mode & 0o777).toString(8)} lets the group or others write it (use 644 or 600)`,
      );
    }
    if (stat.size > MAX_POLICY_BYTES) {
      throw new ManagedPolicyError(
        file,
        'too_large',
        `it is larger than ${MAX_POLICY_BYTES} bytes`,
      );
    }
    const buffer = Buffer.alloc(MAX_POLICY_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_POLICY_BYTES) {
      throw new ManagedPolicyError(
        file,
        'too_large',
        `it is larger than ${MAX_POLICY_BYTES} bytes`,
      );
    }
    return {
      kind: 'policy',
      location: file,
      values: parsePolicyJson(file, buffer.subarray(0, bytesRead)),
    };
  } finally {
    await handle.close();
  }
}

function parsePolicyJson(file: string, bytes: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ManagedPolicyError(
      file,
      'malformed',
      `it is not valid JSON (${(error as Error).message})`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ManagedPolicyError(file, 'malformed', 'it is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}
