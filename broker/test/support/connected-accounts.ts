import { pkcePair } from '@linkboard/testing/headless-sign-in';
import type { SandboxInfo } from '@linkboard/sandbox/start-line';
import { signIn } from './sign-in.js';

/**
 * A user's Connected Accounts through the sandbox's My Account API, as the desktop app drives
 * them (docs/architecture.md#connecting-an-account), over plain HTTP: the consent page's Allow is
 * posted directly.
 */
const REDIRECT_URI = 'http://127.0.0.1:53682/callback';
const SCOPES =
  'create:me:connected_accounts read:me:connected_accounts delete:me:connected_accounts';

async function myAccount(info: SandboxInfo, username: string) {
  const { accessToken } = await signIn(info, username, {
    audience: `${info.domain}/me/`,
    scope: `openid profile ${SCOPES}`,
  });
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${info.domain}/me/v1/connected-accounts/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`My Account ${method} ${path}: ${response.status}`);
    return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  };
}

/** Connects `connection` for `username`: connect, Allow on the consent page, complete. */
export async function connectAccount(
  info: SandboxInfo,
  username: string,
  connection: string,
): Promise<void> {
  const call = await myAccount(info, username);
  const pkce = pkcePair();
  const started = await call('POST', 'connect', {
    connection,
    redirect_uri: REDIRECT_URI,
    state: 'connect-state',
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
  });
  const { ticket } = started.connect_params as { ticket: string };
  const consent = await fetch(String(started.connect_uri), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ticket, decision: 'allow' }).toString(),
    redirect: 'manual',
  });
  const back = new URL(consent.headers.get('location') ?? '', info.domain);
  const code = back.searchParams.get('connect_code');
  if (!code) throw new Error(`the consent page answered ${consent.status} with no connect_code`);
  await call('POST', 'complete', {
    auth_session: started.auth_session,
    connect_code: code,
    redirect_uri: REDIRECT_URI,
    code_verifier: pkce.verifier,
  });
}

/** Deletes `username`'s connected accounts of `connection`, as the app's Disconnect does. */
export async function disconnectAccount(
  info: SandboxInfo,
  username: string,
  connection: string,
): Promise<void> {
  const call = await myAccount(info, username);
  const { accounts } = (await call('GET', 'accounts')) as {
    accounts: Array<{ id: string; connection: string }>;
  };
  const matching = accounts.filter((account) => account.connection === connection);
  if (matching.length === 0) throw new Error(`${username} has no ${connection} account to delete`);
  for (const account of matching)
    await call('DELETE', `accounts/${encodeURIComponent(account.id)}`);
}
