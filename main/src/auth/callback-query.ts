/**
 * Whether an authorization response carries what auth0-spa-js needs to finish or report a sign-in
 * (RFC 6749 §4.1.2): exactly one non-empty `state`, and exactly one `code` or one `error` (not both).
 */
export function isCompleteCallbackQuery(query: URLSearchParams): boolean {
  const state = query.getAll('state');
  const code = query.getAll('code');
  const error = query.getAll('error');
  if (state.length !== 1 || !state[0]) return false;
  if (code.length + error.length !== 1) return false;
  return Boolean(code[0] ?? error[0]);
}
