import type { Auth0Client } from '@auth0/auth0-spa-js';
import { MyAccountApiError } from '@auth0/auth0-spa-js';
import { z } from 'zod';

/** The My Account API's Connected Accounts scopes (audience `{domain}/me/`). */
export const CONNECTED_ACCOUNT_SCOPES = {
  create: 'create:me:connected_accounts',
  read: 'read:me:connected_accounts',
  delete: 'delete:me:connected_accounts',
} as const;

/** What `POST connected-accounts/connect` answered: where the browser goes next. */
export interface ConnectStart {
  /** `{connect_uri}?ticket=…`, the page the user approves the provider on. */
  connectUrl: string;
  authSession: string;
}

export interface ConnectedAccountSummary {
  id: string;
  connection: string;
}

/** The Connected Accounts calls the app makes, as the signed-in user. */
export interface MyAccountPort {
  startConnect(request: {
    connection: string;
    redirectUri: string;
    state: string;
    codeChallenge: string;
  }): Promise<ConnectStart>;
  completeConnect(request: {
    authSession: string;
    connectCode: string;
    redirectUri: string;
    codeVerifier: string;
  }): Promise<void>;
  connectedAccounts(): Promise<ConnectedAccountSummary[]>;
  disconnect(id: string): Promise<void>;
}

const AccountsAnswer = z.object({
  accounts: z.array(z.object({ id: z.string().min(1), connection: z.string() })),
});

/**
 * The My Account API through auth0-spa-js (docs/architecture.md#connecting-an-account): its
 * `MyAccountApiClient` for connect and complete, and its tokens for the list and delete calls it
 * has no method for. Each call's token comes from `getTokenSilently` with the API's audience and
 * the one scope it needs, which the SDK gets with the sign-in's refresh token (`useMrrt`) and
 * keeps in main's token store like the other tokens.
 */
export function myAccountOf(client: Auth0Client, domain: string): MyAccountPort {
  const apiBase = `${/^https?:\/\//.test(domain) ? domain : `https://${domain}`}/me/`;
  const tokenFor = (scope: string) =>
    client.getTokenSilently({ authorizationParams: { audience: apiBase, scope } });

  async function call(path: string, scope: string, method: 'GET' | 'DELETE'): Promise<Response> {
    const response = await fetch(`${apiBase}v1/${path}`, {
      method,
      headers: { authorization: `Bearer ${await tokenFor(scope)}` },
    });
    if (!response.ok) throw await apiError(response);
    return response;
  }

  return {
    async startConnect({ connection, redirectUri, state, codeChallenge }) {
      const answer = await client.myAccount.connectAccount({
        connection,
        redirect_uri: redirectUri,
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      });
      const url = new URL(answer.connect_uri);
      url.searchParams.set('ticket', answer.connect_params.ticket);
      return { connectUrl: url.href, authSession: answer.auth_session };
    },
    async completeConnect({ authSession, connectCode, redirectUri, codeVerifier }) {
      await client.myAccount.completeAccount({
        auth_session: authSession,
        connect_code: connectCode,
        redirect_uri: redirectUri,
        code_verifier: codeVerifier,
      });
    },
    async connectedAccounts() {
      const response = await call(
        'connected-accounts/accounts',
        CONNECTED_ACCOUNT_SCOPES.read,
        'GET',
      );
      return AccountsAnswer.parse(await response.json()).accounts.map(({ id, connection }) => ({
        id,
        connection,
      }));
    },
    async disconnect(id) {
      await call(
        `connected-accounts/accounts/${encodeURIComponent(id)}`,
        CONNECTED_ACCOUNT_SCOPES.delete,
        'DELETE',
      );
    },
  };
}

/** A refusal as the SDK's own calls throw it, so both kinds read alike. */
async function apiError(response: Response): Promise<MyAccountApiError> {
  const body: unknown = await response.json().catch(() => null);
  const problem = z
    .object({ type: z.string(), title: z.string(), detail: z.string() })
    .partial()
    .safeParse(body);
  const fields = problem.success ? problem.data : {};
  return new MyAccountApiError({
    type: fields.type ?? 'about:blank',
    status: response.status,
    title: fields.title ?? response.statusText,
    detail: fields.detail ?? `HTTP ${response.status}`,
  });
}
