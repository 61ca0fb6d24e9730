import { z } from 'zod';

/**
 * The one JSON line the sandbox tenant prints on stdout once it accepts connections.
 * Everything a broker, the desktop app or a test needs to point at the sandbox.
 */
export const ClientCredentials = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
});

export const SandboxUser = z.object({
  /** Auth0 user id, e.g. `auth0|alice`. */
  id: z.string().min(1),
  username: z.string().min(1),
  password: z.string().min(1),
  name: z.string().optional(),
  /** Connection names of the linked identities, e.g. `["github", "google-oauth2"]`. */
  connections: z.array(z.string()),
  /** Connection names of the accounts connected through Connected Accounts (Token Vault only). */
  connectedAccounts: z.array(z.string()),
});
export type SandboxUser = z.infer<typeof SandboxUser>;

export const SandboxInfo = z.object({
  /** What auth0-spa-js takes as `domain`: the origin, without a trailing slash. */
  domain: z.string().url(),
  /** Token issuer: the domain with a trailing slash, like Auth0. */
  issuer: z.string().url(),
  managementAudience: z.string().url(),
  brokerAudience: z.string().url(),
  desktopClientId: z.string().min(1),
  m2m: ClientCredentials,
  m2mLimited: ClientCredentials,
  /** The broker's Token Vault client (Custom API Client of the broker API; no Management API grant). */
  tokenVault: ClientCredentials,
  /**
   * A confidential web application allowed Token Vault's refresh-token exchange (authorization
   * code and refresh token grants, rotation off), and its one callback URL.
   */
  webVault: ClientCredentials.extend({ redirectUri: z.string().url() }),
  idpBaseUrls: z.record(z.string(), z.string().url()),
  /** The Google client the broker refreshes with: the same as `idpClients['google-oauth2']`. */
  google: ClientCredentials,
  /** Each refreshing provider's OAuth client, by connection: what a broker refreshes with. */
  idpClients: z.record(z.string(), ClientCredentials),
  /** Each refreshing provider's emulated token endpoint, by connection. */
  idpTokenUrls: z.record(z.string(), z.string().url()),
  users: z.array(SandboxUser),
});
export type SandboxInfo = z.infer<typeof SandboxInfo>;
