import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultRequest, type FaultInjector } from './faults.js';
import { readBody, sendJson } from './http-io.js';
import type { FixedWindowRateLimiter } from './rate-limit.js';
import type { StatsRecorder } from './stats.js';

/**
 * `/_sandbox/*`, for tests: `GET stats`, `POST faults`, `GET faults` (what is still pending) and
 * `POST reset` (stats, faults and the Management API rate-limit window cleared).
 */
export function createControlApi(options: {
  stats: StatsRecorder;
  faults: FaultInjector;
  rateLimiter: FixedWindowRateLimiter;
}) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case 'GET /_sandbox/stats':
        sendJson(res, 200, options.stats.snapshot());
        return;
      case 'GET /_sandbox/faults':
        sendJson(res, 200, { pending: options.faults.pending() });
        return;
      case 'POST /_sandbox/faults': {
        let json: unknown;
        try {
          json = JSON.parse((await readBody(req)).toString('utf8'));
        } catch {
          sendJson(res, 400, { error: 'invalid_request', message: 'the body must be JSON' });
          return;
        }
        const parsed = FaultRequest.safeParse(json);
        if (!parsed.success) {
          sendJson(res, 400, { error: 'invalid_request', message: parsed.error.message });
          return;
        }
        options.faults.add(parsed.data);
        sendJson(res, 201, { fault: parsed.data, pending: options.faults.pending() });
        return;
      }
      case 'POST /_sandbox/reset':
        options.stats.reset();
        options.faults.reset();
        options.rateLimiter.reset();
        sendJson(res, 200, { reset: true });
        return;
      default:
        sendJson(res, 404, { error: 'not_found', message: `no control endpoint ${route}` });
    }
  };
}
