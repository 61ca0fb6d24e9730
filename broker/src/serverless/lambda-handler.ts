import awsLambdaFastify from '@fastify/aws-lambda';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { FastifyBaseLogger, FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import type { BrokerConfig } from '../config/broker-config.js';
import { buildBroker, type BrokerDeps } from '../http/build-broker.js';

export type LambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The broker's Fastify app behind an API Gateway HTTP API (payload format 2.0) Lambda handler.
 * Requests go through `app.inject`: the same plugins, routes and problems as the listening broker
 * (docs/architecture.md#the-broker-on-aws-lambda).
 */
export async function createLambdaHandler(
  config: BrokerConfig,
  deps: BrokerDeps = {},
): Promise<{ handler: LambdaHandler; app: FastifyInstance }> {
  const app = await buildBroker(config, deps);
  // Ready before the first event: plugin start-up is part of the cold start, not of a request.
  await app.ready();
  const proxy = awsLambdaFastify<APIGatewayProxyEventV2>(app, {
    // The event and context are not needed by any route; do not copy them onto each request.
    decorateRequest: false,
    enforceBase64: isBinaryAnswer,
  });
  return {
    app,
    handler: async (event, context) => {
      try {
        return await proxy(withRawQuery(event), context);
      } finally {
        await flushLogs(app.log);
      }
    },
  };
}

/**
 * Writes the log lines still batched (`logger.ts`): a container may be frozen after an
 * invocation, or never thawed, so its audit lines leave before it returns.
 */
function flushLogs(log: FastifyBaseLogger): Promise<void> {
  // Fastify's logger is the broker's pino logger itself (`buildBroker`'s `loggerInstance`).
  return new Promise((resolve) => (log as Logger).flush(() => resolve()));
}

/**
 * The adapter rebuilds the query from `queryStringParameters`, where API Gateway has joined
 * repeated keys with commas; a proxied call must reach the provider with the query as the caller
 * sent it, so the raw query string goes on the path and the parsed form is dropped.
 */
function withRawQuery(event: APIGatewayProxyEventV2): APIGatewayProxyEventV2 {
  if (!event.rawQueryString) return event;
  const { queryStringParameters: _parsed, ...rest } = event;
  return { ...rest, rawPath: `${event.rawPath}?${event.rawQueryString}` };
}

const TEXT_TYPE =
  /^(?:text\/|application\/(?:[\w.+-]*\+)?json\b|application\/(?:[\w.+-]*\+)?xml\b)/i;

/** A provider answer that is compressed or not text goes back base64, byte for byte. */
function isBinaryAnswer(response: LightMyRequestResponse): boolean {
  const encoding = response.headers['content-encoding'];
  if (encoding && encoding !== 'identity') return true;
  const type = response.headers['content-type'];
  return typeof type === 'string' && type !== '' && !TEXT_TYPE.test(type);
}
