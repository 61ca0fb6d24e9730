import type { SeededUser } from '../tenant/seed.js';
import { escapeHtml, renderPage } from './page-layout.js';

export interface LoginPageModel {
  /** Where the form posts: the interaction's own URL. */
  action: string;
  clientName: string;
  users: readonly SeededUser[];
  username?: string;
  error?: string;
}

/** The sign-in page: a username/password form and one "Continue as …" button per seeded user. */
export function renderLoginPage(model: LoginPageModel): string {
  const action = escapeHtml(model.action);
  const error = model.error
    ? `<p class="alert" role="alert" id="login-error">${escapeHtml(model.error)}</p>`
    : '';
  const people = model.users
    .map(
      (user) => `<li><form method="post" action="${action}">
  <input type="hidden" name="continue_as" value="${escapeHtml(user.username)}">
  <button type="submit" class="person" data-username="${escapeHtml(user.username)}">Continue as ${escapeHtml(user.name)} <small>${escapeHtml(user.username)}</small></button>
</form></li>`,
    )
    .join('\n');
  return renderPage(
    'Sign in',
    `<h1>Sign in</h1>
<p class="lead">to continue to ${escapeHtml(model.clientName)}</p>
${error}
<form method="post" action="${action}"${model.error ? ' aria-describedby="login-error"' : ''}>
  <label for="username">Username or email</label>
  <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="${escapeHtml(model.username ?? '')}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit" class="primary">Continue</button>
</form>
<div class="divider">or pick a seeded user</div>
<ul class="people">
${people}
</ul>
<p class="note">A local sandbox: these are test accounts, and no data leaves this machine.</p>`,
  );
}
