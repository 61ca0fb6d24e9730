import {
  IssuedConnectValues,
  IssuedIdpTokens,
  type IssuedConnectValue,
  type IssuedIdpToken,
} from '@linkboard/sandbox/control';
import type { SandboxInfo } from '@linkboard/sandbox/start-line';

/** What the sandbox counted (`GET /_sandbox/stats`). */
export interface SandboxStats {
  grants: { authorization_code: number; refresh_token: number; client_credentials: number };
  managementGetUser: number;
  idpCalls: Record<string, number>;
}

export async function sandboxStats(info: SandboxInfo): Promise<SandboxStats> {
  const response = await fetch(`${info.domain}/_sandbox/stats`, {
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`sandbox stats: HTTP ${response.status}`);
  return (await response.json()) as SandboxStats;
}

/**
 * Every IdP access and refresh token the sandbox seeded or issued in this run
 * (`GET /_sandbox/idp-tokens`), including those the Management API never hands out, such as a
 * Google token the broker refreshed.
 */
export async function issuedIdpTokens(info: SandboxInfo): Promise<IssuedIdpToken[]> {
  const response = await fetch(`${info.domain}/_sandbox/idp-tokens`, {
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) {
    throw new Error(`sandbox issued IdP tokens: HTTP ${response.status} (control endpoints off?)`);
  }
  return IssuedIdpTokens.parse(await response.json()).tokens;
}

/**
 * Every repository the sandbox's GitHub holds for the owner of `idpToken`, read straight from the
 * emulated API (following its `Link` pages): what the app must list, each once.
 */
export async function githubRepositoryNames(
  info: SandboxInfo,
  idpToken: string,
): Promise<string[]> {
  return (await githubRepositories(info, idpToken)).map((repo) => repo.fullName);
}

/** The same repositories with the page each names as its own (`html_url`), hostile ones among them. */
export async function githubRepositories(
  info: SandboxInfo,
  idpToken: string,
): Promise<Array<{ fullName: string; htmlUrl: string }>> {
  const base = info.idpBaseUrls.github;
  if (!base) throw new Error('the sandbox has no GitHub API');
  const found: Array<{ fullName: string; htmlUrl: string }> = [];
  let next: string | null = `${base}/user/repos?per_page=100`;
  for (let page = 0; next && page < 20; page += 1) {
    const response: Response = await fetch(next, {
      headers: { authorization: `Bearer ${idpToken}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`sandbox GitHub repos: HTTP ${response.status}`);
    const repos = (await response.json()) as { full_name: string; html_url: string }[];
    found.push(...repos.map((repo) => ({ fullName: repo.full_name, htmlUrl: repo.html_url })));
    next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
  }
  return found;
}

/** Whether the sandbox's IdP API accepts this token now (an expired one gets 401). */
export async function googleAccepts(info: SandboxInfo, idpToken: string): Promise<boolean> {
  const base = info.idpBaseUrls['google-oauth2'];
  if (!base) throw new Error('the sandbox has no Google API');
  const response = await fetch(`${base}/oauth2/v3/userinfo`, {
    headers: { authorization: `Bearer ${idpToken}` },
    signal: AbortSignal.timeout(10_000),
  });
  return response.ok;
}

/**
 * Every connect ticket, `auth_session` and connect code the sandbox's Connected Accounts flow
 * handed out in this run (`GET /_sandbox/connect-values`).
 */
export async function issuedConnectValues(info: SandboxInfo): Promise<IssuedConnectValue[]> {
  const response = await fetch(`${info.domain}/_sandbox/connect-values`, {
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`sandbox connect values: HTTP ${response.status}`);
  return IssuedConnectValues.parse(await response.json()).values;
}
