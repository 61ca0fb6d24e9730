import { z } from 'zod';
import { IDP_CONNECTIONS } from './tenant/tenant-config.js';

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

/**
 * `GET /_sandbox/connect-values` (sandbox control endpoints only): every connect ticket,
 * `auth_session` and connect code the My Account API's Connected Accounts flow handed out in this
 * run. They travel between the browser, the app and the tenant, and must never reach a log.
 */
export const IssuedConnectValue = z.object({
  kind: z.enum(['ticket', 'auth_session', 'connect_code']),
  value: z.string().min(8),
  userId: z.string().min(1),
  connection: z.string().min(1),
});
export type IssuedConnectValue = z.infer<typeof IssuedConnectValue>;

export const IssuedConnectValues = z.object({ values: z.array(IssuedConnectValue) });
export type IssuedConnectValues = z.infer<typeof IssuedConnectValues>;

/**
 * `POST /_sandbox/idp-tokens` (sandbox control endpoints only): changes a user's stored IdP token
 * at the tenant, as a provider or Auth0 would: a new one (`rotate`), an expired one (`expire`),
 * or a connected account's tokenset the provider no longer takes (`revoke-connected`).
 */
export const IdpTokenAction = z.object({
  userId: z.string().min(1),
  connection: z.enum(IDP_CONNECTIONS),
  /** `revoke-connected` acts on the Token Vault tokenset of a connected account. */
  action: z.enum(['rotate', 'expire', 'revoke-connected']),
});
export type IdpTokenAction = z.infer<typeof IdpTokenAction>;
