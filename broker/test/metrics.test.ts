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
