import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

/**
 * The broker's production build: `src/cli.ts` and every dependency in ONE ES module for plain
 * `node` (no tsx, no node_modules at run time), plus the provider catalogue it reads beside it.
 * The AWS Lambda entry, `src/serverless/lambda.ts`, is built the same way beside it as
 * `dist/server/lambda.mjs` (handler `lambda.handler`), a self-contained module of its own.
 *
 * The catalogue is read at run time from `../../catalogue/providers.json` relative to the module
 * that reads it (`src/catalogue/load-catalogue.ts`, two folders below the broker's root), so the
 * bundle sits two folders below a root holding `catalogue/`: `dist/server/broker.mjs`. The image
 * keeps the same layout (`/app/dist/server/broker.mjs`, `/app/catalogue/`).
 */
const brokerRoot = dirname(fileURLToPath(import.meta.url));

export const BUNDLE_PATH = 'dist/server/broker.mjs';
export const LAMBDA_BUNDLE_PATH = 'dist/server/lambda.mjs';
export const CATALOGUE_PATH = 'catalogue/providers.json';

export function brokerBundleOptions(outdir = join(brokerRoot, dirname(BUNDLE_PATH))): BuildOptions {
  return {
    entryPoints: {
      broker: join(brokerRoot, 'src/cli.ts'),
      lambda: join(brokerRoot, 'src/serverless/lambda.ts'),
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    // Bundled CommonJS dependencies call require() for Node built-ins; give the ESM bundle one.
    banner: {
      js: "import { createRequire as __brokerCreateRequire } from 'node:module'; const require = __brokerCreateRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
    metafile: true,
  };
}

/** Builds the bundle; refuses when the catalogue would not be where the bundle looks for it. */
export async function buildBrokerBundle(
  root = brokerRoot,
): Promise<{ bundle: string; lambda: string; inputs: string[] }> {
  const bundle = join(root, BUNDLE_PATH);
  const lambda = join(root, LAMBDA_BUNDLE_PATH);
  const catalogue = join(dirname(bundle), '../..', CATALOGUE_PATH);
  if (!existsSync(catalogue)) {
    throw new Error(`the bundle would read the catalogue at ${catalogue}, which does not exist`);
  }
  const result = await build(brokerBundleOptions(dirname(bundle)));
  return { bundle, lambda, inputs: Object.keys(result.metafile?.inputs ?? {}) };
}
