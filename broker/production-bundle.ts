import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

/**
 * The broker's production build: `src/cli.ts` and every dependency in ONE ES module for plain
 * `node` (no tsx, no node_modules at run time), plus the provider catalogue it reads beside it.
 * The AWS Lambda entry, `src/serverless/lambda.ts`, is built the same way beside it as
 * `dist/server/lambda.mjs` (handler `lambda.handler`), a self-contained module of its own.
 *
 * The OpenTelemetry SDK and its instrumentations, loaded only when tracing is on
 * (`src/observability/start-tracing.ts`), are a third module beside them,
 * `dist/server/tracing-sdk.mjs`, which the other two import by path: with tracing off the SDK is
 * neither read nor parsed, and a cold start does not pay for it.
 *
 * The catalogue is read at run time from `../../catalogue/providers.json` relative to the module
 * that reads it (`src/catalogue/load-catalogue.ts`, two folders below the broker's root), so the
 * bundle sits two folders below a root holding `catalogue/`: `dist/server/broker.mjs`. The image
 * keeps the same layout (`/app/dist/server/broker.mjs`, `/app/catalogue/`).
 */
const brokerRoot = dirname(fileURLToPath(import.meta.url));

export const BUNDLE_PATH = 'dist/server/broker.mjs';
export const LAMBDA_BUNDLE_PATH = 'dist/server/lambda.mjs';
export const TRACING_SDK_PATH = 'dist/server/tracing-sdk.mjs';
export const CATALOGUE_PATH = 'catalogue/providers.json';

/**
 * The `node` flags the broker runs with, wherever it runs as a process: the image's entry point,
 * README's command and the benches. Both keep V8 from running a full mark-compact every few
 * dozen milliseconds under a steady load (bench/README.md, points 11 and 13):
 * - `--max-semi-space-size=16` caps the young generation at 16 MiB per semi-space (Node 24 let it
 *   grow to 64 MiB on the 2-core, 23 GB development machine). With the larger one, V8 ran a full
 *   mark-compact every 150-250 ms, ×1.4 the CPU per call at 2,500 calls/s.
 * - `--heap-growing-percent=200` lets the old generation grow to three times what the last full
 *   collection kept before the next one. Within a container's memory limit (256, 384 or 512 MiB)
 *   V8 sizes its heap for that memory and grows it by less: with ~20 MB kept it started marking
 *   again as soon as it finished, ×2 the CPU per call. Without a limit it changes nothing
 *   measurable (×1.03 in a paired run).
 * Both are V8's; `NODE_OPTIONS` refuses the second, so they go on the command line.
 */
export const BROKER_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=16',
  '--heap-growing-percent=200',
];

/** `import('./tracing-sdk.js')` stays an import of the module built beside the bundle. */
const tracingSdkApart: Plugin = {
  name: 'tracing-sdk-apart',
  setup(builder) {
    builder.onResolve({ filter: /^\.\/tracing-sdk\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './tracing-sdk.mjs', external: true } : undefined,
    );
  },
};

export function brokerBundleOptions(outdir = join(brokerRoot, dirname(BUNDLE_PATH))): BuildOptions {
  return {
    entryPoints: {
      broker: join(brokerRoot, 'src/cli.ts'),
      lambda: join(brokerRoot, 'src/serverless/lambda.ts'),
      'tracing-sdk': join(brokerRoot, 'src/observability/tracing-sdk.ts'),
    },
    plugins: [tracingSdkApart],
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

/**
 * The production layout in a folder of its own, as an operator (or the image) has it: the
 * catalogue copied to `catalogue/` and the bundles built below `dist/server/`, with no
 * node_modules anywhere above them.
 */
export async function buildBrokerApp(
  folder: string,
): Promise<{ bundle: string; lambda: string; inputs: string[] }> {
  mkdirSync(join(folder, dirname(CATALOGUE_PATH)), { recursive: true });
  copyFileSync(join(brokerRoot, CATALOGUE_PATH), join(folder, CATALOGUE_PATH));
  return buildBrokerBundle(folder);
}
