/**
 * `npm run build:broker`: the broker as one ES module for plain `node` (see production-bundle.ts).
 * Run it with `node broker/dist/server/broker.mjs` and the same environment as `npm run broker`;
 * `broker/dist/server/lambda.mjs` is the AWS Lambda entry (handler `lambda.handler`), and
 * `broker/dist/server/tracing-sdk.mjs` the OpenTelemetry SDK both load when tracing is on.
 */
import { buildBrokerBundle } from './production-bundle.js';

const { bundle, lambda, inputs } = await buildBrokerBundle();
const packages = new Set(
  inputs.flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? []),
);
process.stdout.write(
  `build:broker: ${bundle} and ${lambda} (${inputs.length} modules from ${packages.size} packages)\n`,
);
