import type { VerifiedCaller } from '../auth/verify-access-token.js';
import type { CompiledProvider } from '../catalogue/compiled-provider.js';

/** A provider token for one proxied call, and whether the broker refreshed it (audit line). */
export interface IdpTokenLease {
  readonly token: string;
  readonly refreshed: boolean;
}

/**
 * Where the proxy gets a user's provider token. The proxy only sends the token and reports how
 * the provider took it; finding, refreshing and remembering tokens is the source's concern.
 * Two sources implement the same three calls: Auth0's Management API (`ManagementTokenSource`)
 * and Token Vault's token exchange (`TokenVaultTokenSource`), chosen by `TOKEN_SOURCE`
 * (docs/architecture.md#provider-token-sources).
 */
export interface IdpTokenSource<Lease extends IdpTokenLease = IdpTokenLease> {
  /**
   * The token to call `provider` with for the verified `caller`. Refuses with
   * `identity_not_linked`, `idp_token_unavailable` or `idp_reauth_required`.
   */
  acquire(caller: VerifiedCaller, provider: CompiledProvider): Promise<Lease>;
  /**
   * The lease `acquire` would give, at once and without a promise, when everything it needs is
   * in this instance's memory (the usual call); otherwise undefined, and `acquire` finds it.
   */
  held?(caller: VerifiedCaller, provider: CompiledProvider): Lease | undefined;
  /** The provider refused the lease's token (401): another token to try once, or undefined. */
  renew(lease: Lease): Promise<Lease | undefined>;
  /** The provider refused the last token too: no more calls with it until something changes. */
  refused(lease: Lease): void;
}
