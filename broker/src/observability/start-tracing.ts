import { createRequire } from 'node:module';
import { trace } from '@opentelemetry/api';
import type { tracing } from '@opentelemetry/sdk-node';
import { Redis } from 'ioredis';
import { useTracer } from './tracing.js';

export interface Tracing {
  /** Sends the spans still batched (a Lambda invocation ends before the batch would). */
  flush(): Promise<void>;
  /** Flushes, stops the exporter and turns the broker's spans off. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Where spans go instead of the OTLP exporter the environment describes (tests). */
  spanProcessors?: tracing.SpanProcessor[];
}

/**
 * Starts OpenTelemetry tracing when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (or a test gives its own
 * span processors), and does nothing otherwise: the SDK's module is not even loaded
 * (docs/architecture.md#traces). Run it before the broker is built. The exporter follows the
 * standard `OTEL_*` variables (protocol, headers, sampler, resource attributes).
 */
export async function startTracing(
  env: NodeJS.ProcessEnv,
  options: TracingOptions = {},
): Promise<Tracing | undefined> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !options.spanProcessors) return undefined;
  // A module of its own in the production build (`tracing-sdk.mjs`, broker/production-bundle.ts).
  const { startSdk } = await import('./tracing-sdk.js');
  const require = createRequire(import.meta.url);
  const sdk = startSdk({
    serviceName: env.OTEL_SERVICE_NAME ?? 'linkboard-broker',
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
    modules: { http: require('node:http'), https: require('node:https'), ioredis: Redis },
  });
  useTracer(trace.getTracer('linkboard-broker'));
  return {
    flush: () => sdk.flush(),
    shutdown: async () => {
      useTracer(undefined);
      await sdk.shutdown();
    },
  };
}
