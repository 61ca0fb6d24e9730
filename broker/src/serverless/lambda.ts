import { loadConfig } from '../config/load-config.js';
import { startTracing } from '../observability/start-tracing.js';
import { createLambdaHandler, type LambdaHandler } from './lambda-handler.js';

/**
 * The Lambda entry (`dist/server/lambda.mjs`, handler `lambda.handler`): configuration from the
 * function's environment, the app built once per container during init, so the M2M token, the
 * identities cache and the tenant's keys stay in module scope while the container is warm
 * (docs/architecture.md#the-broker-on-aws-lambda). Nothing listens: `PORT` is ignored.
 */
const config = loadConfig({ ...process.env, PORT: '0' });
const tracing = await startTracing(process.env);
const broker = await createLambdaHandler(config);

/**
 * With tracing on, each invocation's spans are sent before it returns: a container may be frozen,
 * or never thawed, before a batch would have been.
 */
export const handler: LambdaHandler = tracing
  ? async (event, context) => {
      try {
        return await broker.handler(event, context);
      } finally {
        await tracing.flush();
      }
    }
  : broker.handler;
