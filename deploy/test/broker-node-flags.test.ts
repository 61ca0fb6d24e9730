import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BROKER_NODE_FLAGS } from '../../broker/production-bundle.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The broker's `node` flags are set in three places an operator copies from: all three agree. */
describe("the broker's node flags", () => {
  it("are in the image's entry point", () => {
    const entrypoint = /^ENTRYPOINT (.*)$/m.exec(read('broker/Dockerfile'))?.[1];
    expect(JSON.parse(entrypoint ?? 'null')).toEqual([
      'node',
      ...BROKER_NODE_FLAGS,
      '/app/dist/server/broker.mjs',
    ]);
  });

  it("are in README's command for the broker as a process", () => {
    expect(read('README.md')).toContain(
      `exec node ${BROKER_NODE_FLAGS.join(' ')} dist/server/broker.mjs`,
    );
  });
});
