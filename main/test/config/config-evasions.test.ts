import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../../src/config/config-keys.js';
import { SecretInConfigurationError } from '../../src/config/config-errors.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { RawConfigSource } from '../../src/config/raw-config-source.js';
import { keyRefusal, SECRET_KEY_WORDS } from '../../src/config/secret-keys.js';

/** Look-alikes of Latin letters in other scripts (Cyrillic, Greek), as an attacker would pick. */
const LOOK_ALIKES: Record<string, string[]> = {
  a: ['а', 'ɑ', 'α'],
  c: ['с', 'ϲ'],
  e: ['е', 'ё'],
  i: ['і', 'ı', 'İ', 'ї'],
  k: ['κ', 'к', 'K'],
  o: ['о', 'ο', 'σ'],
  p: ['р', 'ρ'],
  s: ['ѕ', 'ſ'],
  t: ['т'],
  x: ['х'],
  y: ['у'],
};
/** Invisible format characters: zero-width space/joiners, word joiner, soft hyphen, BOM. */
const FORMAT = ['\u200b', '\u200c', '\u200d', '\u2060', '\u00ad', '\ufeff'];
const SEPARATORS = [':', '/', '+', '#', '~', '_', '-', '.', ' ', '|', '@', '\t'];

const fullwidth = (letter: string) => String.fromCharCode(letter.charCodeAt(0) + 0xfee0);

/** One letter of a word, spelled one of the ways a key could disguise it. */
function disguisedLetter(letter: string): fc.Arbitrary<string> {
  const ways: Array<fc.Arbitrary<string>> = [
    fc.constant(letter),
    fc.constant(letter.toUpperCase()),
    fc.constant(fullwidth(letter)),
    fc.constant(fullwidth(letter.toUpperCase())),
  ];
  if (LOOK_ALIKES[letter]) ways.push(fc.constantFrom(...LOOK_ALIKES[letter]));
  return fc
    .tuple(fc.oneof(...ways), fc.array(fc.constantFrom(...FORMAT, ...SEPARATORS), { maxLength: 2 }))
    .map(([spelled, after]) => spelled + after.join(''));
}

/** A secret word spelled with disguises, inside other words, as a key could carry it. */
const disguisedSecretKey = fc
  .tuple(
    fc.constantFrom(...SECRET_KEY_WORDS),
    fc.stringMatching(/^[a-z]{0,6}$/),
    fc.constantFrom('', ...SEPARATORS),
    fc.stringMatching(/^[a-z0-9]{0,6}$/),
  )
  .chain(([word, before, separator, after]) =>
    fc
      .tuple(...[...word].map(disguisedLetter))
      .map((letters) => `${before}${separator}${letters.join('')}${separator}${after}`),
  );

/** `value` at `depth` levels of nesting, the keys on the way harmless. */
function nested(key: string, depth: number): Record<string, unknown> {
  let values: Record<string, unknown> = { [key]: 'x' };
  for (let level = 0; level < depth; level += 1) {
    values = level % 3 === 2 ? { items: [values] } : { [`level${level}`]: values };
  }
  return values;
}

const source = (values: Record<string, unknown>): RawConfigSource => ({
  kind: 'user',
  location: '/home/ada/.config/Linkboard/settings.json',
  values,
});

describe('configuration keys that disguise a secret', () => {
  it('refuses every generated spelling of a secret word, at any depth', () => {
    fc.assert(
      fc.property(disguisedSecretKey, fc.integer({ min: 0, max: 200 }), (key, depth) => {
        expect(keyRefusal(key), JSON.stringify(key)).not.toBeNull();
        const result = loadConfig([source(nested(key, depth))], { isDevelopment: true });
        expect(result.ok).toBe(false);
        expect(!result.ok && result.error).toBeInstanceOf(SecretInConfigurationError);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['a Cyrillic look-alike', 'сlіеnt_ѕесrеt'],
    ['fullwidth letters', 'ｃｌｉｅｎｔＳｅｃｒｅｔ'],
    ['a long s', 'client_ſecret'],
    ['a dotted capital I', 'prİvate_key'],
    ['a zero-width space', 'to\u200bken'],
    ['a soft hyphen', 'pass\u00adword'],
    ['a colon', 'client:secret'],
    ['a slash', 'api/key'],
    ['a plus', 'private+key'],
    ['a hash', 'm#2#m'],
    ['a tilde', 'signing~key'],
  ])('refuses %s (named in the message)', (_name, key) => {
    const result = loadConfig([source({ [key]: 'x' })], { isDevelopment: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'secret_in_configuration', key } });
  });

  it('refuses a secret nested deeper than any fixed limit (10 000 levels)', () => {
    const result = loadConfig([source(nested('clientSecret', 10_000))], { isDevelopment: true });
    expect(result).toMatchObject({ ok: false, error: { key: 'clientSecret' } });
  });

  it('refuses a key whose letters cannot be told apart from ours, rather than ignore it', () => {
    for (const key of ['名前', 'κλειδί', 'x'.repeat(300)]) {
      const result = loadConfig([source({ [key]: 'x' })], { isDevelopment: true });
      expect(result, key).toMatchObject({
        ok: false,
        error: { code: 'secret_in_configuration', refusal: 'unreadable' },
      });
    }
  });

  it('still reads every public key however a source spells its separators and case', () => {
    const spelling = fc
      .constantFrom(...CONFIG_KEYS)
      .chain((key) =>
        fc
          .tuple(...[...key].map((letter) => fc.constantFrom(letter, letter.toUpperCase())))
          .chain((letters) =>
            fc
              .array(fc.constantFrom('_', '-', '.', ' '), { minLength: 0, maxLength: 1 })
              .map((separator) => letters.join(separator[0] ?? '')),
          ),
      );
    fc.assert(
      fc.property(spelling, (key) => {
        expect(keyRefusal(key), key).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
