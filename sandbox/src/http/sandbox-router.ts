import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { FaultInjector, FaultTarget } from '../tenant/faults.js';
import { applyFault } from './fault-responses.js';
import { CONNECT_PAGE_PATH, MY_ACCOUNT_PREFIX } from './my-account-api.js';
import { readBody, RequestBodyTooLarge, requestUrl, sendJson } from './http-io.js';
import type { IdpHandler } from '../idp/idp-handler.js';
import {
  normaliseTokenRequest,
  rewriteAuthorizeQuery,
  rewriteLogoutQuery,
} from '../oidc/auth0-request-rewrite.js';
import {
  applyRefreshTokenPolicies,
  type RefreshTokenPolicy,
} from '../oidc/refresh-token-policies.js';
import { CLIENT_UNAUTHORIZED } from '../oidc/auth0-token-refusals.js';
import { INTERACTION_PATH_PREFIX, TENANT_ROUTES } from '../oidc/provider.js';
import type { StatsRecorder } from '../tenant/stats.js';
import {
  IDP_CONNECTIONS,
  IDP_TOKEN_PATHS,
  REFRESHING_CONNECTIONS,
  type IdpConnection,
} from '../tenant/tenant-config.js';

type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export interface SandboxRoutes {
  domain: string;
  managementAudience: string;
  provider: Provider;
  /** The applications' MRRT policies (`oidc/refresh-token-policies.ts`). */
  refreshTokenPolicies: Readonly<Record<string, readonly RefreshTokenPolicy[]>>;
  interactions: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  managementApi: RouteHandler;
  myAccountApi: RouteHandler;
  connectPage: RouteHandler;
  controlApi: RouteHandler | undefined;
  idps: Record<IdpConnection, IdpHandler>;
  stats: StatsRecorder;
  faults: FaultInjector;
  logger: (line: string) => void;
}

/**
 * The one HTTP entry point: `/api/v2/*` (Management API), `/me/v1/*` (My Account API) and its
 * `/connect` page, `/_idp/*` (emulated IdPs), `/_sandbox/*` (control), `/u/login/*` (sign-in page),
 * and everything else to oidc-provider, with Auth0's request shapes rewritten on the way in.
 */
export function createSandboxRouter(routes: SandboxRoutes) {
  const providerCallback = routes.provider.callback();

  const withFault = async (target: FaultTarget, res: ServerResponse): Promise<boolean> =>
    applyFault(routes.faults.take(target), target, res);

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = requestUrl(req, routes.domain);
    const path = url.pathname;

    if (path.startsWith('/_sandbox/')) {
      if (!routes.controlApi) {
        sendJson(res, 404, {
          error: 'not_found',
          message: 'control endpoints are off (--no-control)',
        });
        return;
      }
      await routes.controlApi(req, res, url);
      return;
    }

    if (path.startsWith(MY_ACCOUNT_PREFIX)) {
      await routes.myAccountApi(req, res, url);
      return;
    }

    if (path === CONNECT_PAGE_PATH) {
      await routes.connectPage(req, res, url);
      return;
    }

    if (path === '/api/v2' || path.startsWith('/api/v2/')) {
      if (await withFault('management', res)) return;
      await routes.managementApi(req, res, url);
      return;
    }

    const idpMatch = /^\/_idp\/([^/]+)(\/.*)?$/.exec(path);
    if (idpMatch) {
      const connection = IDP_CONNECTIONS.find((candidate) => candidate === idpMatch[1]);
      if (!connection) {
        sendJson(res, 404, { error: 'not_found', message: 'unknown IdP connection' });
        return;
      }
      routes.stats.idpCall(connection);
      const idpPath = idpMatch[2] ?? '/';
      const refreshing = REFRESHING_CONNECTIONS.find(
        (candidate) => candidate === connection && IDP_TOKEN_PATHS[candidate] === idpPath,
      );
      const target: FaultTarget = refreshing ? `idp-token:${refreshing}` : `idp:${connection}`;
      if (await withFault(target, res)) return;
      await routes.idps[connection]({ req, res, path: idpPath, url });
      return;
    }

    if (path.startsWith(INTERACTION_PATH_PREFIX)) {
      await routes.interactions(req, res);
      return;
    }

    if (path === TENANT_ROUTES.token && req.method === 'POST') {
      const parsed = normaliseTokenRequest(req, await readBody(req), routes.managementAudience);
      if (parsed.ok) routes.stats.grant(parsed.grantType);
      if (await withFault('token', res)) return;
      if (parsed.ok && parsed.grantType === 'refresh_token') {
        await applyRefreshTokenPolicies(routes.provider, parsed.form, routes.refreshTokenPolicies);
      }
      if (!parsed.ok) {
        if (parsed.error === 'invalid_client') {
          sendJson(res, CLIENT_UNAUTHORIZED.status, CLIENT_UNAUTHORIZED.body);
        } else {
          sendJson(res, 400, { error: parsed.error, error_description: parsed.description });
        }
        return;
      }
      const body = parsed.form.toString();
      // oidc-provider reads an already consumed body from `req.body`.
      Object.assign(req, { body });
      req.headers['content-type'] = 'application/x-www-form-urlencoded';
      req.headers['content-length'] = String(Buffer.byteLength(body));
      delete req.headers['transfer-encoding'];
      if (/^Basic\s/i.test(req.headers.authorization ?? '')) delete req.headers.authorization;
    } else if (path === TENANT_ROUTES.jwks) {
      if (await withFault('jwks', res)) return;
    } else if (path === TENANT_ROUTES.authorization && req.method === 'GET') {
      req.url = rewriteAuthorizeQuery(url);
    } else if (path === TENANT_ROUTES.end_session && req.method === 'GET') {
      req.url = rewriteLogoutQuery(url);
    }
    await providerCallback(req, res);
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    res.on('finish', () => {
      // Path only: queries carry codes and states, bodies carry secrets.
      const path = (req.url ?? '').split('?')[0] ?? '';
      routes.logger(
        `${req.method ?? '-'} ${path} ${res.statusCode} ${Math.round(performance.now() - started)}ms`,
      );
    });
    try {
      await dispatch(req, res);
    } catch (error) {
      if (error instanceof RequestBodyTooLarge) {
        if (!res.headersSent)
          sendJson(res, 413, { error: 'invalid_request', error_description: error.message });
        return;
      }
      routes.logger(
        `error handling ${req.method ?? '-'} ${(req.url ?? '').split('?')[0] ?? ''}: ${String(error)}`,
      );
      if (!res.headersSent)
        sendJson(res, 500, { error: 'server_error', error_description: 'internal error' });
      else res.destroy();
    }
  };
}
