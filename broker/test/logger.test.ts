import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import { lazyChildLogger } from '../src/observability/lazy-child-logger.js';
import {
  batchedFileDestination,
  createLogger,
  createLoggers,
  type AuditEntry,
} from '../src/observability/logger.js';

/** An audit entry numbered `index`, with `fields` of the test's own. */
const auditEntry = (index: number, fields: Partial<AuditEntry> = {}): AuditEntry => ({
  requestId: `request-${index}`,
  user: 'auth0|alice',
  connection: 'github',
  method: 'GET',
  pathPattern: '/user/repos',
  status: 200,
  outcome: 'ok',
  upstreamStatus: 200,
  refreshed: false,
  durationMs: 1.5,
  ...fields,
});

describe('broker logger', () => {
  it('blanks credentials wherever they appear in a logged object', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    logger.info(
      {
        req: { headers: { authorization: 'Bearer user-token-1', cookie: 'a=b' } },
        headers: { authorization: 'Bearer user-token-2' },
        answer: { access_token: 'idp-token-3', refresh_token: 'refresh-4', id_token: 'id-5' },
        client: { client_secret: 'secret-6', clientSecret: 'secret-7' },
        identity: { accessToken: 'idp-token-8', refreshToken: 'refresh-9' },
        token: 'bare-10',
      },
      'something happened',
    );
    expect(lines).toHaveLength(1);
    for (const value of [
      'user-token-1',
      'a=b',
      'user-token-2',
      'idp-token-3',
      'refresh-4',
      'id-5',
      'secret-6',
      'secret-7',
      'idp-token-8',
      'refresh-9',
      'bare-10',
    ]) {
      expect(lines[0]).not.toContain(value);
    }
    expect(lines[0]).toContain('[redacted]');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: 'something happened',
      service: 'linkboard-broker',
    });
  });

  it("writes audit lines in the logger's shape, and none above the info level", () => {
    const lines: string[] = [];
    const { logger, audit } = createLoggers('info', {
      write: (line: string) => void lines.push(line),
    });
    const entry = auditEntry(0, {
      requestId: '6f1c1d2e-2d3c-4b5a-9f8e-1234567890ab',
      user: 'auth0|alice"\n',
      durationMs: 3.2,
    });
    audit.write(entry);
    logger.info('plain line');
    expect(lines).toHaveLength(2);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(lines[0]!.slice(0, -1)).not.toContain('\n');
    const [auditLine, plainLine] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(auditLine).toEqual({
      level: 30,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      service: 'linkboard-broker',
      audit: 'idp_call',
      ...entry,
      msg: 'proxied call',
    });
    expect(Object.keys(plainLine!).slice(0, 3)).toEqual(Object.keys(auditLine!).slice(0, 3));

    logger.level = 'warn';
    audit.write(entry);
    expect(lines).toHaveLength(2);
  });

  it('makes a request logger only when it logs, with its bindings and redaction', () => {
    const lines: string[] = [];
    const parent = createLogger('info', { write: (line: string) => void lines.push(line) });
    let made = 0;
    const counting = Object.create(parent, {
      child: {
        value: (...args: Parameters<typeof parent.child>) => {
          made += 1;
          return parent.child(...args);
        },
      },
    }) as FastifyBaseLogger;
    const quiet = lazyChildLogger(counting, { requestId: 'r-1' }, {});
    expect(quiet.level).toBe('info');
    expect(made).toBe(0);

    const used = lazyChildLogger(counting, { requestId: 'r-2' }, {});
    used.info({ headers: { authorization: 'Bearer user-token-1' } }, 'first');
    used.error('second');
    used.debug('below the level');
    expect(made).toBe(1);
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain('user-token-1');
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toMatchObject([
      { requestId: 'r-2', msg: 'first', level: 30 },
      { requestId: 'r-2', msg: 'second', level: 50 },
    ]);
  });

  it('batches lines to a file and writes every one, whole and in order, when flushed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broker-log-'));
    const path = join(dir, 'out.log');
    const fd = openSync(path, 'w');
    try {
      const { logger, audit } = createLoggers('info', batchedFileDestination(fd));
      const entry = (index: number) =>
        auditEntry(index, {
          // Characters of two, three and four bytes: a batch measured in characters, not bytes,
          // would cut a line short.
          user: `auth0|jürgen-東京-🦊-${index}`,
          durationMs: index / 10,
        });
      // Some 150 KiB: several batches, the last one below the batch size.
      for (let index = 0; index < 500; index += 1) {
        audit.write(entry(index));
        if (index % 100 === 0) logger.info({ index }, 'plain line');
      }
      // The last lines, fewer than a batch, wait for a flush.
      const before = readFileSync(path);
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
      const after = readFileSync(path);
      expect(before.length).toBeLessThan(after.length);
      const lines = after.toString('utf8').split('\n');
      expect(lines.pop()).toBe('');
      expect(lines).toHaveLength(505);
      const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(parsed.filter((line) => line.audit === 'idp_call').map((line) => line.user)).toEqual(
        Array.from({ length: 500 }, (_unused, index) => entry(index).user),
      );
      expect(parsed.filter((line) => line.msg === 'plain line').map((line) => line.index)).toEqual([
        0, 100, 200, 300, 400,
      ]);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("drops lines past its bound while the output's reader has stalled, counts them, and writes the rest once it reads again", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broker-log-'));
    // A named pipe the test reads only later: a log pipeline that stopped draining stdout.
    const fifo = join(dir, 'stdout');
    execFileSync('mkfifo', [fifo]);
    const writer = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    const destination = batchedFileDestination(writer, 256 * 1024);
    const { audit, droppedLines } = createLoggers('info', destination);
    let reader: Socket | undefined;
    try {
      // ~1.5 MiB of lines: the pipe takes 64 KiB, the destination keeps 256 KiB more.
      const written = 5000;
      for (let index = 0; index < written; index += 1) audit.write(auditEntry(index));
      // Let the write attempts that find the pipe full happen.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const dropped = droppedLines();
      expect(dropped).toBe(destination.droppedLines);
      expect(dropped).toBeGreaterThan(written / 2);
      expect(dropped).toBeLessThan(written);

      // The reader comes back: what was kept arrives, whole lines, oldest first.
      let received = '';
      reader = new Socket({ fd: openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK) });
      reader.setEncoding('utf8');
      reader.on('data', (chunk: string) => (received += chunk));
      await new Promise<void>((resolve) => destination.flush(() => resolve()));
      await expect
        .poll(() => received.split('\n').length - 1, { timeout: 5000 })
        .toBe(written - dropped);
      const kept = received
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { requestId: string }).requestId);
      expect(kept[0]).toBe('request-0');
      // The lines kept are the oldest, in order; the newest were dropped.
      expect(kept).toEqual(
        Array.from({ length: kept.length }, (_unused, index) => `request-${index}`),
      );
    } finally {
      reader?.destroy();
      closeSync(writer);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
