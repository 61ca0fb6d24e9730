import { z } from 'zod';

/**
 * `GET /_sandbox/idp-tokens` (sandbox control endpoints only): every IdP access and refresh token
 * the sandbox seeded or issued in this run, including those the Management API no longer (or
 * never) hands out — a token Google's token endpoint minted for the broker, a token replaced by a
 * re-sign-in. What a leak check must scan for.
 */
export const IssuedIdpToken = z.object({
  kind: z.enum(['access_token', 'refresh_token']),
  value: z.string().min(8),
  /** Auth0 connection name, e.g. `google-oauth2`. */
  connection: z.string().min(1),
  /** Auth0 user id, e.g. `auth0|dave`. */
  userId: z.string().min(1),
  /**
   * `seed`: stored at start; `refresh`: minted by the IdP's token endpoint; `rotate`: stored after a
   * re-sign-in; `connect`: stored in Token Vault when the user connected the account (My Account API).
   */
  source: z.enum(['seed', 'refresh', 'rotate', 'connect']),
});
export type IssuedIdpToken = z.infer<typeof IssuedIdpToken>;

export const IssuedIdpTokens = z.object({ tokens: z.array(IssuedIdpToken) });
export type IssuedIdpTokens = z.infer<typeof IssuedIdpTokens>;
