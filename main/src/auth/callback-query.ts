/**
 * Whether a callback carries what the app needs to finish or report a sign-in or a connect:
 * exactly one non-empty `state`, and exactly one of `code` (an authorization response, RFC 6749
 * §4.1.2), `connect_code` (the Connected Accounts flow, docs/architecture.md#connecting-an-account)
 * or `error`.
 */
export function isCompleteCallbackQuery(query: URLSearchParams): boolean {
  const state = query.getAll('state');
  if (state.length !== 1 || !state[0]) return false;
  const answers = ['code', 'connect_code', 'error'].flatMap((name) => query.getAll(name));
  return answers.length === 1 && Boolean(answers[0]);
}
