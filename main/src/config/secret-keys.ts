import { remove as foldConfusables } from 'confusables';

/**
 * Words that make a configuration key name a secret (docs/architecture.md#security-rules, rule 1),
 * matched anywhere in the key's `secretComparableForm`, so `client_secret`, `ClientSecret`,
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

/** Longer keys are not ours and not worth folding: refused as unreadable. */
const MAX_KEY_LENGTH = 256;

/**
 * The form in which a key is compared with the secret words, or null when it cannot be reduced to
 * one safely. Every trick a source could use to spell a secret so it slips past is undone:
 * compatibility forms (fullwidth letters, `ſ`) by NFKC, invisible format characters (zero-width
 * spaces and joiners, soft hyphens, BOM) dropped, case folded, accents dropped (`İ` → `i`), every
 * character that is not a letter or digit treated as a separator (`: / + # ~`, spaces…), and
 * look-alike letters of other scripts (Cyrillic `с`, Greek `ρ`) folded to the Latin ones. A key that
 * still holds a letter or digit outside a–z and 0–9 is none of ours and cannot be judged: null.
 */
export function secretComparableForm(key: string): string | null {
  if (key.length > MAX_KEY_LENGTH) return null;
  const visible = key.normalize('NFKC').replace(/\p{Cf}/gu, '');
  const unaccented = visible.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
  // Separators go before folding: the look-alike table would read `|` as `l`.
  const lettersAndDigits = unaccented.replace(/[^\p{L}\p{N}]/gu, '');
  const letters = foldConfusables(lettersAndDigits).toLowerCase();
  return /^[a-z0-9]*$/.test(letters) ? skeleton(letters) : null;
}

/**
 * Latin letters and digits that look alike merged into one (`l`, `1` → `i`; `0` → `o`), as
 * Unicode's confusable skeletons do: the folding table reads some look-alikes (dotless `ı`) as `l`,
 * so key and secret words are compared in this form.
 */
function skeleton(letters: string): string {
  return letters.replace(/[l1]/g, 'i').replace(/0/g, 'o');
}

const SECRET_WORD_SKELETONS = SECRET_KEY_WORDS.map(skeleton);

/** Why a key may not stand in configuration: it names a secret, or it cannot be read safely. */
export type KeyRefusal = 'secret' | 'unreadable';

export function keyRefusal(key: string): KeyRefusal | null {
  const form = secretComparableForm(key);
  if (form === null) return 'unreadable';
  return SECRET_WORD_SKELETONS.some((word) => form.includes(word)) ? 'secret' : null;
}

/** Whether a key, as a source spells it, names a secret (or hides what it names). */
export function namesSecret(key: string): boolean {
  return keyRefusal(key) !== null;
}
