import type { Attributes } from '@opentelemetry/api';
import type { tracing } from '@opentelemetry/sdk-node';

/** What a finished span carries that an exporter sends (the in-memory exporter's spans are such). */
export type SpanData = Pick<
  tracing.ReadableSpan,
  'name' | 'kind' | 'attributes' | 'status' | 'links' | 'resource' | 'instrumentationScope'
> & { events: readonly { name: string; attributes?: Attributes }[] };

/**
 * Each span as the text an exporter would send: its name, attributes, events (with theirs),
 * status, links and resource, for the leak scanner (`findLeaks`) to read.
 */
export function spanTexts(spans: readonly SpanData[]): string[] {
  return spans.map((span) =>
    JSON.stringify({
      name: span.name,
      kind: span.kind,
      attributes: span.attributes,
      events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
      status: span.status,
      links: span.links.map((link) => link.attributes),
      resource: span.resource.attributes,
      scope: span.instrumentationScope,
    }),
  );
}
