import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  IdpTokenAction,
  type IssuedConnectValues,
  type IssuedIdpTokens,
} from '../control-schemas.js';
import type { ConnectRequests } from '../tenant/connect-requests.js';
import type { z } from 'zod';
import { FaultRequest, type FaultInjector } from '../tenant/faults.js';
import { readBody, sendJson } from './http-io.js';
import type { IdpTokenStore } from '../tenant/idp-token-store.js';
import type { FixedWindowRateLimiter } from '../tenant/rate-limit.js';
import type { StatsRecorder } from '../tenant/stats.js';

/** The request's JSON body checked by `schema`, or null once a 400 has been answered. */
async function readRequest<T>(
  req: IncomingMessage,
  res: ServerResponse,
  schema: z.ZodType<T>,
): Promise<T | null> {
  let json: unknown;
  try {
    json = JSON.parse((await readBody(req)).toString('utf8'));
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  sendJson(res, 400, { error: 'invalid_request', message: parsed.error.message });
  return null;
}

/**
 * `/_sandbox/*`, for tests: `GET stats`, `POST faults`, `GET faults` (what is still pending),
 * `POST idp-tokens` (rotate or expire a user's stored IdP token, or revoke a connected account's), `GET idp-tokens` (every IdP token
 * seeded or issued in this run, for leak checks; not cleared by reset), `GET connect-values` (every
 * connect ticket, `auth_session` and connect code handed out, for leak checks) and `POST reset` (stats,
 * faults and the Management and My Account API rate-limit windows cleared, the seeded connected
 * accounts and their tokensets restored, Connected Accounts flows in progress forgotten).
 */
export function createControlApi(options: {
  stats: StatsRecorder;
  faults: FaultInjector;
  /** The Management API's and the My Account API's, cleared by reset. */
  rateLimiters: readonly FixedWindowRateLimiter[];
  tokens: IdpTokenStore;
  connectRequests: ConnectRequests;
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
      case 'GET /_sandbox/idp-tokens': {
        const answer: IssuedIdpTokens = { tokens: options.tokens.issued() };
        sendJson(res, 200, answer, { 'cache-control': 'no-store' });
        return;
      }
      case 'GET /_sandbox/connect-values': {
        const answer: IssuedConnectValues = { values: options.connectRequests.issued() };
        sendJson(res, 200, answer, { 'cache-control': 'no-store' });
        return;
      }
      case 'POST /_sandbox/idp-tokens': {
        const request = await readRequest(req, res, IdpTokenAction);
        if (!request) return;
        const { userId, connection, action } = request;
        const done = {
          rotate: () => options.tokens.rotate(userId, connection),
          expire: () => options.tokens.expire(userId, connection),
          'revoke-connected': () => options.tokens.revokeConnected(userId, connection),
        }[action]();
        if (!done) {
          sendJson(res, 404, {
            error: 'not_found',
            message: `${userId} has no ${connection} identity`,
          });
          return;
        }
        sendJson(res, 200, { userId, connection, action });
        return;
      }
      case 'POST /_sandbox/faults': {
        const fault = await readRequest(req, res, FaultRequest);
        if (!fault) return;
        options.faults.add(fault);
        sendJson(res, 201, { fault, pending: options.faults.pending() });
        return;
      }
      case 'POST /_sandbox/reset':
        options.stats.reset();
        options.faults.reset();
        for (const limiter of options.rateLimiters) limiter.reset();
        options.tokens.restoreConnectedAccounts();
        options.connectRequests.clear();
        sendJson(res, 200, { reset: true });
        return;
      default:
        sendJson(res, 404, { error: 'not_found', message: `no control endpoint ${route}` });
    }
  };
}
