/**
 * Names only the sandbox's and the dev stack's schemas use: the schemas' own names, and fields of
 * the sandbox's start line that no product schema has. A packaged bundle that contains one carries
 * development-only code (docs/architecture.md#layering), and `npm run check:bundles` fails on it.
 * scripts/test/check-bundles.test.ts keeps this list tied to the schemas it names.
 */
export const SANDBOX_SCHEMA_NAMES = [
  'SandboxInfo',
  'SandboxUser',
  'IssuedIdpToken',
  'IssuedConnectValue',
  'DevStackLine',
] as const;

/** Keys of `SandboxInfo` that no product schema has. */
export const SANDBOX_ONLY_FIELDS = [
  'desktopClientId',
  'managementAudience',
  'm2mLimited',
  'idpBaseUrls',
  'webVault',
] as const;

export const SANDBOX_ONLY_NAMES: readonly string[] = [
  ...SANDBOX_SCHEMA_NAMES,
  ...SANDBOX_ONLY_FIELDS,
];
