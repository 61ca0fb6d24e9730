import { createHash } from 'node:crypto';
import { APP_LANGUAGES, type AppLanguage } from '@linkboard/contract/desktop';
import {
  CALLBACK_PAGE_LABELS,
  CALLBACK_PAGE_TEXT,
  type CallbackPageKind,
} from './callback-page-text.js';

/**
 * The page the system browser shows when the sign-in (or a Connected Accounts flow) returns to
 * main's loopback listener: the app's colours, light or dark as the computer asks, what happened
 * and what to do next (docs/architecture.md#sign-in). It runs no script and loads nothing: one
 * inline style, allowed by its hash, and an inline SVG mark.
 */

/** The app's colours (renderer/src/styles/theme.css), light and dark. */
const STYLE = `
:root{color-scheme:light dark;--bg:#f6f7f9;--surface:#fff;--border:#e1e4ea;--text:#1b1f27;--muted:#5b6475;--accent:#4f46e5;--accent-soft:#eceafd;--ok:#15803d;--ok-soft:#dcfce7;--danger:#b91c1c;--danger-soft:#fee2e2;--code:#eceef2}
@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--surface:#181b22;--border:#2a2f3a;--text:#e7e9ee;--muted:#a3abbb;--accent:#818cf8;--accent-soft:#25254a;--ok:#4ade80;--ok-soft:#12301f;--danger:#f87171;--danger-soft:#351616;--code:#262b35}}
*{box-sizing:border-box;margin:0}
html,body{min-height:100%}
body{display:grid;place-items:center;min-height:100vh;padding:32px;font:15px/1.5 system-ui,-apple-system,'Segoe UI','Noto Sans','Helvetica Neue',Arial,sans-serif;color:var(--text);background:radial-gradient(1200px 600px at 20% -10%,var(--accent-soft),transparent 60%),var(--bg)}
main{width:min(480px,100%);display:flex;flex-direction:column;gap:16px;padding:40px 32px 32px;background:var(--surface);border:1px solid var(--border);border-radius:14px;box-shadow:0 12px 32px rgb(16 24 40/12%)}
.brand{display:flex;align-items:center;gap:12px;font-size:20px;font-weight:650}
.tile{fill:var(--accent)}
.status{display:inline-flex;align-items:center;justify-content:center;width:40px;height:40px;border-radius:999px}
.status svg{width:22px;height:22px;fill:none;stroke:currentColor;stroke-width:2.5;stroke-linecap:round;stroke-linejoin:round}
.ok .status{background:var(--ok-soft);color:var(--ok)}
.error .status{background:var(--danger-soft);color:var(--danger)}
h1{font-size:22px;line-height:1.3;font-weight:650}
.lead{color:var(--muted)}
.next{font-weight:600}
dl{display:grid;gap:4px;padding:12px 14px;border:1px solid var(--border);border-radius:10px;font-size:13px}
dt{color:var(--muted)}
dd{overflow-wrap:anywhere}
code{font-family:ui-monospace,'SFMono-Regular','Cascadia Mono','DejaVu Sans Mono',monospace;background:var(--code);padding:1px 6px;border-radius:6px}
`;

const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** Nothing but the page's own style: no script, no image, no form, no frame, no base. */
export const CALLBACK_PAGE_CSP = [
  "default-src 'none'",
  `style-src ${STYLE_HASH}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MARK = `<svg width="40" height="40" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><rect x="2" y="2" width="28" height="28" rx="8" class="tile"/><rect x="8" y="9" width="9" height="9" rx="2.5" fill="#fff" fill-opacity="0.95"/><rect x="15" y="14" width="9" height="9" rx="2.5" fill="#fff" fill-opacity="0.6"/></svg>`;
const TICK = `<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M5 12.5l4.5 4.5L19 7.5"/></svg>`;
const ALERT = `<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M12 7v6M12 17h.01"/></svg>`;

/** What the sign-in service sent with an error, as the page may show it. */
export interface ProviderErrorDetails {
  /** `error`, shown only when it has the shape of an OAuth error code. */
  code: string;
  /** `error_description`, shortened; always escaped. */
  description: string | null;
}

const OAUTH_ERROR_CODE = /^[A-Za-z0-9_.-]{1,64}$/;
const DESCRIPTION_MAX = 300;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The page for an `error` the sign-in service answered (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6). */
export function kindOfProviderError(code: string): CallbackPageKind {
  switch (code) {
    case 'access_denied':
      return 'denied';
    case 'login_required':
    case 'consent_required':
    case 'interaction_required':
    case 'account_selection_required':
      return 'sign-in-again';
    case 'server_error':
    case 'temporarily_unavailable':
      return 'unavailable';
    default:
      return 'failed';
  }
}

function isAppLanguage(value: string): value is AppLanguage {
  return (APP_LANGUAGES as readonly string[]).includes(value);
}

/**
 * The page's language: the app's (the one the configuration forces, else the one the app's page
 * spoke when it started the sign-in), else the first language of the browser's
 * `Accept-Language` the app speaks (the page is read in that browser), else English.
 */
export function callbackPageLanguage(
  app: AppLanguage | null,
  acceptLanguage: string | undefined,
): AppLanguage {
  if (app) return app;
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const q = parameters
        .map((parameter) => /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(parameter)?.[1])
        .find((value) => value !== undefined);
      return { primary: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q) : 1, index };
    })
    .filter((range) => range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { primary } of ranges) if (isAppLanguage(primary)) return primary;
  return 'en';
}

export function renderCallbackPage(
  kind: CallbackPageKind,
  language: AppLanguage,
  details: ProviderErrorDetails | null = null,
): string {
  const text = CALLBACK_PAGE_TEXT[language][kind];
  const labels = CALLBACK_PAGE_LABELS[language];
  const ok = kind === 'signed-in' || kind === 'connected';
  const rows: string[] = [];
  if (details && OAUTH_ERROR_CODE.test(details.code)) {
    rows.push(`<dt>${labels.errorCode}</dt><dd><code>${escapeHtml(details.code)}</code></dd>`);
  }
  if (details?.description) {
    const shortened =
      details.description.length > DESCRIPTION_MAX
        ? `${details.description.slice(0, DESCRIPTION_MAX)}…`
        : details.description;
    rows.push(`<dt>${labels.serviceSaid}</dt><dd>${escapeHtml(shortened)}</dd>`);
  }
  return [
    '<!doctype html>',
    `<html lang="${language}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(text.title)} – ${labels.product}</title>`,
    `<style>${STYLE}</style></head>`,
    `<body class="${ok ? 'ok' : 'error'}" data-page="${kind}"><main>`,
    `<div class="brand">${MARK}<span>${labels.product}</span></div>`,
    `<span class="status">${ok ? TICK : ALERT}</span>`,
    `<h1>${escapeHtml(text.title)}</h1>`,
    `<p class="lead">${escapeHtml(text.lead)}</p>`,
    `<p class="next">${escapeHtml(text.next)}</p>`,
    rows.length > 0 ? `<dl>${rows.join('')}</dl>` : '',
    '</main></body></html>',
  ].join('');
}
