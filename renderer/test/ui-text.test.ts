// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findLiteralUiText } from './helpers/literal-ui-text';

const src = fileURLToPath(new URL('../src/', import.meta.url));

function componentFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'i18n' ? [] : componentFiles(path);
    return entry.name.endsWith('.tsx') ? [path] : [];
  });
}

describe('UI text', () => {
  it('comes from the message catalogue: no literal text in any component', () => {
    const files = componentFiles(src);
    expect(files.length).toBeGreaterThan(30);
    const literals = files.flatMap((file) =>
      findLiteralUiText(file, readFileSync(file, 'utf8')).map(
        (hit) => `${relative(src, file)}:${hit.line} ${hit.text}`,
      ),
    );
    expect(literals).toEqual([]);
  });

  it('the check finds text, literal children and user-visible attributes written in place', () => {
    const planted = [
      'export const A = () => <p>Hello there</p>;',
      'export const B = ({ ok }: { ok: boolean }) => <span>{ok ? "Yes" : "No"}</span>;',
      'export const C = () => <nav aria-label="Main" />;',
      'export const D = ({ n }: { n: number }) => <b title={`Retry in ${n}s`} />;',
      'export const E = () => <Skeleton label="Loading…" />;',
      'export const F = () => <input placeholder={"Filter"} />;',
    ].join('\n');
    expect(findLiteralUiText('planted.tsx', planted).map((hit) => hit.line)).toEqual([
      1, 2, 2, 3, 4, 5, 6,
    ]);
  });

  it('lets through catalogue calls, test ids, class names and text without letters', () => {
    const clean = [
      'export const A = () => <p className="x" data-testid="y">{t(\'a.b\')}</p>;',
      "export const B = () => <span aria-label={t('c', { n: 'x' })}>—</span>;",
      'export const C = ({ s }: { s: string }) => <i title={s}>{t(`status.${s}`)}</i>;',
      "export const D = () => <>{' '}</>;",
    ].join('\n');
    expect(findLiteralUiText('clean.tsx', clean)).toEqual([]);
  });
});
