// @vitest-environment node
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import {
  CATALOGUE_TEXT,
  formattingLocale,
  LOCALES,
  MESSAGES,
  pickLocale,
} from '../src/i18n/locale';
import { en } from '../src/i18n/messages-en';

/** A message's placeholders and tags: what the code fills in, which every language must keep. */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    into.add(`${element.type}:${element.value}`);
    if (element.type === TYPE.tag) argumentsOf(element.children, into);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      for (const option of Object.values(element.options)) argumentsOf(option.value, into);
    }
  }
  return into;
}

const englishKeys = Object.keys(en).sort();

describe.each(LOCALES)('messages in %s', (locale) => {
  const messages = MESSAGES[locale];

  it('has every key the English catalogue has, and no other', () => {
    expect(Object.keys(messages).sort()).toEqual(englishKeys);
  });

  it('has a text for each, with the same placeholders and tags as English', () => {
    for (const key of englishKeys) {
      const text = messages[key as keyof typeof en];
      expect(text?.trim(), key).toBeTruthy();
      const ours = [...argumentsOf(parse(text, { ignoreTag: false }))].sort();
      const english = [...argumentsOf(parse(en[key as keyof typeof en]))].sort();
      expect(ours, key).toEqual(english);
    }
  });
});

describe('the provider catalogue in every language', () => {
  type Catalogue = Array<{
    displayName: string;
    views: Array<{
      title: string;
      description?: string;
      emptyText?: string;
      columns: Array<{ label: string }>;
    }>;
  }>;
  const catalogue = JSON.parse(
    readFileSync(
      fileURLToPath(new URL('../../broker/catalogue/providers.json', import.meta.url)),
      'utf8',
    ),
  ) as Catalogue;
  const texts = new Set<string>(['Nothing here yet.']);
  for (const provider of catalogue) {
    texts.add(provider.displayName);
    for (const view of provider.views) {
      texts.add(view.title);
      if (view.description) texts.add(view.description);
      if (view.emptyText) texts.add(view.emptyText);
      for (const column of view.columns) texts.add(column.label);
    }
  }

  it.each(LOCALES.filter((locale) => locale !== 'en'))(
    'has %s for every title, label and empty text of broker/catalogue/providers.json',
    (locale) => {
      const missing = [...texts].filter((text) => !(text in CATALOGUE_TEXT[locale]));
      expect(texts.size).toBeGreaterThan(30);
      expect(missing).toEqual([]);
    },
  );
});

describe('the language the app speaks', () => {
  it('is the first of the computer’s languages it has, by primary subtag; else English', () => {
    expect(pickLocale(['de-AT', 'en-US'])).toBe('de');
    expect(pickLocale(['fr-FR', 'de'])).toBe('de');
    expect(pickLocale(['en-GB', 'de-DE'])).toBe('en');
    expect(pickLocale(['fr-FR', 'ja'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });

  it('formats dates and numbers in the computer’s region when it speaks its language', () => {
    expect(formattingLocale('de', ['de-AT'])).toBe('de-AT');
    expect(formattingLocale('en', ['en-gb'])).toBe('en-GB');
    expect(formattingLocale('de', ['en-GB'])).toBe('de');
  });
});
