/**
 * The renderer's Content-Security-Policy (docs/architecture.md#security-rules, rule 2): scripts only from the app
 * itself and never `eval`; network only to the Auth0 origin (auth0-spa-js's token endpoint — the
 * broker is reached through main, never from the page); no plugins, no `<base>`, no framing, no
 * form posts. Images only from the app itself: a provider's images come through main's protocol
 * (rule 8), never from the provider. `style-src 'unsafe-inline'` lets React's `style` attributes work; styles cannot run
 * code, and scripts stay strict.
 */
export function rendererContentSecurityPolicy(auth0Origin: string): string {
  const origin = new URL(auth0Origin).origin;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${origin}`,
    "worker-src 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
