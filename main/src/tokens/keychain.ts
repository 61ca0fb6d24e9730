/**
 * The OS keychain as the token store needs it: the shape of `keytar` (macOS Keychain, Windows
 * Credential Manager, Secret Service on Linux), so keytar itself is passed in the app and in tests.
 */
export interface Keychain {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}
