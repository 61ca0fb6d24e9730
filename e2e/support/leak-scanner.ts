import type { Page } from 'playwright-core';

/** A value that must never reach the desktop side: an IdP token, the M2M secret… */
export interface Secret {
  /** Says what it is without saying it, e.g. `alice github access_token`. */
  name: string;
  value: string;
}

/** A piece of text that crossed to, or lives in, the desktop side. */
export interface Evidence {
  /** Where it came from, e.g. `ipc`, `window 2 DOM`, `window 2 IndexedDB`. */
  where: string;
  text: string;
}

export interface Leak {
  where: string;
  secret: string;
}

/**
 * The shapes of IdP tokens, the sandbox's included (it mints them in each IdP's own format:
 * GitHub `gho_`/`ghr_`, Google `ya29.`/`1//0`, Microsoft `EwB`/`M.C`), so a token no list of known
 * values holds is still caught. The access-token part is the broker suite's pattern.
 */
export const IDP_TOKEN_SHAPE = /\b(gho_|ghr_|ya29\.|1\/\/0|EwB|M\.C)[A-Za-z0-9_-]{16,}/g;

/**
 * Every (place, secret) pair where the secret's value appears in the text. Also catches the
 * value URL-encoded or base64-encoded, the ways a token most often gets reshaped on its way, and
 * any text shaped like an IdP token (`IDP_TOKEN_SHAPE`), known or not; such a leak is named by its
 * prefix only.
 */
export function findLeaks(evidence: readonly Evidence[], secrets: readonly Secret[]): Leak[] {
  const leaks: Leak[] = [];
  for (const secret of secrets) {
    if (secret.value.length < 8) {
      throw new Error(`secret "${secret.name}" is too short to scan for reliably`);
    }
    const forms = new Set([
      secret.value,
      encodeURIComponent(secret.value),
      Buffer.from(secret.value).toString('base64'),
      Buffer.from(secret.value).toString('base64url'),
    ]);
    for (const item of evidence) {
      if ([...forms].some((form) => item.text.includes(form))) {
        leaks.push({ where: item.where, secret: secret.name });
      }
    }
  }
  for (const item of evidence) {
    for (const match of item.text.matchAll(IDP_TOKEN_SHAPE)) {
      leaks.push({ where: item.where, secret: `a text shaped like an IdP token (${match[1]}…)` });
    }
  }
  return leaks;
}

/**
 * What a page holds that a script could read: the DOM, `localStorage`, `sessionStorage` and every
 * IndexedDB database, for each frame of the page.
 */
export async function collectPageEvidence(page: Page, label: string): Promise<Evidence[]> {
  const evidence: Evidence[] = [];
  for (const frame of page.frames()) {
    const where = frame === page.mainFrame() ? label : `${label} frame ${frame.url()}`;
    const dump = await frame
      .evaluate(async () => {
        // Opaque-origin frames have no storage: reading it throws, and then it holds nothing.
        const storage = (read: () => Storage) => {
          let s: Storage;
          try {
            s = read();
          } catch {
            return '{}';
          }
          const entries: Record<string, string | null> = {};
          for (let i = 0; i < s.length; i += 1) {
            const key = s.key(i);
            if (key !== null) entries[key] = s.getItem(key);
          }
          return JSON.stringify(entries);
        };
        const readStore = (db: IDBDatabase, name: string) =>
          new Promise<unknown[]>((resolve, reject) => {
            const request = db.transaction(name, 'readonly').objectStore(name).getAll();
            request.onsuccess = () => resolve(request.result as unknown[]);
            request.onerror = () => reject(request.error);
          });
        const indexedDb: Record<string, unknown> = {};
        const databases = await indexedDB.databases().catch(() => []);
        for (const info of databases) {
          if (!info.name) continue;
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const request = indexedDB.open(info.name as string);
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          for (const store of Array.from(db.objectStoreNames)) {
            indexedDb[`${info.name}/${store}`] = await readStore(db, store);
          }
          db.close();
        }
        return {
          dom: document.documentElement.outerHTML,
          localStorage: storage(() => localStorage),
          sessionStorage: storage(() => sessionStorage),
          indexedDb: JSON.stringify(indexedDb),
        };
      })
      .catch((error: unknown) => {
        throw new Error(`could not read ${where}: ${String(error)}`);
      });
    evidence.push(
      { where: `${where} DOM`, text: dump.dom },
      { where: `${where} localStorage`, text: dump.localStorage },
      { where: `${where} sessionStorage`, text: dump.sessionStorage },
      { where: `${where} IndexedDB`, text: dump.indexedDb },
    );
  }
  return evidence;
}
