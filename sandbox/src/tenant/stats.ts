import type { IdpConnection } from './tenant-config.js';

/**
 * Counters tests read through `GET /_sandbox/stats`. Every request that reaches an endpoint counts,
 * including ones that are refused or hit an injected fault, so tests can see retries and caching.
 */
export interface SandboxStats {
  grants: { authorization_code: number; refresh_token: number; client_credentials: number };
  managementGetUser: number;
  idpCalls: Record<IdpConnection, number>;
  /** Token Vault exchanges at `/oauth/token` per connection, answered or refused. */
  tokenVaultExchanges: Record<IdpConnection, number>;
}

export type CountedGrant = keyof SandboxStats['grants'];

function emptyStats(): SandboxStats {
  return {
    grants: { authorization_code: 0, refresh_token: 0, client_credentials: 0 },
    managementGetUser: 0,
    idpCalls: { github: 0, 'google-oauth2': 0, windowslive: 0, bitbucket: 0 },
    tokenVaultExchanges: { github: 0, 'google-oauth2': 0, windowslive: 0, bitbucket: 0 },
  };
}

export class StatsRecorder {
  #stats = emptyStats();

  grant(grantType: string): void {
    if (grantType in this.#stats.grants) this.#stats.grants[grantType as CountedGrant] += 1;
  }

  managementGetUser(): void {
    this.#stats.managementGetUser += 1;
  }

  idpCall(connection: IdpConnection): void {
    this.#stats.idpCalls[connection] += 1;
  }

  tokenVaultExchange(connection: IdpConnection): void {
    this.#stats.tokenVaultExchanges[connection] += 1;
  }

  snapshot(): SandboxStats {
    return structuredClone(this.#stats);
  }

  reset(): void {
    this.#stats = emptyStats();
  }
}
