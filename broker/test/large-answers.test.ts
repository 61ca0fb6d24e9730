import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { spawnJsonLineProcess } from '@linkboard/testing/json-line-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from './support/local-server.js';
import { startStack, type Stack } from './support/stack.js';

const brokerDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const CALLS = 100;
/** Peak resident memory the broker may reach serving them, in MiB (it buffered ~690 before). */
const PEAK_RSS_BOUND_MIB = 300;
const MIB = 1024 * 1024;

/**
 * A GitHub stand-in whose repository list is ~4.9 MB, counting the calls in flight at once. It
 * holds each answer until all the calls have arrived (or half a second has passed), so the answers
 * reach the broker together, as in a burst, however slowly the machine starts them.
 */
async function startLargeGitHub(): Promise<LocalServer & { mostAtOnce(): number; size: number }> {
  const repos = Array.from({ length: 24_000 }, (_, id) => ({
    id,
    name: `repository-${id}`,
    description: 'd'.repeat(150),
  }));
  const body = Buffer.from(JSON.stringify(repos));
  let inFlight = 0;
  let mostAtOnce = 0;
  const server = await startLocalServer((req, res) => {
    inFlight += 1;
    mostAtOnce = Math.max(mostAtOnce, inFlight);
    res.once('close', () => (inFlight -= 1));
    const answer = () => {
      if (res.headersSent) return;
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(body.length),
        link: `<${server.url}/user/repos?page=2>; rel="next"`,
      });
      res.end(body);
    };
    held.push(answer);
    if (held.length >= CALLS) for (const release of held.splice(0)) release();
    else setTimeout(answer, 500);
  });
  const held: Array<() => void> = [];
  return Object.assign(server, { mostAtOnce: () => mostAtOnce, size: body.length });
}

/** Resident memory figures of a process, in MiB, from /proc. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

describe(`${CALLS} concurrent ~5 MB answers`, () => {
  let stack: Stack;
  let github: Awaited<ReturnType<typeof startLargeGitHub>>;
  let token: string;

  beforeAll(async () => {
    stack = await startStack();
    github = await startLargeGitHub();
    token = await stack.tokenFor('alice');
  });
  afterAll(async () => {
    await github?.close();
    await stack?.close();
  });

  async function measure(extraEnv: Record<string, string>) {
    const broker = spawnJsonLineProcess({
      command: process.execPath,
      args: ['--import', 'tsx', 'src/cli.ts'],
      cwd: brokerDir,
      env: {
        PATH: process.env.PATH,
        LOG_LEVEL: 'warn',
        ...brokerEnvFromSandbox(stack.info),
        PROVIDER_BASE_URL_GITHUB: github.url,
        // The 100 callers stand for many clients but all connect from 127.0.0.1.
        BROKER_MAX_CONNECTIONS_PER_ADDRESS: '0',
        // Memory is measured here, not time: 470 MB through one process on a small shared machine
        // can take longer than the default budget, which would cut answers short.
        BROKER_REQUEST_BUDGET_MS: '120000',
        ...extraEnv,
      },
      parse: (json) => {
        const line = json as { brokerUrl?: unknown } | null;
        if (typeof line?.brokerUrl !== 'string') throw new Error('no brokerUrl');
        return line.brokerUrl;
      },
      keepOutput: false,
      timeoutMs: 20_000,
      name: 'broker (large answers)',
    });
    try {
      const { value: brokerUrl } = await broker.started;
      const pid = broker.child.pid!;
      const get = async () => {
        const response = await fetch(`${brokerUrl}/v1/idp/github/user/repos`, {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(60_000),
        });
        let bytes = 0;
        for await (const chunk of response.body!) bytes += (chunk as Uint8Array).length;
        return { status: response.status, bytes, link: response.headers.get('link') };
      };
      // One call first: caches filled and code loaded, so the figure is the answers' alone.
      expect((await get()).status).toBe(200);
      const before = memoryOf(pid);
      const answers = await Promise.all(Array.from({ length: CALLS }, get));
      const after = memoryOf(pid);
      expect(answers.every((answer) => answer.status === 200 && answer.bytes === github.size)).toBe(
        true,
      );
      expect(answers[0]!.link).toBe('</v1/idp/github/user/repos?page=2>; rel="next"');
      return { before: before.rss, peak: after.peak };
    } finally {
      await broker.stop();
    }
  }

  it('keeps the broker under the RSS bound, streaming and at most 8 calls per user', async () => {
    const { before, peak } = await measure({});
    console.warn(
      `[rss] ${CALLS} × ${(github.size / MIB).toFixed(1)} MiB, one user: RSS ${before.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB; most provider calls at once ${github.mostAtOnce()}`,
    );
    expect(peak).toBeLessThan(PEAK_RSS_BOUND_MIB);
    expect(github.mostAtOnce()).toBeLessThanOrEqual(8);
  });

  it('keeps it under the bound by streaming alone, with the per-user bound lifted', async () => {
    const { before, peak } = await measure({ BROKER_MAX_CALLS_PER_USER: String(CALLS) });
    console.warn(
      `[rss] ${CALLS} × ${(github.size / MIB).toFixed(1)} MiB, no per-user bound: RSS ${before.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB`,
    );
    expect(peak).toBeLessThan(PEAK_RSS_BOUND_MIB);
  });
});
