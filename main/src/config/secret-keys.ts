import { normaliseKey } from './config-keys.js';

/**
 * Words that make a configuration key name a secret (docs/architecture.md#security-rules, rule 1), matched anywhere
 * in the normalised key (lower case, no separators), so `client_secret`, `ClientSecret`,
 * `AUTH0_M2M_CLIENT_ID`, `privateKey`, `refresh-token` and `apiKey` all count.
 *
 * - `secret`, `password`, `passwd`, `passphrase`, `privatekey`, `apikey`, `credential`: secrets by name.
 * - `m2m`: machine-to-machine credentials belong to the broker, even the client id next to them.
 * - `token`: no public key contains it; a token in configuration (access, refresh, ID, bearer) is a
 *   credential the desktop must not be handed.
 * - `clientassertion`, `signingkey`: other ways to authenticate a confidential client.
 *
 * None of the public keys (CONFIG_KEYS) contains any of these words; a test checks that.
 */
export const SECRET_KEY_WORDS = [
  'secret',
  'password',
  'passwd',
  'passphrase',
  'privatekey',
  'apikey',
  'credential',
  'm2m',
  'token',
  'clientassertion',
  'signingkey',
] as const;

/** Whether a key, as a source spells it, names a secret. */
export function namesSecret(key: string): boolean {
  const normalised = normaliseKey(key);
  return SECRET_KEY_WORDS.some((word) => normalised.includes(word));
}
