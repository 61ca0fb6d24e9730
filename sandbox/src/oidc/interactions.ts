import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { readBody, sendHtml } from '../http/http-io.js';
import { findSeededUserByUsername, type SeededUser } from '../tenant/seed.js';
import { renderLoginPage } from './login-page.js';
import { renderPage } from './page-layout.js';
import { INTERACTION_PATH_PREFIX } from './provider.js';

/**
 * The tenant's interactions at `/u/login/{uid}`: the sign-in page for the login prompt, and implicit
 * consent (Auth0 skips consent for first-party applications) for the consent prompt.
 */
export function createInteractionHandler(provider: Provider, users: readonly SeededUser[]) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      sendHtml(
        res,
        400,
        renderPage(
          'Sign-in expired',
          '<h1>This sign-in has expired</h1><p class="lead">Go back to the application and start signing in again.</p>',
        ),
      );
      return;
    }
    const action = `${INTERACTION_PATH_PREFIX}${details.uid}`;
    const clientId = typeof details.params.client_id === 'string' ? details.params.client_id : '';
    const client = await provider.Client.find(clientId);
    const clientName = client?.clientName ?? clientId;

    if (details.prompt.name === 'consent') {
      await grantImplicitConsent(provider, req, res, details);
      return;
    }
    if (details.prompt.name !== 'login') {
      await provider.interactionFinished(req, res, {
        error: 'interaction_required',
        error_description: `unsupported prompt ${details.prompt.name}`,
      });
      return;
    }

    if (req.method !== 'POST') {
      const loginHint =
        typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined;
      sendHtml(res, 200, renderLoginPage({ action, clientName, users, username: loginHint }));
      return;
    }

    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    const continueAs = form.get('continue_as');
    const username = continueAs ?? form.get('username') ?? '';
    const user = findSeededUserByUsername(username);
    const passwordOk =
      continueAs !== null || (user !== undefined && form.get('password') === user.password);
    if (!user || !passwordOk) {
      sendHtml(
        res,
        401,
        renderLoginPage({
          action,
          clientName,
          users,
          username,
          error: 'Wrong username or password.',
        }),
      );
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.id, amr: ['pwd'] } },
      { mergeWithLastSubmission: false },
    );
  };
}

async function grantImplicitConsent(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  details: Awaited<ReturnType<Provider['interactionDetails']>>,
): Promise<void> {
  const accountId = details.session?.accountId;
  const clientId = details.params.client_id;
  if (!accountId || typeof clientId !== 'string') {
    await provider.interactionFinished(req, res, { error: 'login_required' });
    return;
  }
  const grant =
    (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
    new provider.Grant({ accountId, clientId });
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}
