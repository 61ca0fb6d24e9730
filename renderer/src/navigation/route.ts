/**
 * Where the user is. Kept in memory, not in the address: the app window never navigates (main
 * denies it), and there is nothing to bookmark.
 */
export type Route =
  { name: 'home' } | { name: 'account'; connection: string } | { name: 'settings' };

export function sameRoute(a: Route, b: Route): boolean {
  if (a.name !== b.name) return false;
  return a.name !== 'account' || (b.name === 'account' && a.connection === b.connection);
}
