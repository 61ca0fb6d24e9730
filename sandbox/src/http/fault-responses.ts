import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerResponse } from 'node:http';
import type { FaultEffect, FaultTarget } from '../tenant/faults.js';
import { sendJson, type HeaderValues } from './http-io.js';
import { managementError } from './management-api.js';

/** The body each target's real service sends for an error status, so clients parse faults as they would the real thing. */
function errorBody(target: FaultTarget, status: number): unknown {
  const tooMany = status === 429;
  switch (target) {
    case 'token':
    case 'idp-token:google-oauth2':
    case 'idp-token:windowslive':
    case 'idp-token:bitbucket':
      return {
        error: tooMany ? 'too_many_requests' : status >= 500 ? 'server_error' : 'invalid_request',
        error_description: `injected fault: status ${status}`,
      };
    case 'jwks':
      return { error: 'server_error', error_description: `injected fault: status ${status}` };
    case 'management':
      return managementError(
        status,
        tooMany ? 'Global limit has been reached' : `Injected fault: status ${status}`,
        tooMany ? 'too_many_requests' : 'injected_fault',
      );
    case 'idp:github':
      return {
        message: tooMany ? 'API rate limit exceeded' : `Injected fault: status ${status}`,
        documentation_url: 'https://docs.github.com/rest',
        status: String(status),
      };
    case 'idp:google-oauth2':
      return {
        error: {
          code: status,
          message: tooMany ? 'Rate Limit Exceeded' : `Injected fault: status ${status}`,
          status: tooMany
            ? 'RESOURCE_EXHAUSTED'
            : status >= 500
              ? 'UNAVAILABLE'
              : 'FAILED_PRECONDITION',
        },
      };
    case 'idp:windowslive':
      return {
        error: {
          code: tooMany ? 'TooManyRequests' : status >= 500 ? 'serviceNotAvailable' : 'BadRequest',
          message: `Injected fault: status ${status}`,
        },
      };
    case 'idp:bitbucket':
      return {
        type: 'error',
        error: {
          message: tooMany
            ? 'Rate limit for this resource has been exceeded'
            : `Injected fault: status ${status}`,
        },
      };
  }
}

function faultHeaders(
  target: FaultTarget,
  status: number,
  retryAfterSeconds: number,
): HeaderValues {
  const headers: HeaderValues = {};
  if (status === 429 || status === 503) headers['retry-after'] = String(retryAfterSeconds);
  if (status === 429 && (target === 'management' || target === 'idp:github')) {
    headers['x-ratelimit-remaining'] = '0';
    headers['x-ratelimit-reset'] = String(Math.floor(Date.now() / 1000) + retryAfterSeconds);
    headers['x-ratelimit-limit'] = target === 'idp:github' ? '5000' : '50';
  }
  return headers;
}

/**
 * Applies a fault to a request. Returns true when the fault answered (or dropped) the request, false
 * when the request should go on (after a delay).
 */
export async function applyFault(
  effect: FaultEffect | undefined,
  target: FaultTarget,
  res: ServerResponse,
): Promise<boolean> {
  if (!effect) return false;
  switch (effect.kind) {
    case 'delay':
      await sleep(effect.delayMs);
      return false;
    case 'reset':
      res.socket?.resetAndDestroy();
      return true;
    case 'status':
      sendJson(
        res,
        effect.status,
        errorBody(target, effect.status),
        faultHeaders(target, effect.status, effect.retryAfterSeconds),
      );
      return true;
  }
}
