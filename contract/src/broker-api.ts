import { z } from 'zod';
import { View, WebOrigin } from './provider-catalogue.js';

/**
 * The broker's HTTP API as its clients see it. The broker validates what it sends against these
 * schemas in its tests; the desktop app's broker client parses what it receives with them.
 */

/**
 * What the desktop may show about a linked identity's token, never the token itself:
 * - `ready`: the broker holds a usable token (or can refresh one);
 * - `reconnect_required`: the token has expired and cannot be refreshed: the user must sign in
 *   with that provider again;
 * - `token_unavailable`: the tenant gives the broker no token for this identity.
 */
export const IdentityStatus = z.enum(['ready', 'reconnect_required', 'token_unavailable']);
export type IdentityStatus = z.infer<typeof IdentityStatus>;

export const LinkedIdentity = z.object({
  connection: z.string(),
  provider: z.string(),
  /**
   * The account's id at the provider; absent when the broker knows only that the account is
   * connected (token-vault mode: Token Vault gives a token, not the account's id).
   */
  userId: z.string().optional(),
  isSocial: z.boolean(),
  /** Whether the provider catalogue has this connection (and so views to browse). */
  supported: z.boolean(),
  status: IdentityStatus,
  profile: z.object({
    name: z.string().optional(),
    email: z.string().optional(),
    login: z.string().optional(),
    picture: z.string().optional(),
  }),
});
export type LinkedIdentity = z.infer<typeof LinkedIdentity>;

/**
 * `GET /v1/me/identities`: the accounts the user can browse, and which catalogue connections they
 * can connect (or connect again) from the app with Connected Accounts. The broker's token source
 * decides: every catalogue connection in token-vault mode; none in management mode, where
 * accounts are linked in the tenant and a connected account would not reach the broker
 * (docs/architecture.md#provider-token-sources). The app shows what this says, with no
 * mode-specific logic.
 */
export const IdentitiesResponse = z.object({
  identities: z.array(LinkedIdentity),
  connectable: z.array(z.string()).default([]),
});
export type IdentitiesResponse = z.infer<typeof IdentitiesResponse>;

export const ProviderSummary = z.object({
  connection: z.string(),
  displayName: z.string(),
  icon: z.string(),
  views: z.array(View),
  /** Where the provider's web pages are: main opens a view's `webLinkKey` URL only there. */
  webOrigins: z.array(WebOrigin).default([]),
  /** Where the provider's public images are: main fetches a view's `image` value only there. */
  imageOrigins: z.array(WebOrigin).default([]),
});
export type ProviderSummary = z.infer<typeof ProviderSummary>;

/** `GET /v1/providers` */
export const ProvidersResponse = z.object({ providers: z.array(ProviderSummary) });
export type ProvidersResponse = z.infer<typeof ProvidersResponse>;

/** Path prefix of the proxy: `ANY /v1/idp/{connection}/{path}`. */
export const PROXY_PREFIX = '/v1/idp/';
