import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { randomSecret } from '../tenant/random-secret.js';

/** The tenant's RS256 signing key, generated at start and never written anywhere. */
export interface SigningKey {
  privateJwk: JWK;
  publicKey: CryptoKey;
}

export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  return {
    privateJwk: { ...privateJwk, kid: randomSecret(12), alg: 'RS256', use: 'sig' },
    publicKey,
  };
}
