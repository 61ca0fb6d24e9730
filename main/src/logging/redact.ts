import { normaliseKey } from '../config/config-keys.js';
import { namesSecret } from '../config/secret-keys.js';

/** What stands where a secret was. */
export const REDACTED = '[redacted]';

/**
 * Keys whose values are never written, beyond the configuration's secret words (token, secret,
 * password, credential…): the broker's redacted headers (authorization, cookie) and the PKCE
 * verifier.
 */
const SENSITIVE_KEYS = new Set([
  'authorization',
  'cookie',
  'setcookie',
  'codeverifier',
  'verifier',
  // The Connected Accounts flow's one-use values (docs/architecture.md#connecting-an-account).
  'connectcode',
  'authsession',
  'ticket',
]);

/**
 * In a URL, a form body or JSON text, also the authorization code and the state bound to it. (A
 * log field named `code` is one of our error codes, and stays.)
 */
const SENSITIVE_PARAMETERS = new Set(['code', 'state']);

/** Whether a log field of this name must not be written. */
export function isSensitiveKey(key: string): boolean {
  return namesSecret(key) || SENSITIVE_KEYS.has(normaliseKey(key));
}

function isSensitiveParameter(name: string): boolean {
  return isSensitiveKey(name) || SENSITIVE_PARAMETERS.has(normaliseKey(name));
}

/** `Bearer xxx`, `Basic xxx`: the credential after an authorization scheme. */
const AUTHORIZATION_VALUE = /\b(Bearer|Basic)\s+[^\s"',;]+/gi;
/** A JWT (access or ID token), wherever it appears: three base64url parts, the first `eyJ`. */
const JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]*/g;
/** `name=value` in a query string, a fragment or a form body. */
const PARAMETER = /([\w.-]+)=([^&#\s"',;]*)/g;
/** `"name": "value"` in JSON text (an IdP's token answer quoted in an error; our own fields). */
const JSON_STRING_MEMBER = /"([\w.-]+)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
/** `scheme://user:password@host`: credentials in a URL (a proxy URL, a mistyped broker URL). */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;

/** A text with every secret it may carry replaced: tokens, codes, verifiers, credentials. */
export function redactText(text: string): string {
  return text
    .replace(URL_CREDENTIALS, `$1${REDACTED}@`)
    .replace(AUTHORIZATION_VALUE, `$1 ${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(JSON_STRING_MEMBER, (member, key: string) =>
      isSensitiveKey(key) ? `"${key}":"${REDACTED}"` : member,
    )
    .replace(PARAMETER, (parameter, key: string) =>
      isSensitiveParameter(key) ? `${key}=${REDACTED}` : parameter,
    );
}

/**
 * A log entry's fields, safe to write: a sensitive key's value is dropped whatever it is, every
 * string is passed through `redactText`, errors keep their name and a redacted message (never the
 * stack, which may quote arguments), and nesting stops at a few levels.
 */
export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  return redactValue(fields, 0) as Record<string, unknown>;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' ? String(typeof value) : value;
  }
  if (depth >= 6) return '[nested]';
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message) };
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] = isSensitiveKey(key) ? REDACTED : redactValue(item, depth + 1);
  }
  return result;
}
