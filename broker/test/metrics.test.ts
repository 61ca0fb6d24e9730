import { describe, expect, it } from 'vitest';
import { boundPerLabels, createMetrics } from '../src/observability/metrics.js';

describe('boundPerLabels', () => {
  it('binds each label set once and counts into the child of that set only', async () => {
    const metrics = createMetrics();
    const bound: string[][] = [];
    const callCounter = boundPerLabels((connection: string, outcome: string) => {
      bound.push([connection, outcome]);
      return metrics.proxyCalls.labels(connection, outcome);
    });
    callCounter('github', 'ok').inc();
    callCounter('github', 'ok').inc();
    callCounter('github', 'path_not_allowed').inc();
    // Labels whose joined text would collide with a plain space separator stay apart.
    callCounter('a b', 'c').inc();
    callCounter('a', 'b c').inc();

    expect(bound).toEqual([
      ['github', 'ok'],
      ['github', 'path_not_allowed'],
      ['a b', 'c'],
      ['a', 'b c'],
    ]);
    const values = (await metrics.proxyCalls.get()).values.map(({ labels, value }) => [
      labels.connection,
      labels.outcome,
      value,
    ]);
    expect(values).toEqual([
      ['github', 'ok', 2],
      ['github', 'path_not_allowed', 1],
      ['a b', 'c', 1],
      ['a', 'b c', 1],
    ]);
  });
});

describe('counts added when the registry is read (LaterCounts)', () => {
  it('adds each label set its own counts, once, whenever the counter is read', async () => {
    const metrics = createMetrics();
    const proxied = (connection: string, outcome: string) =>
      metrics.proxyCallCounts.of(connection, outcome);
    proxied('github', 'ok').count += 1;
    proxied('github', 'ok').count += 1;
    proxied('github', 'path_not_allowed').count += 1;
    // Label values that would run together if joined stay apart.
    proxied('a b', 'c').count += 1;
    proxied('a', 'b c').count += 1;
    const read = async () =>
      (await metrics.proxyCalls.get()).values.map(({ labels, value }) => [
        labels.connection,
        labels.outcome,
        value,
      ]);
    const first = [
      ['github', 'ok', 2],
      ['github', 'path_not_allowed', 1],
      ['a b', 'c', 1],
      ['a', 'b c', 1],
    ];
    expect(await read()).toEqual(first);
    // A second read adds nothing more; a later count is added at the next.
    expect(await read()).toEqual(first);
    proxied('github', 'ok').count += 1;
    expect(await metrics.registry.getSingleMetricAsString('broker_proxy_calls_total')).toContain(
      'broker_proxy_calls_total{connection="github",outcome="ok"} 3',
    );
  });
});

describe('broker_log_lines_dropped_total', () => {
  it("reports the log destination's drop count as it stands at each scrape", async () => {
    let dropped = 0;
    const metrics = createMetrics({ droppedLogLines: () => dropped });
    const scrape = async () => {
      const text = await metrics.registry.metrics();
      return Number(/^broker_log_lines_dropped_total (\d+)$/m.exec(text)?.[1]);
    };
    expect(await scrape()).toBe(0);
    dropped = 120;
    expect(await scrape()).toBe(120);
    expect(await scrape()).toBe(120);
    dropped = 125;
    expect(await scrape()).toBe(125);
  });
});
