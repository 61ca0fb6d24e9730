import { loadConfig } from '../config/load-config.js';
import { createLambdaHandler } from './lambda-handler.js';

/**
 * The Lambda entry (`dist/server/lambda.mjs`, handler `lambda.handler`): configuration from the
 * function's environment, the app built once per container during init, so the M2M token, the
 * identities cache and the tenant's keys stay in module scope while the container is warm
 * (docs/architecture.md#the-broker-on-aws-lambda). Nothing listens: `PORT` is ignored.
 */
const config = loadConfig({ ...process.env, PORT: '0' });

export const { handler } = await createLambdaHandler(config);
