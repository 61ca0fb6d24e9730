import { context, propagation, trace, type ProxyTracerProvider } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK, resources, type tracing } from '@opentelemetry/sdk-node';
import { FastifyOtelInstrumentation } from '@fastify/otel';

/** Probes and scrapes: frequent, uninteresting, and not worth a trace each. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface SdkOptions {
  serviceName: string;
  /** Where spans go instead of the OTLP exporter the `OTEL_*` variables describe (tests). */
  spanProcessors?: tracing.SpanProcessor[];
  /** The exports of the modules the broker uses, as the broker holds them (see patchHeldModules). */
  modules: { http: unknown; https: unknown; ioredis: unknown };
}

export interface RunningSdk {
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * The OpenTelemetry SDK with the HTTP, undici, ioredis and Fastify instrumentations
 * (docs/architecture.md#traces). Its own module, built apart as `dist/server/tracing-sdk.mjs`, so
 * a broker with tracing off never loads or parses it.
 */
export function startSdk(options: SdkOptions): RunningSdk {
  const http = new HttpInstrumentation({
    // Every outgoing call goes through undici, traced by its own instrumentation.
    disableOutgoingRequestInstrumentation: true,
    ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has(pathOf(request.url)),
  });
  // Background work (key set refreshes, readiness checks) is not a request's: no root spans.
  const redis = new IORedisInstrumentation({ requireParentSpan: true });
  const undici = new UndiciInstrumentation({ requireParentforSpans: true });
  // Registers itself on every Fastify instance created from now on (through a diagnostics
  // channel), so it works the same from source, from the bundle and on Lambda.
  const fastify = new FastifyOtelInstrumentation({
    registerOnInitialization: true,
    // An exception's message and stack are not span data: the problem code is enough.
    recordExceptions: false,
    ignorePaths: (route) => UNTRACED_PATHS.has(route.url ?? ''),
  });
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    // Not the process detector: it exports the command line (process.command_args), which is no
    // span data and may carry what a launcher put there. The runtime and pid are said here.
    resourceDetectors: [resources.envDetector, resources.hostDetector],
    resource: resources.defaultResource().merge(
      resources.resourceFromAttributes({
        'process.pid': process.pid,
        'process.runtime.name': 'nodejs',
        'process.runtime.version': process.versions.node,
      }),
    ),
    instrumentations: [http, redis, undici, fastify as unknown as HttpInstrumentation],
    // Traces only: the broker's metrics are Prometheus's, on /metrics.
    metricReaders: [],
    logRecordProcessors: [],
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
  });
  sdk.start();
  const unpatchHeld = patchHeldModules([
    [http, 'http', options.modules.http],
    [http, 'https', options.modules.https],
    [redis, 'ioredis', options.modules.ioredis],
  ]);
  const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as {
    forceFlush?: () => Promise<void>;
  };
  return {
    flush: async () => {
      await provider.forceFlush?.();
    },
    shutdown: async () => {
      await sdk.shutdown();
      // Unpatched and unsubscribed too: a process that goes on (a test run) is as before.
      unpatchHeld();
      for (const instrumentation of [http, redis, undici, fastify]) instrumentation.disable();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** What `patchHeldModules` uses of an instrumentation (`InstrumentationBase`'s public side). */
interface PatchingInstrumentation {
  /** Built anew on each call, with the instrumentation's own patch and unpatch. */
  getModuleDefinitions(): {
    name: string;
    patch?: (exports: unknown, moduleVersion?: string) => unknown;
    unpatch?: (exports: unknown, moduleVersion?: string) => void;
  }[];
}

/**
 * Instrumentations patch a module when Node loads it by name. In the production bundle ioredis
 * is no module Node loads, and `node:http` was loaded before tracing started, so each is patched
 * here from the exports the broker holds. Meeting a patch made on loading is harmless: the HTTP
 * instrumentation skips a second patch, the ioredis one undoes the first. Returns what undoes
 * these patches.
 */
function patchHeldModules(modules: [PatchingInstrumentation, string, unknown][]): () => void {
  const undo: (() => void)[] = [];
  for (const [instrumentation, name, exports] of modules) {
    for (const definition of instrumentation.getModuleDefinitions()) {
      if (definition.name !== name || !definition.patch) continue;
      definition.patch(exports);
      const { unpatch } = definition;
      if (unpatch) undo.push(() => unpatch(exports));
    }
  }
  return () => {
    for (const step of undo) step();
  };
}

function pathOf(url: string | undefined): string {
  const path = url ?? '';
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end);
}
