import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { namingKeyOf, storeName } from './store-names.js';

/** One AES-256 key of `BROKER_CACHE_KEY`, with the id written into every value it seals. */
export interface CacheKey {
  id: string;
  key: Buffer;
}

/**
 * The names a value has in the store: `current`, from the sealing key, is the one it is written
 * and locked under; `previous`, from the other keys during a rotation, are only read.
 */
export interface StoreNames {
  current: string;
  previous: readonly string[];
}

/**
 * What protects a cached value that may leave the process (docs/architecture.md#fleet-state):
 * `names` for where it goes (names that do not say whose it is), `seal` before it goes to the
 * shared store, `open` after it comes back. `open` answers undefined for anything it cannot read
 * (another key, a value moved to another name, a forged or damaged value), which callers treat as
 * a miss. Both follow the same current key, so a fleet that agrees on the key agrees on names.
 */
export interface ValueSealer {
  names(namespace: string, id: string): StoreNames;
  seal(name: string, plaintext: string): string;
  open(name: string, sealed: string): string | undefined;
}

const FORMAT = 'lb1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/**
 * A key's id: the start of a digest of the key, so operators name nothing and a rotated-in key
 * is told from the old one without either being written anywhere.
 */
function keyId(key: Buffer): string {
  return createHash('sha256')
    .update('linkboard broker cache key id\0')
    .update(key)
    .digest('base64url')
    .slice(0, 8);
}

/**
 * `BROKER_CACHE_KEY`: one or more base64 keys of 32 bytes (`openssl rand -base64 32`), separated by
 * commas or white space. The first seals; all of them open, so values sealed with a previous key
 * stay readable while a rotation rolls out. Returns the keys, or the problem with the text.
 */
export function parseCacheKeys(text: string): CacheKey[] | string {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) return 'no key given';
  const keys: CacheKey[] = [];
  for (const [index, part] of parts.entries()) {
    const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(part) ? Buffer.from(part, 'base64') : undefined;
    if (!key || key.length !== KEY_BYTES) {
      return `key ${index + 1} is not ${KEY_BYTES} bytes in base64 (make one with: openssl rand -base64 32)`;
    }
    const id = keyId(key);
    if (keys.some((known) => known.id === id)) return `key ${index + 1} is given twice`;
    keys.push({ id, key });
  }
  return keys;
}

/**
 * AES-256-GCM with a fresh random 96-bit IV per value. The value's name in the store is bound in
 * as additional data, so a value copied under another user's name does not open.
 * Sealed form: `lb1.<key id>.<iv>.<ciphertext>.<tag>`, each part base64url.
 */
export class AesGcmSealer implements ValueSealer {
  private readonly current: CacheKey;
  private readonly byId: Map<string, Buffer>;
  /** Naming keys, the current key's first (`store-names.ts`). */
  private readonly namingKeys: readonly [Buffer, ...Buffer[]];

  constructor(keys: readonly CacheKey[]) {
    const [current, ...previous] = keys;
    if (!current) throw new Error('AesGcmSealer needs at least one key');
    this.current = current;
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
    this.namingKeys = [namingKeyOf(current.key), ...previous.map(({ key }) => namingKeyOf(key))];
  }

  names(namespace: string, id: string): StoreNames {
    const [current, ...previous] = this.namingKeys;
    return {
      current: storeName(current, namespace, id),
      previous: previous.map((key) => storeName(key, namespace, id)),
    };
  }

  seal(name: string, plaintext: string): string {
    const { id, key } = this.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(additionalData(id, name));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      FORMAT,
      id,
      iv.toString('base64url'),
      body.toString('base64url'),
      tag.toString('base64url'),
    ].join('.');
  }

  open(name: string, sealed: string): string | undefined {
    const [format, id, iv, body, tag, ...rest] = sealed.split('.');
    if (format !== FORMAT || !id || iv === undefined || body === undefined || !tag || rest.length) {
      return undefined;
    }
    const key = this.byId.get(id);
    if (!key) return undefined;
    try {
      const ivBytes = Buffer.from(iv, 'base64url');
      const tagBytes = Buffer.from(tag, 'base64url');
      if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) return undefined;
      const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(id, name));
      decipher.setAuthTag(tagBytes);
      const plain = Buffer.concat([
        decipher.update(Buffer.from(body, 'base64url')),
        decipher.final(),
      ]);
      return plain.toString('utf8');
    } catch {
      return undefined;
    }
  }
}

function additionalData(id: string, name: string): Buffer {
  return Buffer.from(`${FORMAT}\0${id}\0${name}`, 'utf8');
}

/**
 * For a store inside this process (one instance, memory): values never leave it, so they are kept
 * as they are, under plain names. Never paired with a store outside the process (`createServices`
 * refuses that).
 */
export const IN_PROCESS: ValueSealer = {
  names: (namespace, id) => ({ current: `${namespace}:${id}`, previous: [] }),
  seal: (_name, plaintext) => plaintext,
  open: (_name, sealed) => sealed,
};
