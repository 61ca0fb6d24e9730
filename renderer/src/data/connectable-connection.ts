import type { LinkedIdentity, ProviderSummary } from '@linkboard/contract/broker-api';

/** Where a connection the user may connect from the app stands for them. */
export type ConnectionState = 'connected' | 'reconnect' | 'not_connected';

export interface ConnectableConnection {
  connection: string;
  displayName: string;
  icon: string;
  state: ConnectionState;
}

/**
 * The connections the broker says the user can connect from the app (`connectable`), in catalogue
 * order, each with its state: none in management mode, where accounts are linked in the tenant
 * instead. `connected` is the user's own list of connected accounts (My Account API), which says
 * at once what the broker may still hold a token for a while (docs/architecture.md#connecting-an-account);
 * null when it could not be read, and then the broker's identities alone decide.
 */
export function toConnectableConnections(
  connectable: readonly string[],
  identities: readonly LinkedIdentity[],
  providers: readonly ProviderSummary[],
  connected: ReadonlySet<string> | null,
): ConnectableConnection[] {
  const offered = new Set(connectable);
  return providers
    .filter((provider) => offered.has(provider.connection))
    .map((provider) => {
      const identity = identities.find((candidate) => candidate.connection === provider.connection);
      return {
        connection: provider.connection,
        displayName: provider.displayName,
        icon: provider.icon,
        state: stateOf(provider.connection, identity, connected),
      };
    });
}

function stateOf(
  connection: string,
  identity: LinkedIdentity | undefined,
  connected: ReadonlySet<string> | null,
): ConnectionState {
  if (connected !== null && !connected.has(connection)) return 'not_connected';
  if (!identity) return connected === null ? 'not_connected' : 'reconnect';
  return identity.status === 'ready' ? 'connected' : 'reconnect';
}

/**
 * The identities to show as accounts: those of a connectable connection only while the user's
 * own list says it is connected (a disconnected account's token may still be in the broker's
 * cache for a while).
 */
export function withoutDisconnected(
  identities: readonly LinkedIdentity[],
  connectable: readonly string[],
  connected: ReadonlySet<string> | null,
): LinkedIdentity[] {
  if (connected === null) return [...identities];
  return identities.filter(
    (identity) => !connectable.includes(identity.connection) || connected.has(identity.connection),
  );
}
