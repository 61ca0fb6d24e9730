import { describe, expect, it } from 'vitest';
import type { LinkedIdentity } from '@linkboard/contract/broker-api';
import { toLinkedAccounts, isBrowsable } from '../src/data/linked-account';
import { SEED_PROVIDERS } from '../dev/seed-catalogue';

function identity(connection: string, supported: boolean): LinkedIdentity {
  return {
    connection,
    provider: connection,
    userId: `${connection}-1`,
    isSocial: true,
    supported,
    status: supported ? 'ready' : 'token_unavailable',
    profile: { login: `${connection}-login` },
  };
}

describe('toLinkedAccounts', () => {
  it('names a supported identity from the catalogue and offers its views', () => {
    const [github] = toLinkedAccounts([identity('github', true)], SEED_PROVIDERS, 'auth0|me');
    expect(github).toMatchObject({ displayName: 'GitHub', icon: 'github' });
    expect(github && isBrowsable(github)).toBe(true);
  });

  it('names an identity the broker cannot serve from the catalogue, without offering views', () => {
    const [microsoft] = toLinkedAccounts(
      [identity('windowslive', false)],
      SEED_PROVIDERS,
      'auth0|me',
    );
    expect(microsoft).toMatchObject({ displayName: 'Microsoft', icon: 'microsoft' });
    expect(microsoft?.provider).toBeUndefined();
    expect(microsoft && isBrowsable(microsoft)).toBe(false);
  });

  it('shows a connection the catalogue does not know by its name, with the generic icon', () => {
    const [unknown] = toLinkedAccounts([identity('oidc-acme', false)], SEED_PROVIDERS, 'auth0|me');
    expect(unknown).toMatchObject({ displayName: 'oidc-acme', icon: 'generic' });
  });

  it('labels a connected account the broker knows no id of (Token Vault) by its provider', () => {
    const { userId: _none, ...connected } = identity('github', true);
    const [github] = toLinkedAccounts(
      [{ ...connected, profile: {} }],
      SEED_PROVIDERS,
      'auth0|erin',
    );
    expect(github).toMatchObject({ displayName: 'GitHub', accountLabel: 'GitHub' });
  });

  it('leaves out the identity the user signed in with', () => {
    const accounts = toLinkedAccounts(
      [identity('auth0', false), identity('github', true)],
      SEED_PROVIDERS,
      'auth0|auth0-1',
    );
    expect(accounts.map((account) => account.identity.connection)).toEqual(['github']);
  });
});
