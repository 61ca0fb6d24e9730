/** The shared look of the tenant's own pages (sign-in, errors, sign-out). */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

const STYLE = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #5b6470; --line: #d9dee5; --accent: #3454d1;
  --accent-ink: #fff; --danger: #b42318; --danger-bg: #fef3f2; --panel: #fff; --bg: #eef1f6; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); }
main { width: min(400px, calc(100vw - 32px)); background: var(--panel); border-radius: 12px;
  box-shadow: 0 1px 2px rgba(16,24,40,.06), 0 12px 32px rgba(16,24,40,.10); padding: 32px; }
.brand { display: flex; align-items: center; gap: 10px; font-weight: 600; color: var(--muted); font-size: 13px;
  letter-spacing: .02em; text-transform: uppercase; }
.brand .mark { width: 28px; height: 28px; border-radius: 8px; background: linear-gradient(135deg, #3454d1, #7b5cff); }
h1 { font-size: 22px; margin: 16px 0 4px; }
p.lead { margin: 0 0 20px; color: var(--muted); }
label { display: block; font-weight: 600; font-size: 13px; margin: 14px 0 6px; }
input[type=text], input[type=password] { width: 100%; padding: 10px 12px; border: 1px solid var(--line);
  border-radius: 8px; font: inherit; }
input:focus-visible, button:focus-visible { outline: 3px solid rgba(52,84,209,.35); outline-offset: 1px; border-color: var(--accent); }
button { font: inherit; cursor: pointer; border-radius: 8px; padding: 10px 14px; width: 100%; }
button.primary { margin-top: 20px; background: var(--accent); color: var(--accent-ink); border: 0; font-weight: 600; }
button.primary:hover { filter: brightness(1.08); }
.divider { display: flex; align-items: center; gap: 12px; margin: 24px 0 12px; color: var(--muted); font-size: 13px; }
.divider::before, .divider::after { content: ""; flex: 1; height: 1px; background: var(--line); }
ul.people { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
button.person { display: flex; justify-content: space-between; align-items: center; background: #fff;
  border: 1px solid var(--line); color: var(--ink); text-align: left; }
button.person:hover { border-color: var(--accent); }
button.person small { color: var(--muted); }
.alert { background: var(--danger-bg); color: var(--danger); border: 1px solid #fecdca; border-radius: 8px;
  padding: 10px 12px; margin: 0 0 8px; }
.note { margin-top: 20px; color: var(--muted); font-size: 12px; }
code { background: #f2f4f7; padding: 1px 4px; border-radius: 4px; }
`;

export function renderPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Linkboard sandbox tenant</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<div class="brand"><span class="mark" aria-hidden="true"></span>Linkboard sandbox tenant</div>
${body}
</main>
</body>
</html>`;
}
