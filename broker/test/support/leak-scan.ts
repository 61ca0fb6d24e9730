import { decodeJwt } from 'jose';

/** Everything a caller or an operator could see: response heads and bodies, and log lines. */
export class ObservedOutput {
  readonly texts: string[] = [];
  add(text: string): void {
    this.texts.push(text);
  }
}

/**
 * Finds secrets in what was observed: exact known values (IdP tokens, the M2M secret), sandbox
 * IdP token shapes (`gho_…`, `ya29.…`, `EwB…`), and any JWT issued to the M2M client.
 */
export function findLeaks(
  texts: readonly string[],
  secrets: readonly string[],
  m2mClientId: string,
): string[] {
  const leaks: string[] = [];
  for (const [index, text] of texts.entries()) {
    for (const secret of secrets) {
      if (secret && text.includes(secret)) leaks.push(`text ${index} contains a known secret`);
    }
    if (/\b(gho_|ya29\.|EwB)[A-Za-z0-9_-]{16,}/.test(text)) {
      leaks.push(`text ${index} contains an IdP token shape`);
    }
    for (const match of text.matchAll(/eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g)) {
      try {
        const claims = decodeJwt(match[0]);
        if (
          claims.client_id === m2mClientId ||
          claims.azp === m2mClientId ||
          claims.gty === 'client-credentials'
        ) {
          leaks.push(`text ${index} contains the M2M token`);
        }
      } catch {
        // Not a JWT after all.
      }
    }
  }
  return leaks;
}
