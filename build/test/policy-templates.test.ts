import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { parse as parsePlist } from 'plist';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, matchConfigKey } from '../../main/src/config/config-keys.js';
import { loadConfig } from '../../main/src/config/load-config.js';
import { namesSecret } from '../../main/src/config/secret-keys.js';
import { projectRoot } from './project-root.js';

const templates = path.join(projectRoot, 'build/policy-templates');
const read = (file: string) => readFile(path.join(templates, file), 'utf8');

function parseXml(text: string) {
  const errors: string[] = [];
  const document = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') errors.push(message);
    },
  }).parseFromString(text, 'text/xml');
  expect(errors).toEqual([]);
  return document;
}

function elements(root: { getElementsByTagName(name: string): ArrayLike<Element> }, name: string) {
  return Array.from(root.getElementsByTagName(name));
}

/** The registry values an ADMX writes: `valueName` on boolean policies and on their elements. */
function admxValueNames(admx: string): string[] {
  const document = parseXml(admx);
  return elements(document, 'policy').flatMap((policy) => {
    const own = policy.getAttribute('valueName');
    const nested = elements(policy, '*')
      .map((element) => element.getAttribute('valueName'))
      .filter((name): name is string => Boolean(name));
    return own ? [own, ...nested] : nested;
  });
}

/** The preference keys a .mobileconfig sets for com.linkboard.desktop (Payload* keys aside). */
function mobileconfigSettings(text: string): Record<string, unknown> {
  const profile = parsePlist(text) as { PayloadContent: Array<Record<string, unknown>> };
  const payload = profile.PayloadContent.find(
    (item) => item.PayloadType === 'com.linkboard.desktop',
  );
  if (!payload) throw new Error('no com.linkboard.desktop payload');
  return Object.fromEntries(Object.entries(payload).filter(([key]) => !key.startsWith('Payload')));
}

/** Which configuration keys a template's keys name, and which of its keys name a secret. */
function audit(keys: readonly string[]) {
  return {
    configKeys: keys.map((key) => matchConfigKey(key)).sort(),
    secretKeys: keys.filter((key) => namesSecret(key)),
  };
}

const everyKey = [...CONFIG_KEYS].sort();

describe('the Group Policy template (ADMX/ADML)', () => {
  it('writes every configuration key, and nothing that names a secret', async () => {
    const result = audit(admxValueNames(await read('linkboard.admx')));
    expect(result.configKeys).toEqual(everyKey);
    expect(result.secretKeys).toEqual([]);
  });

  it('the audit would catch a secret policy planted in it', async () => {
    const planted = (await read('linkboard.admx')).replace(
      '</policies>',
      `<policy name="S" class="Machine" displayName="x" key="Software\\Policies\\Linkboard">
        <elements><text id="S" valueName="ClientSecret" /></elements></policy></policies>`,
    );
    expect(audit(admxValueNames(planted)).secretKeys).toEqual(['ClientSecret']);
  });

  it('writes only under Software\\Policies\\Linkboard, in machine and user policy', async () => {
    const document = parseXml(await read('linkboard.admx'));
    for (const policy of elements(document, 'policy')) {
      expect(policy.getAttribute('key')).toBe(String.raw`Software\Policies\Linkboard`);
      expect(policy.getAttribute('class')).toBe('Both');
    }
  });

  it('has every string and presentation it refers to in the en-US ADML', async () => {
    const admx = await read('linkboard.admx');
    const adml = parseXml(await read('en-US/linkboard.adml'));
    const strings = new Set(elements(adml, 'string').map((element) => element.getAttribute('id')));
    const presentations = new Map(
      elements(adml, 'presentation').map((element) => [element.getAttribute('id'), element]),
    );
    for (const [, id] of admx.matchAll(/\$\(string\.([^)]+)\)/g)) expect(strings).toContain(id);
    const document = parseXml(admx);
    for (const policy of elements(document, 'policy')) {
      const reference = /^\$\(presentation\.(.+)\)$/.exec(
        policy.getAttribute('presentation') ?? '',
      );
      if (!reference) continue;
      const presentation = presentations.get(reference[1]!);
      expect(presentation, `presentation ${reference[1]}`).toBeDefined();
      const elementIds = elements(policy, '*')
        .map((element) => element.getAttribute('id'))
        .filter(Boolean);
      const refIds = elements(presentation!, '*')
        .map((element) => element.getAttribute('refId'))
        .filter(Boolean);
      expect(refIds.sort()).toEqual(elementIds.sort());
    }
  });
});

describe('the macOS configuration profile', () => {
  it('sets every configuration key for com.linkboard.desktop, and nothing that names a secret', async () => {
    const settings = mobileconfigSettings(await read('com.linkboard.desktop.mobileconfig'));
    const result = audit(Object.keys(settings));
    expect(result.configKeys).toEqual(everyKey);
    expect(result.secretKeys).toEqual([]);
  });

  it('holds values the config service accepts as a complete policy', async () => {
    const settings = mobileconfigSettings(await read('com.linkboard.desktop.mobileconfig'));
    const result = loadConfig([{ kind: 'policy', location: 'profile', values: settings }], {
      isDevelopment: false,
    });
    expect(result.ok).toBe(true);
  });
});

describe('the Linux policy.json sample', () => {
  it('sets every configuration key, and nothing that names a secret', async () => {
    const sample = JSON.parse(await read('policy.json.sample')) as Record<string, unknown>;
    const result = audit(Object.keys(sample));
    expect(result.configKeys).toEqual(everyKey);
    expect(result.secretKeys).toEqual([]);
  });

  it('holds values the config service accepts as a complete policy', async () => {
    const values = JSON.parse(await read('policy.json.sample')) as Record<string, unknown>;
    const result = loadConfig([{ kind: 'policy', location: 'sample', values }], {
      isDevelopment: false,
    });
    expect(result.ok && result.value.sources).toEqual(
      Object.fromEntries(CONFIG_KEYS.map((key) => [key, 'policy'])),
    );
  });
});
