import type { Keychain } from '../../main/src/services/index.js';

/**
 * The real OS keychain (keytar → Secret Service), or null when it cannot be reached: then main's
 * token store keeps entries in memory and says so, as the app does. Under `scripts/with-keychain.sh`
 * (what `npm run test:e2e` uses) a private gnome-keyring is there.
 */
export async function loadKeychain(): Promise<Keychain | null> {
  try {
    const keytar = (await import('keytar')).default;
    // A probe read: keytar loads fine without a Secret Service and fails on first use.
    await keytar.getPassword('Linkboard e2e probe', 'probe');
    return keytar;
  } catch {
    return null;
  }
}
