// One lint configuration for the whole tree.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * The layering (docs/architecture.md#layering), enforced here rather than in review. Each entry is
 * one forbidden direction; `restrict` below gives every folder the full list of its own, because a
 * later `no-restricted-imports` setting replaces an earlier one instead of adding to it.
 * Relative paths are matched by the folder they reach (`…/sandbox/src/…`), packages by name.
 */
const boundaries = {
  electron: {
    regex: '^electron(/|$)',
    message:
      'electron is imported only in main/src/electron/ and preload/src/index.ts; take what you need as a small interface (docs/architecture.md#testing-without-electron).',
  },
  sandbox: {
    regex: '^@linkboard/(sandbox|dev-stack)(/|$)|(^|/)(sandbox/src|scripts/dev-stack)(/|$)',
    message:
      'the sandbox and the dev stack are development tools: only tests, e2e/, bench/ and scripts/ import them (docs/architecture.md#layering).',
  },
  broker: {
    regex: '^@linkboard/broker(/|$)|(^|/)broker/(src|test|catalogue)(/|$)',
    message:
      'the desktop app does not import the broker: it speaks to it over HTTP, with the schemas in contract/ (docs/architecture.md#layering).',
  },
  desktop: {
    regex: '(^|/)(main|preload|renderer)/(src|test|dev)(/|$)',
    message:
      'the broker does not import the desktop app: shared schemas live in contract/ (docs/architecture.md#layering).',
  },
  ourPackages: {
    regex: '^@linkboard/(?!contract(/|$))|^\\.\\./\\.\\./',
    message:
      'contract/ imports nothing of ours: every part imports it (docs/architecture.md#layering).',
  },
};

/** The `no-restricted-imports` setting for files subject to these boundaries. */
function restrict(...names) {
  return {
    'no-restricted-imports': [
      'error',
      { patterns: names.map((name) => ({ ...boundaries[name] })) },
    ],
  };
}

/** What ships or runs in production: it may not reach the sandbox or the dev stack. */
const PRODUCT_SOURCES = ['main/src/**', 'preload/src/**', 'renderer/src/**', 'renderer/dev/**'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/out/**',
      '.tsbuild/**',
      'coverage/**',
      'e2e/artifacts/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error', 'warn'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  // Layering: the general rule first, then each folder's own list (a later match wins).
  { files: ['**/*.{ts,tsx,js,mjs,cjs}'], rules: restrict('electron') },
  { files: PRODUCT_SOURCES, rules: restrict('electron', 'sandbox', 'broker') },
  {
    files: ['main/test/**', 'preload/test/**', 'renderer/test/**', 'main/*.ts', 'renderer/*.ts'],
    rules: restrict('electron', 'broker'),
  },
  { files: ['broker/src/**'], rules: restrict('electron', 'sandbox', 'desktop') },
  { files: ['broker/test/**', 'broker/*.ts'], rules: restrict('electron', 'desktop') },
  { files: ['contract/**'], rules: restrict('electron', 'sandbox', 'ourPackages') },
  { files: ['testing/src/**', 'build/tools/**'], rules: restrict('electron', 'sandbox') },
  // The Electron layer and the preload entry are where electron is imported.
  { files: ['main/src/electron/**', 'preload/src/index.ts'], rules: restrict('sandbox', 'broker') },
  // A stand-in preload the e2e host bundles with its electron shim, as it bundles the real one.
  { files: ['e2e/selftest/fixtures/**'], rules: { 'no-restricted-imports': 'off' } },
  {
    // Command-line entry points, scripts and benchmarks talk to people on stdout.
    files: ['**/cli.ts', 'scripts/**', 'bench/**', '**/*.config.{js,ts}'],
    rules: { 'no-console': 'off' },
  },
);
