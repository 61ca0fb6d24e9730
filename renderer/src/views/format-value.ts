import type { ViewColumn } from '@linkboard/contract/provider-catalogue';

/**
 * A cell as the UI draws it: plain text in every case but two. URLs stay text too (the app window
 * never navigates away), but keep the full address for a tooltip.
 */
export type FormattedValue =
  | { kind: 'empty' }
  | { kind: 'text'; text: string; title?: string }
  | { kind: 'boolean'; value: boolean; text: string }
  | { kind: 'url'; text: string; href: string };

export type ColumnFormat = ViewColumn['format'];

export interface FormatOptions {
  locale?: string | undefined;
  timeZone?: string | undefined;
  /** How true and false read in the app's language. */
  booleanWords?: { yes: string; no: string };
}

const ENGLISH_BOOLEAN = { yes: 'Yes', no: 'No' };

/** `2024-05-01` (a date without a time) is a calendar day, not midnight UTC. */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function asDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const date =
    typeof value === 'string' && DATE_ONLY.test(value)
      ? new Date(`${value}T00:00:00`)
      : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function textOfValue(value: unknown, words = ENGLISH_BOOLEAN): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (Array.isArray(value)) return value.map((item) => textOfValue(item, words)).join(', ');
  return JSON.stringify(value);
}

function shortUrl(url: URL): string {
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.host}${path}`;
}

export function formatValue(
  value: unknown,
  format: ColumnFormat,
  options: FormatOptions = {},
): FormattedValue {
  if (value === undefined || value === null || value === '') return { kind: 'empty' };
  const { locale, timeZone, booleanWords = ENGLISH_BOOLEAN } = options;
  const textOf = (raw: unknown) => textOfValue(raw, booleanWords);
  switch (format) {
    case 'number': {
      const number = typeof value === 'number' ? value : Number(value);
      if (Number.isNaN(number)) return { kind: 'text', text: textOf(value) };
      return { kind: 'text', text: new Intl.NumberFormat(locale).format(number) };
    }
    case 'date':
    case 'datetime': {
      const date = asDate(value);
      if (!date) return { kind: 'text', text: textOf(value) };
      const dateOnly = format === 'date' || (typeof value === 'string' && DATE_ONLY.test(value));
      const formatter = new Intl.DateTimeFormat(locale, {
        dateStyle: 'medium',
        ...(dateOnly ? {} : { timeStyle: 'short' }),
        ...(timeZone ? { timeZone } : {}),
      });
      return { kind: 'text', text: formatter.format(date), title: date.toISOString() };
    }
    case 'boolean': {
      const truthy = value === true || value === 'true';
      return { kind: 'boolean', value: truthy, text: truthy ? booleanWords.yes : booleanWords.no };
    }
    case 'url':
    case 'image': {
      // As a cell, an image column shows where the image is, like a URL column; the picture
      // itself is drawn by ProviderImage, through main.
      if (typeof value !== 'string') return { kind: 'text', text: textOf(value) };
      try {
        const url = new URL(value);
        return { kind: 'url', text: shortUrl(url), href: url.href };
      } catch {
        return { kind: 'text', text: value };
      }
    }
    case 'text':
    default:
      return { kind: 'text', text: textOf(value) };
  }
}
