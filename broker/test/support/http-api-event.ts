import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/**
 * An API Gateway HTTP API event, payload format 2.0, as AWS documents it ("Working with AWS Lambda
 * proxy integrations for HTTP APIs"): lower-case headers, repeated query keys joined by commas in
 * `queryStringParameters`, `rawPath`/`rawQueryString` as sent, the `$default` route and stage.
 */
export function httpApiEvent(
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string,
): APIGatewayProxyEventV2 {
  const url = new URL(target, 'https://broker.example.com');
  const query: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys()))
    query[key] = url.searchParams.getAll(key).join(',');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: {
      host: url.host,
      'user-agent': 'linkboard-test',
      'x-forwarded-for': '198.51.100.7',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    },
    ...(url.search ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api1234567',
      domainName: url.host,
      domainPrefix: 'broker',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '198.51.100.7',
        userAgent: 'linkboard-test',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body }),
  };
}

/** The Lambda context object; the broker reads none of it. */
export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'linkboard-broker',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:linkboard-broker',
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/linkboard-broker',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
